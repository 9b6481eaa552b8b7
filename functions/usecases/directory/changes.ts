import type { Party } from '../../../domain/vocabulary.ts';
import { actorOf, type Principal } from '../../auth/principal.ts';
import { reviewerReplacedEmail } from '../../pages/email/directory-emails.ts';
import type { Needs } from '../../ports/ports.ts';
import { ConflictError } from '../../ports/store/errors.ts';
import { directoryPartyPartition, eventKeys, keys, prefixes } from '../../ports/store/keys.ts';
import type { Store, StoredItem, StoreReader } from '../../ports/store/store.ts';
import { newSortableId } from '../applications/ids.ts';
import { ChangeDecidedError, ChangePendingError, SameOfficerError, UnknownChangeError } from './errors.ts';
import {
  contactOf,
  getReviewerItem,
  reviewerItem,
  toReviewer,
  type Reviewer,
  type ReviewerContact,
  type ReviewerItem,
} from './reviewers.ts';

/**
 * Four eyes on the reviewer directory: whoever is a party's reviewer receives that party's vote, so
 * no single officer may choose them. A party's first reviewer takes effect at once; replacing one is
 * proposed by one officer and takes effect only when a different officer confirms it, and then the
 * previous reviewer and the escalation contacts are told. Every step is a change item and an audit
 * event in the party's own partition (`DIRECTORY#<party>`), with the officer who took it.
 *
 * Writes, in an order a crash cannot corrupt: a proposal writes its change item first, then claims
 * the reviewer's one pending slot (`pendingChangeId`, conditional on it being free); a change item
 * that lost or never made its claim can never be confirmed and shows as ABANDONED. A confirmation
 * applies the change to the reviewer (conditional on holding the slot), then marks the change
 * CONFIRMED: a retry after a crash between the two finds the reviewer already changed and finishes.
 */

export const REVIEWER_CHANGE_ITEM = 'REVIEWER_CHANGE';
export const DIRECTORY_EVENT_ITEM = 'DIRECTORY_EVENT';
/** Who set the entries written before four-eyes changes existed (and the demo data's). */
export const SYSTEM_ACTOR = 'system';

export type ChangeStatus = 'PENDING' | 'CONFIRMED' | 'CANCELLED';
/** As the history shows it: a pending change that does not hold the slot can never take effect. */
export type ShownChangeStatus = ChangeStatus | 'ABANDONED';

export interface PreviousReviewer extends ReviewerContact {
  readonly updatedAt: string;
  readonly changeId?: string;
}

export interface ReviewerChange {
  readonly id: string;
  readonly party: Party;
  readonly proposed: ReviewerContact;
  /** The subject of the officer who proposed it (`system` for entries before four eyes). */
  readonly proposedBy: string;
  readonly proposedAt: string;
  readonly status: ChangeStatus;
  /** The reviewer it replaces; absent for a party's first reviewer. */
  readonly previous?: PreviousReviewer;
  readonly confirmedBy?: string;
  readonly confirmedAt?: string;
  readonly cancelledBy?: string;
  readonly cancelledAt?: string;
}

type ChangeItem = StoredItem & ReviewerChange & { readonly itemType: typeof REVIEWER_CHANGE_ITEM };

export interface DirectoryEvent {
  readonly at: string;
  readonly type: string;
  readonly actor: string;
  readonly detail: Readonly<Record<string, string>>;
}

type DirectoryEventItem = StoredItem & DirectoryEvent & { readonly itemType: typeof DIRECTORY_EVENT_ITEM };

const toChange = (item: ChangeItem): ReviewerChange => ({
  id: item.id,
  party: item.party,
  proposed: contactOf(item.proposed),
  proposedBy: item.proposedBy,
  proposedAt: item.proposedAt,
  status: item.status,
  ...(item.previous === undefined ? {} : { previous: item.previous }),
  ...(item.confirmedBy === undefined ? {} : { confirmedBy: item.confirmedBy, confirmedAt: item.confirmedAt }),
  ...(item.cancelledBy === undefined ? {} : { cancelledBy: item.cancelledBy, cancelledAt: item.cancelledAt }),
});

async function appendDirectoryEvent(
  store: Store,
  party: Party,
  changeId: string,
  step: string,
  event: DirectoryEvent,
): Promise<void> {
  const key = keys.directoryEvent(party, event.at, eventKeys.reviewerChange(changeId, step));
  await store.appendEvent(key.pk, { sk: key.sk, itemType: DIRECTORY_EVENT_ITEM, party, ...event });
}

const sameContact = (a: ReviewerContact, b: ReviewerContact): boolean =>
  a.name === b.name && a.email === b.email && a.escalationEmail === b.escalationEmail;

export type ProposeResult =
  /** The party had no reviewer: this one is effective at once. */
  | { readonly kind: 'SET'; readonly reviewer: Reviewer }
  /** The same reviewer again: nothing to change. */
  | { readonly kind: 'UNCHANGED'; readonly reviewer: Reviewer }
  /** A replacement, waiting for a second officer. */
  | { readonly kind: 'PROPOSED'; readonly change: ReviewerChange };

/** PUT /reviewers/{party}. Throws ChangePendingError when another change awaits confirmation. */
export async function proposeReviewer(
  ports: Needs<'store' | 'clock'>,
  party: Party,
  contact: ReviewerContact,
  principal: Principal,
): Promise<ProposeResult> {
  const { store } = ports;
  const now = ports.clock.now();
  const at = now.toISOString();
  const changeId = newSortableId(now);
  const current = await getReviewerItem(store, party);
  if (current === undefined) {
    const item = reviewerItem(party, contact, at, changeId);
    try {
      await store.putNew(item);
    } catch (error) {
      // Another officer set the first reviewer meanwhile: this is now a replacement.
      if (error instanceof ConflictError && error.kind === 'ALREADY_EXISTS') {
        return proposeReviewer(ports, party, contact, principal);
      }
      throw error;
    }
    const change: ChangeItem = {
      ...keys.reviewerChange(party, changeId),
      itemType: REVIEWER_CHANGE_ITEM,
      id: changeId,
      party,
      proposed: contactOf(contact),
      proposedBy: principal.subject,
      proposedAt: at,
      status: 'CONFIRMED',
      confirmedBy: principal.subject,
      confirmedAt: at,
    };
    await store.putNew(change);
    await appendDirectoryEvent(store, party, changeId, 'SET', {
      at,
      type: 'REVIEWER_SET',
      actor: actorOf(principal),
      detail: { changeId, email: contact.email },
    });
    return { kind: 'SET', reviewer: toReviewer(item) };
  }
  if (sameContact(current, contact)) return { kind: 'UNCHANGED', reviewer: toReviewer(current) };
  if (current.pendingChangeId !== undefined) throw new ChangePendingError(current.pendingChangeId);

  const change: ChangeItem = {
    ...keys.reviewerChange(party, changeId),
    itemType: REVIEWER_CHANGE_ITEM,
    id: changeId,
    party,
    proposed: contactOf(contact),
    proposedBy: principal.subject,
    proposedAt: at,
    status: 'PENDING',
    previous: {
      ...contactOf(current),
      updatedAt: current.updatedAt,
      ...(current.changeId === undefined ? {} : { changeId: current.changeId }),
    },
  };
  await store.putNew(change);
  const claimed = await store.updateIf(
    keys.reviewer(party),
    { pendingChangeId: { absent: true } },
    { pendingChangeId: changeId },
  );
  if (claimed === undefined) {
    const latest = await getReviewerItem(store, party);
    throw new ChangePendingError(latest?.pendingChangeId ?? 'unknown');
  }
  await appendDirectoryEvent(store, party, changeId, 'PROPOSED', {
    at,
    type: 'REVIEWER_CHANGE_PROPOSED',
    actor: actorOf(principal),
    detail: { changeId, email: contact.email, previousEmail: current.email },
  });
  return { kind: 'PROPOSED', change: toChange(change) };
}

async function requirePendingChange(store: Store, party: Party, changeId: string): Promise<ChangeItem> {
  const change = await store.get<ChangeItem>(keys.reviewerChange(party, changeId));
  if (change === undefined) throw new UnknownChangeError();
  if (change.status !== 'PENDING') throw new ChangeDecidedError(change.status);
  return change;
}

/**
 * POST /reviewers/{party}/changes/{changeId}/confirm: a different officer makes the change
 * effective; the previous reviewer and the escalation contacts are emailed.
 */
export async function confirmReviewerChange(
  ports: Needs<'store' | 'clock' | 'mailer'>,
  party: Party,
  changeId: string,
  principal: Principal,
): Promise<{ readonly reviewer: Reviewer; readonly change: ReviewerChange }> {
  const { store } = ports;
  const change = await requirePendingChange(store, party, changeId);
  if (change.proposedBy === principal.subject) throw new SameOfficerError();
  const at = ports.clock.now().toISOString();

  let reviewer = await getReviewerItem(store, party);
  if (reviewer?.changeId !== changeId) {
    if (reviewer?.pendingChangeId !== changeId) throw new ChangeDecidedError('ABANDONED');
    reviewer =
      (await store.updateIf<ReviewerItem>(
        keys.reviewer(party),
        { pendingChangeId: { equals: changeId } },
        { ...contactOf(change.proposed), updatedAt: at, changeId, pendingChangeId: undefined },
      )) ?? (await getReviewerItem(store, party));
    if (reviewer?.changeId !== changeId) throw new ChangeDecidedError('ABANDONED');
  }

  const confirmed = await store.updateIf<ChangeItem>(
    keys.reviewerChange(party, changeId),
    { status: { equals: 'PENDING' } },
    { status: 'CONFIRMED', confirmedBy: principal.subject, confirmedAt: at },
  );
  if (confirmed === undefined) {
    // A concurrent confirmation got there first: that officer's answer is the 200.
    const latest = await store.get<ChangeItem>(keys.reviewerChange(party, changeId));
    throw new ChangeDecidedError(latest?.status ?? 'ABANDONED');
  }
  await appendDirectoryEvent(store, party, changeId, 'CONFIRMED', {
    at,
    type: 'REVIEWER_CHANGE_CONFIRMED',
    actor: actorOf(principal),
    detail: { changeId, email: change.proposed.email, proposedBy: change.proposedBy },
  });

  const previous = change.previous;
  if (previous !== undefined) {
    const to = [...new Set([previous.email, previous.escalationEmail, change.proposed.escalationEmail])];
    await ports.mailer.send({
      to,
      ...reviewerReplacedEmail({
        party,
        previous,
        next: change.proposed,
        proposedBy: change.proposedBy,
        confirmedBy: principal.subject,
        at,
      }),
      tags: { kind: 'REVIEWER_REPLACED' },
    });
  }
  return { reviewer: toReviewer(reviewer), change: toChange(confirmed) };
}

/**
 * POST /reviewers/{party}/changes/{changeId}/cancel: any officer ends a pending change (its
 * proposer withdraws it, another officer refuses it), which frees the party for a new proposal.
 * Without it, one officer's proposal nobody confirms would block every other one.
 */
export async function cancelReviewerChange(
  ports: Needs<'store' | 'clock'>,
  party: Party,
  changeId: string,
  principal: Principal,
): Promise<ReviewerChange> {
  const { store } = ports;
  await requirePendingChange(store, party, changeId);
  const at = ports.clock.now().toISOString();
  const cancelled = await store.updateIf<ChangeItem>(
    keys.reviewerChange(party, changeId),
    { status: { equals: 'PENDING' } },
    { status: 'CANCELLED', cancelledBy: principal.subject, cancelledAt: at },
  );
  if (cancelled === undefined) {
    const latest = await store.get<ChangeItem>(keys.reviewerChange(party, changeId));
    throw new ChangeDecidedError(latest?.status ?? 'ABANDONED');
  }
  // Frees the slot only if this change holds it.
  await store.updateIf(
    keys.reviewer(party),
    { pendingChangeId: { equals: changeId } },
    { pendingChangeId: undefined },
  );
  await appendDirectoryEvent(store, party, changeId, 'CANCELLED', {
    at,
    type: 'REVIEWER_CHANGE_CANCELLED',
    actor: actorOf(principal),
    detail: { changeId },
  });
  return toChange(cancelled);
}

export interface HistoryEntry extends Omit<ReviewerChange, 'status'> {
  readonly status: ShownChangeStatus;
}

export interface ReviewerHistory {
  readonly party: Party;
  readonly items: readonly HistoryEntry[];
  readonly timeline: readonly DirectoryEvent[];
}

/** An entry nobody proposed through the API (before four eyes, or demo data): set by `system`. */
const systemEntry = (party: Party, contact: ReviewerContact, at: string): HistoryEntry => ({
  id: 'initial',
  party,
  proposed: contactOf(contact),
  proposedBy: SYSTEM_ACTOR,
  proposedAt: at,
  status: 'CONFIRMED',
  confirmedBy: SYSTEM_ACTOR,
  confirmedAt: at,
});

/** GET /reviewers/{party}/history: every change, oldest first, and the audit timeline. */
export async function reviewerHistory(store: StoreReader, party: Party): Promise<ReviewerHistory> {
  const [reviewer, items] = await Promise.all([
    getReviewerItem(store, party),
    store.queryAll<ChangeItem | DirectoryEventItem>({
      partition: directoryPartyPartition(party),
      consistent: true,
    }),
  ]);
  const changes = items
    .filter((item): item is ChangeItem => item.sk.startsWith(prefixes.reviewerChanges()))
    .map((item): HistoryEntry => {
      const change = toChange(item);
      const abandoned = change.status === 'PENDING' && reviewer?.pendingChangeId !== change.id;
      return abandoned ? { ...change, status: 'ABANDONED' } : change;
    });
  const timeline = items
    .filter((item): item is DirectoryEventItem => item.sk.startsWith(prefixes.events()))
    .map(({ at, type, actor, detail }) => ({ at, type, actor, detail }));

  const history: HistoryEntry[] = [];
  // The entry the first recorded change replaced, or the whole entry, predates four eyes.
  const first = changes[0];
  if (first?.previous !== undefined && first.previous.changeId === undefined) {
    history.push(systemEntry(party, first.previous, first.previous.updatedAt));
  } else if (first === undefined && reviewer !== undefined && reviewer.changeId === undefined) {
    history.push(systemEntry(party, reviewer, reviewer.updatedAt));
  }
  history.push(...changes);
  return { party, items: history, timeline };
}
