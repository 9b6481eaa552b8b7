import type { Party, ReviewRole } from '../../../domain/vocabulary.ts';
import type { Needs } from '../../ports/ports.ts';
import { ConflictError } from '../../ports/store/errors.ts';
import { expiresAfter, RETENTION_DAYS } from '../../ports/store/expiry.ts';
import { keys } from '../../ports/store/keys.ts';
import type { StoredItem } from '../../ports/store/store.ts';
import {
  createReviewLink,
  mintLinkId,
  supersedeLink,
  type NewReviewLink,
  type ReviewLink,
} from './link-records.ts';

/**
 * Issuing review links: the one path every email that asks a party to decide takes (the round's
 * request, the reviewer's reminder, the escalation contact's link). A party's review of a round
 * keeps a list of the hashes of the links issued for it (`keys.issuedLinks`), each with its holder
 * (the reviewer, or the escalation contact). Per link, in this order:
 *
 * 1. the hash is appended to the list (a versioned write);
 * 2. the link item is stored;
 * 3. the caller emails it;
 * 4. every earlier link of the same holder on the list is marked superseded (one conditional
 *    update each: unused and not yet superseded, so a decision racing it wins or loses whole).
 *
 * After a crash anywhere the step is run again (a workflow retry, a sweep duty taken over) and issues
 * a new link, whose step 4 supersedes every earlier one, including the link issued before the crash
 * (sent or not: its id existed only in memory and in that email). So once a run finishes, the holder
 * has exactly one live link; between steps 3 and 4 the holder briefly has two, which is harmless:
 * the party's review decides once (the application's state takes one decision per party and round),
 * and whichever link decides, the other then answers as superseded. Superseding only links earlier
 * on the list means a slow run never retires a link a later run issued and sent.
 *
 * The email's link id is never stored (DESIGN.md principle 6), which is why a retry mints a new link
 * rather than resending the old one.
 */

export interface IssuedLink {
  readonly hash: string;
  readonly holder: ReviewRole;
  readonly at: string;
}

export const ISSUED_LINKS_ITEM = 'ISSUED_LINKS';

type IssuedLinksItem = StoredItem & {
  readonly itemType: typeof ISSUED_LINKS_ITEM;
  readonly applicationId: string;
  readonly party: Party;
  readonly round: number;
  readonly links: readonly IssuedLink[];
};

/** What OpenReview recorded for a round's request before links were listed: the round's first link. */
interface OpenReviewMemo {
  readonly linkHash?: string;
}

/**
 * The round's first link in data written before issued links were listed: OpenReview's memo holds
 * its hash, so a list started now begins with it and a reminder can supersede it.
 */
async function linksBeforeTheList(
  ports: Needs<'store'>,
  at: { readonly applicationId: string; readonly party: Party; readonly round: number },
): Promise<IssuedLink[]> {
  const memo = await ports.store.recordedStep<OpenReviewMemo>(
    at.applicationId,
    `OpenReview.${at.party}`,
    at.round,
  );
  return memo?.linkHash === undefined ? [] : [{ hash: memo.linkHash, holder: 'REVIEWER', at: '' }];
}

const ATTEMPTS = 5;

/** Steps 1 and 2: lists the new link's hash, then stores the link. */
export async function issueReviewLink(
  ports: Needs<'store' | 'linkSecret'>,
  input: NewReviewLink & { readonly holder: ReviewRole },
): Promise<{ readonly linkId: string; readonly link: ReviewLink; readonly earlier: readonly IssuedLink[] }> {
  const { store } = ports;
  const minted = await mintLinkId(ports);
  const entry: IssuedLink = { hash: minted.linkHash, holder: input.holder, at: input.now };
  const key = keys.issuedLinks(input.applicationId, input.party, input.round);
  let earlier: readonly IssuedLink[] | undefined;
  for (let attempt = 1; earlier === undefined; attempt += 1) {
    const list = await store.get<IssuedLinksItem & { readonly version: number }>(key);
    try {
      if (list === undefined) {
        const before = await linksBeforeTheList(ports, input);
        await store.putNew({
          ...key,
          itemType: ISSUED_LINKS_ITEM,
          applicationId: input.applicationId,
          party: input.party,
          round: input.round,
          links: [...before, entry],
          ...expiresAfter(input.expiresAt, RETENTION_DAYS.reviewLink),
        } satisfies IssuedLinksItem);
        earlier = before;
      } else {
        await store.updateVersioned(key, list.version, { links: [...list.links, entry] });
        earlier = list.links;
      }
    } catch (error) {
      // Another run listed a link at the same moment: read the list again and append after it.
      if (!(error instanceof ConflictError) || attempt >= ATTEMPTS) throw error;
    }
  }
  const { linkId, link } = await createReviewLink(ports, input, minted);
  return { linkId, link, earlier };
}

/** Step 4: supersedes the holder's links issued before the one just sent; returns how many it marked. */
export async function supersedeEarlierLinks(
  ports: Needs<'store'>,
  earlier: readonly IssuedLink[],
  holder: ReviewRole,
  now: string,
): Promise<number> {
  let marked = 0;
  for (const link of earlier) {
    if (link.holder === holder && (await supersedeLink(ports, link.hash, now))) marked += 1;
  }
  return marked;
}
