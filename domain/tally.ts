import type { OutcomeReason, Party, ReviewStatus } from './vocabulary.ts';

/**
 * The result of one review round (RULES.md §4), read from the parties' reviews of that round.
 *
 * - Any REJECT decides the round at once, whatever is still pending.
 * - In the last round (the policy's `review.maxRounds`) a change request counts as a rejection, and so it
 *   too decides at once: waiting for the other parties could not change the outcome.
 * - Otherwise the round needs every party's decision: all approvals → APPROVED, approvals and
 *   change requests → CHANGES_REQUESTED.
 * - A round with no reviews, or whose reviews were closed without a decision (EXPIRED, or
 *   SUPERSEDED without a rejection), has no result: PENDING.
 */

export type TallyResult = 'PENDING' | 'APPROVED' | 'REJECTED' | 'CHANGES_REQUESTED';

export interface TalliedReview {
  readonly party: Party;
  readonly status: ReviewStatus;
}

export interface RoundVerdict {
  readonly result: TallyResult;
  /** Why the round ended; absent while PENDING and for CHANGES_REQUESTED (the application goes on). */
  readonly reason?: Extract<OutcomeReason, 'ALL_APPROVED' | 'PARTY_REJECTED' | 'ROUND_LIMIT_REACHED'>;
}

export const isLastRound = (round: number, maxRounds: number): boolean => round >= maxRounds;

export function tallyVerdict(
  reviews: readonly TalliedReview[],
  round: number,
  maxRounds: number,
): RoundVerdict {
  const statuses = reviews.map((r) => r.status);
  if (statuses.includes('REJECTED')) return { result: 'REJECTED', reason: 'PARTY_REJECTED' };
  if (isLastRound(round, maxRounds) && statuses.includes('CHANGES_REQUESTED')) {
    return { result: 'REJECTED', reason: 'ROUND_LIMIT_REACHED' };
  }
  if (statuses.length === 0 || statuses.includes('PENDING')) return { result: 'PENDING' };
  if (statuses.every((s) => s === 'APPROVED')) return { result: 'APPROVED', reason: 'ALL_APPROVED' };
  if (statuses.every((s) => s === 'APPROVED' || s === 'CHANGES_REQUESTED'))
    return { result: 'CHANGES_REQUESTED' };
  return { result: 'PENDING' };
}

export const tallyRound = (
  reviews: readonly TalliedReview[],
  round: number,
  maxRounds: number,
): TallyResult => tallyVerdict(reviews, round, maxRounds).result;

/**
 * The parties whose open reviews close as SUPERSEDED because the round was decided by a
 * rejection before they decided. Empty while the round can still be decided by them.
 */
export function toSupersede(reviews: readonly TalliedReview[], round: number, maxRounds: number): Party[] {
  if (tallyRound(reviews, round, maxRounds) !== 'REJECTED') return [];
  return reviews.filter((r) => r.status === 'PENDING').map((r) => r.party);
}
