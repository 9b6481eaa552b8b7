import { describe, expect, it } from 'vitest';
import { POLICY } from '../../../domain/policy.ts';
import { isLastRound, tallyRound, tallyVerdict, toSupersede } from '../../../domain/tally.ts';
import type { TalliedReview } from '../../../domain/tally.ts';
import type { Party, ReviewStatus } from '../../../domain/vocabulary.ts';

const TWO: readonly Party[] = POLICY.review.parties.DISHONEST;
const FOUR: readonly Party[] = POLICY.review.parties.SERIOUSLY_DISHONEST;
const MAX = POLICY.review.maxRounds;

const A = 'APPROVED';
const R = 'REJECTED';
const C = 'CHANGES_REQUESTED';
const P = 'PENDING';

const reviews = (parties: readonly Party[], statuses: readonly ReviewStatus[]): TalliedReview[] =>
  parties.map((party, i) => ({ party, status: statuses[i] as ReviewStatus }));

describe('tallyRound', () => {
  // [statuses, round 1, round 2, round 3]
  const table: [readonly ReviewStatus[], string, string, string][] = [
    [[P, P], P, P, P],
    [[A, P], P, P, P],
    [[A, A], A, A, A],
    [[R, P], R, R, R],
    [[A, R], R, R, R],
    [[C, P], P, P, R],
    [[C, A], C, C, R],
    [[C, C], C, C, R],
    [[C, R], R, R, R],
    [[P, P, P, P], P, P, P],
    [[A, A, A, P], P, P, P],
    [[A, A, A, A], A, A, A],
    [[P, P, R, P], R, R, R],
    [[A, C, A, P], P, P, R],
    [[A, C, A, A], C, C, R],
    [[C, C, C, C], C, C, R],
    [[A, A, C, R], R, R, R],
  ];
  const cases = table.flatMap(([statuses, ...byRound]) =>
    byRound.map((expected, i) => ({ statuses, round: i + 1, expected, parties: statuses.length })),
  );

  it.each(cases)(
    '$parties parties $statuses in round $round → $expected',
    ({ statuses, round, expected }) => {
      const parties = statuses.length === 2 ? TWO : FOUR;
      expect(tallyRound(reviews(parties, statuses), round, MAX)).toBe(expected);
    },
  );

  it('gives the reason a round ended', () => {
    expect(tallyVerdict(reviews(TWO, [A, A]), 1, MAX)).toEqual({ result: A, reason: 'ALL_APPROVED' });
    expect(tallyVerdict(reviews(TWO, [R, C]), 3, MAX)).toEqual({ result: R, reason: 'PARTY_REJECTED' });
    expect(tallyVerdict(reviews(TWO, [C, P]), 3, MAX)).toEqual({ result: R, reason: 'ROUND_LIMIT_REACHED' });
    expect(tallyVerdict(reviews(TWO, [C, A]), 2, MAX)).toEqual({ result: C });
    expect(tallyVerdict(reviews(TWO, [A, P]), 1, MAX)).toEqual({ result: P });
  });

  it('has no result without reviews, or with reviews closed undecided', () => {
    expect(tallyRound([], 1, MAX)).toBe(P);
    expect(tallyRound(reviews(TWO, [A, 'EXPIRED']), 1, MAX)).toBe(P);
    expect(tallyRound(reviews(TWO, [C, 'SUPERSEDED']), 1, MAX)).toBe(P);
  });

  it('knows the last round from the policy', () => {
    expect(isLastRound(MAX - 1, MAX)).toBe(false);
    expect(isLastRound(MAX, MAX)).toBe(true);
    // A policy with fewer rounds makes an earlier round the last one.
    expect(tallyVerdict(reviews(TWO, [C, A]), 2, 2)).toEqual({ result: R, reason: 'ROUND_LIMIT_REACHED' });
  });
});

describe('toSupersede', () => {
  it.each([
    { statuses: [R, P], round: 1, expected: ['TAX'] },
    { statuses: [P, A, R, P], round: 1, expected: ['CUSTOMS', 'FINANCIAL_REGULATION'] },
    { statuses: [C, P, A, P], round: 3, expected: ['TAX', 'FINANCIAL_REGULATION'] },
    { statuses: [C, P, A, P], round: 2, expected: [] },
    { statuses: [A, P], round: 1, expected: [] },
    { statuses: [R, A], round: 1, expected: [] },
  ] as const)('$statuses in round $round → $expected', ({ statuses, round, expected }) => {
    const parties = statuses.length === 2 ? TWO : FOUR;
    expect(toSupersede(reviews(parties, statuses), round, MAX)).toEqual(expected);
  });
});
