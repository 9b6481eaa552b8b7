import type { Party } from '../../../domain/vocabulary.ts';
import { DIRECTORY_PK, keys, prefixes } from '../../ports/store/keys.ts';
import { type Store, type StoredItem } from '../../ports/store/store.ts';

/**
 * The reviewer directory officers keep (RULES.md §4): one reviewer per review party, in the
 * `DIRECTORY` partition (sk `PARTY#<party>`). Setting a party's reviewer replaces the previous
 * one (PUT semantics); review rounds read the reviewer when they open, so a change applies to the
 * next round.
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

interface ReviewerItem extends StoredItem, Reviewer {
  readonly itemType: typeof REVIEWER_ITEM;
}

const toReviewer = (item: ReviewerItem): Reviewer => ({
  party: item.party,
  name: item.name,
  email: item.email,
  escalationEmail: item.escalationEmail,
  updatedAt: item.updatedAt,
});

export async function putReviewer(
  store: Store,
  party: Party,
  contact: ReviewerContact,
  now: string,
): Promise<Reviewer> {
  const reviewer: Reviewer = {
    party,
    name: contact.name,
    email: contact.email,
    escalationEmail: contact.escalationEmail,
    updatedAt: now,
  };
  const item: ReviewerItem = { ...keys.reviewer(party), itemType: REVIEWER_ITEM, ...reviewer };
  await store.put(item);
  return reviewer;
}

export async function getReviewer(store: Store, party: Party): Promise<Reviewer | undefined> {
  const item = await store.get<ReviewerItem>(keys.reviewer(party));
  return item === undefined ? undefined : toReviewer(item);
}

/** Every party with a reviewer, in party-name order. */
export async function listReviewers(store: Store): Promise<Reviewer[]> {
  const items = await store.queryAll<ReviewerItem>({
    partition: DIRECTORY_PK,
    sortKey: { beginsWith: prefixes.reviewers() },
    consistent: true,
  });
  return items.map(toReviewer);
}
