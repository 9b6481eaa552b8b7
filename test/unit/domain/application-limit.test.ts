import { describe, expect, it } from 'vitest';
import { APPLICATION_LIMIT, checkApplicationLimit } from '../../../domain/application-limit.ts';

const NOW = new Date('2026-06-30T12:00:00.000Z');
const daysAgo = (days: number): string => new Date(NOW.getTime() - days * 86_400_000).toISOString();

describe('the application limit', () => {
  it('allows up to perWindow − 1 earlier applications in the window', () => {
    const four = [1, 2, 3, 4].map((d) => ({ submittedAt: daysAgo(d) }));
    expect(checkApplicationLimit(four, NOW)).toEqual({ allowed: true });
    expect(APPLICATION_LIMIT).toEqual({ perWindow: 5, windowDays: 30 });
  });

  it('refuses the 6th in 30 days, withdrawn ones counted, until the oldest leaves the window', () => {
    const five = [
      { submittedAt: daysAgo(10), outcomeReason: 'WITHDRAWN_BY_APPLICANT' as const },
      { submittedAt: daysAgo(8) },
      { submittedAt: daysAgo(6), outcomeReason: 'EVIDENCE_TIMEOUT' as const },
      { submittedAt: daysAgo(4) },
      { submittedAt: daysAgo(2) },
    ];
    expect(checkApplicationLimit(five, NOW)).toEqual({
      allowed: false,
      counted: 5,
      retryAfterSeconds: 20 * 86_400,
    });
  });

  it('does not count what ended without the applicant’s doing, nor what left the window', () => {
    const created = [
      { submittedAt: daysAgo(31) },
      { submittedAt: daysAgo(30) },
      { submittedAt: daysAgo(9), outcomeReason: 'REVIEW_TIMEOUT' as const },
      { submittedAt: daysAgo(8), outcomeReason: 'NEW_CAUSE_DETERMINED' as const },
      { submittedAt: daysAgo(7), outcomeReason: 'LISTING_ENDED' as const },
      { submittedAt: daysAgo(6), outcomeReason: 'WORKFLOW_FAILED' as const },
      { submittedAt: daysAgo(5) },
      { submittedAt: daysAgo(4) },
      { submittedAt: daysAgo(3) },
      { submittedAt: daysAgo(2) },
    ];
    expect(checkApplicationLimit(created, NOW)).toEqual({ allowed: true });
  });

  it('waits for enough of them to leave when there are more than the limit', () => {
    const seven = [12, 11, 10, 9, 8, 7, 6].map((d) => ({ submittedAt: daysAgo(d) }));
    // Two more than four must leave: the third oldest (10 days ago) leaves in 20 days.
    expect(checkApplicationLimit(seven, NOW)).toMatchObject({
      allowed: false,
      retryAfterSeconds: 20 * 86_400,
    });
  });
});
