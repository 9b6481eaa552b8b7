import type { Decision, Party } from '../../../domain/vocabulary.ts';
import { hashLinkId, isWellFormedLinkId, newLinkId, newNonce, sameSecret } from './link-ids.ts';
import { expiresAfter, RETENTION_DAYS } from '../../ports/store/expiry.ts';
import { keys } from '../../ports/store/keys.ts';
import type { Needs } from '../../ports/ports.ts';
import type { StoredItem, StoreReader } from '../../ports/store/store.ts';
import type { LinkSecret } from '../../ports/link-secret.ts';

/**
 * Review links (DESIGN.md principle 6). The item lives at `LINK#<hash of the link id>`; the id
 * itself exists only in the reviewer's email. A link is bound to one application, round, party
 * and reviewer, expires when the review times out, and decides once: `consumeLink` is a single
 * conditional update, so of any number of concurrent POSTs exactly one records its decision.
 *
 * The form nonce is issued with the link and stored beside it: it proves the POST came from the
 * confirmation page (a scanner that only fetches the URL never sends it), and the link's single
 * use makes it one-time. It opens nothing without the link id, which is stored only hashed.
 */

export interface ReviewLink {
  readonly linkHash: string;
  readonly applicationId: string;
  readonly round: number;
  readonly party: Party;
  readonly reviewerName: string;
  readonly reviewerEmail: string;
  readonly expiresAt: string;
  readonly createdAt: string;
  readonly usedAt?: string;
  readonly decision?: Decision;
  readonly comment?: string;
  /** Set when a newer link of the same holder replaced this one (issue-link.ts): it decides nothing. */
  readonly supersededAt?: string;
}

type LinkItem = StoredItem & ReviewLink & { nonce: string; version: number };

const linkOf = (item: LinkItem): ReviewLink => ({
  linkHash: item.linkHash,
  applicationId: item.applicationId,
  round: item.round,
  party: item.party,
  reviewerName: item.reviewerName,
  reviewerEmail: item.reviewerEmail,
  expiresAt: item.expiresAt,
  createdAt: item.createdAt,
  ...(item.usedAt === undefined ? {} : { usedAt: item.usedAt }),
  ...(item.decision === undefined ? {} : { decision: item.decision }),
  ...(item.comment === undefined ? {} : { comment: item.comment }),
  ...(item.supersededAt === undefined ? {} : { supersededAt: item.supersededAt }),
});

/** What a new link is bound to (DESIGN.md principle 6), and when it is made. */
export type NewReviewLink = Pick<
  ReviewLink,
  'applicationId' | 'round' | 'party' | 'reviewerName' | 'reviewerEmail' | 'expiresAt'
> & { readonly now: string };

/** A new link id and the hash it is stored under. */
export async function mintLinkId(
  ports: Needs<'linkSecret'>,
): Promise<{ readonly linkId: string; readonly linkHash: string }> {
  const linkId = newLinkId();
  return { linkId, linkHash: await hashLinkId(linkId, ports.linkSecret) };
}

/**
 * Stores a link under a minted id; returns the id (for the email only) and the stored link.
 * Callers issue links through issue-link.ts, which records the hash first so it can be superseded.
 */
export async function createReviewLink(
  ports: Needs<'store' | 'linkSecret'>,
  input: NewReviewLink,
  minted?: { readonly linkId: string; readonly linkHash: string },
): Promise<{ linkId: string; link: ReviewLink }> {
  const { linkId, linkHash } = minted ?? (await mintLinkId(ports));
  const item = await ports.store.putNew<LinkItem>({
    ...keys.reviewLink(linkHash),
    linkHash,
    applicationId: input.applicationId,
    round: input.round,
    party: input.party,
    reviewerName: input.reviewerName,
    reviewerEmail: input.reviewerEmail,
    expiresAt: input.expiresAt,
    createdAt: input.now,
    nonce: newNonce(),
    ...expiresAfter(input.expiresAt, RETENTION_DAYS.reviewLink),
  } as LinkItem);
  return { linkId, link: linkOf(item) };
}

export interface FoundLink {
  readonly link: ReviewLink;
  /** The form nonce for the confirmation page; only while the link is unused. */
  readonly nonce?: string;
}

/** What reading a link takes: the store's reads and the secret its id is hashed with. */
export interface LinkReaderPorts {
  readonly store: StoreReader;
  readonly linkSecret: LinkSecret;
}

/** The link an id opens, or undefined for an id that is malformed or unknown. */
export async function findReviewLink(ports: LinkReaderPorts, linkId: string): Promise<FoundLink | undefined> {
  if (!isWellFormedLinkId(linkId)) return undefined;
  const item = await ports.store.get<LinkItem>(keys.reviewLink(await hashLinkId(linkId, ports.linkSecret)));
  if (!item) return undefined;
  return { link: linkOf(item), ...(item.usedAt === undefined ? { nonce: item.nonce } : {}) };
}

export type ConsumeResult =
  | { readonly kind: 'CONSUMED'; readonly link: ReviewLink }
  | { readonly kind: 'ALREADY_USED'; readonly link: ReviewLink }
  | { readonly kind: 'EXPIRED'; readonly link: ReviewLink }
  | { readonly kind: 'SUPERSEDED'; readonly link: ReviewLink }
  | { readonly kind: 'BAD_NONCE' }
  | { readonly kind: 'NOT_FOUND' };

/**
 * Marks a link superseded unless it was used (or superseded) first; returns whether it did. A link
 * that was never stored (a crash between recording its hash and storing it) has nothing to mark.
 */
export async function supersedeLink(ports: Needs<'store'>, linkHash: string, now: string): Promise<boolean> {
  const marked = await ports.store.updateIf(
    keys.reviewLink(linkHash),
    { usedAt: { absent: true }, supersededAt: { absent: true } },
    { supersededAt: now },
    { bumpVersion: true },
  );
  return marked !== undefined;
}

/**
 * Records `decision` on the link if it is unused, unsuperseded, unexpired and `nonce` is its form nonce, in one
 * conditional update. The loser of a race learns the winner's decision (ALREADY_USED).
 */
export async function consumeLink(
  ports: Needs<'store' | 'linkSecret'>,
  linkId: string,
  input: {
    readonly nonce: string;
    readonly decision: Decision;
    readonly comment?: string;
    readonly now: string;
  },
): Promise<ConsumeResult> {
  if (!isWellFormedLinkId(linkId)) return { kind: 'NOT_FOUND' };
  const { store } = ports;
  const key = keys.reviewLink(await hashLinkId(linkId, ports.linkSecret));
  const comment = input.comment?.trim() ?? '';
  const consumed = await store.updateIf<LinkItem>(
    key,
    // Unsuperseded too: of a decision and a newer link superseding this one, exactly one lands.
    {
      usedAt: { absent: true },
      supersededAt: { absent: true },
      nonce: { equals: input.nonce },
      expiresAt: { after: input.now },
    },
    { usedAt: input.now, decision: input.decision, ...(comment === '' ? {} : { comment }) },
    { bumpVersion: true },
  );
  if (consumed !== undefined) return { kind: 'CONSUMED', link: linkOf(consumed) };
  // The condition failed: read the link to tell the caller which part did.
  const item = await store.get<LinkItem>(key);
  if (!item) return { kind: 'NOT_FOUND' };
  if (item.usedAt !== undefined) return { kind: 'ALREADY_USED', link: linkOf(item) };
  if (item.expiresAt <= input.now) return { kind: 'EXPIRED', link: linkOf(item) };
  if (item.supersededAt !== undefined) return { kind: 'SUPERSEDED', link: linkOf(item) };
  if (!sameSecret(input.nonce, item.nonce)) return { kind: 'BAD_NONCE' };
  // Every part of the condition holds on the item as read now: a bug, not a client's doing.
  throw new Error('the review link refused a decision for no reason it records');
}
