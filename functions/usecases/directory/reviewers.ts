import type { Party } from '../../../domain/vocabulary.ts';
import { DIRECTORY_PK, keys, prefixes } from '../../ports/store/keys.ts';
import { type Store, type StoredItem, type StoreReader } from '../../ports/store/store.ts';

/**
 * The reviewer directory officers keep (RULES.md §4): one reviewer per review party, in the
 * `DIRECTORY` partition (sk `PARTY#<party>`). Review rounds read the reviewer when they open, so a
 * change applies to the next round; links already mailed stay with their recipients.
 *
 * Who may change an entry is changes.ts (four eyes). Items written before that existed carry no
 * `changeId`: they read the same, and their history shows them as set by `system`.
 */

export const REVIEWER_ITEM = 'REVIEWER';

export interface ReviewerContact {
  readonly name: string;
  readonly email: string;
  readonly escalationEmail: string;
}

export interface Reviewer extends ReviewerContact {
  readonly party: Party;
  readonly updatedAt: string;
}

export interface ReviewerItem extends StoredItem, Reviewer {
  readonly itemType: typeof REVIEWER_ITEM;
  /** The change that made this entry; absent on entries written before four-eyes changes (and demo data). */
  readonly changeId?: string;
  /** A proposed replacement awaiting a second officer: at most one per party. */
  readonly pendingChangeId?: string;
}

export const contactOf = (contact: ReviewerContact): ReviewerContact => ({
  name: contact.name,
  email: contact.email,
  escalationEmail: contact.escalationEmail,
});

export const toReviewer = (item: ReviewerItem): Reviewer => ({
  party: item.party,
  ...contactOf(item),
  updatedAt: item.updatedAt,
});

export const reviewerItem = (
  party: Party,
  contact: ReviewerContact,
  now: string,
  changeId?: string,
): ReviewerItem => ({
  ...keys.reviewer(party),
  itemType: REVIEWER_ITEM,
  party,
  ...contactOf(contact),
  updatedAt: now,
  ...(changeId === undefined ? {} : { changeId }),
});

/**
 * Writes a party's reviewer without the four-eyes path: demo data and seeding a new data folder
 * only (no API route calls it). The entry shows in its history as set by `system`.
 */
export async function seedReviewer(
  store: Store,
  party: Party,
  contact: ReviewerContact,
  now: string,
): Promise<Reviewer> {
  const item = reviewerItem(party, contact, now);
  await store.put(item);
  return toReviewer(item);
}

export async function getReviewerItem(store: StoreReader, party: Party): Promise<ReviewerItem | undefined> {
  return store.get<ReviewerItem>(keys.reviewer(party));
}

export async function getReviewer(store: StoreReader, party: Party): Promise<Reviewer | undefined> {
  const item = await getReviewerItem(store, party);
  return item === undefined ? undefined : toReviewer(item);
}

/** Every party with a reviewer, in party-name order. */
export async function listReviewers(store: StoreReader): Promise<Reviewer[]> {
  const items = await store.queryAll<ReviewerItem>({
    partition: DIRECTORY_PK,
    sortKey: { beginsWith: prefixes.reviewers() },
    consistent: true,
  });
  return items.map(toReviewer);
}
