import { describe, expect, it } from 'vitest';
import { classify, type ClassificationInput } from '../../../domain/classification.ts';
import { coverageVerdict } from '../../../domain/coverage.ts';
import { startOfLocalDay } from '../../../domain/dates.ts';
import type { Fact } from '../../../domain/facts.ts';
import { POLICY, POLICIES, policyById, policyEffectiveUntil } from '../../../domain/policy.ts';

/** RULES.md §6.1: what a change of the enterprise's causes means for its open application. */

const meta = (id: string, on: string) => ({ id, recordedAt: startOfLocalDay(on), policyId: POLICY.id });
const paidTax: Fact = {
  type: 'TAX_ASSESSMENT',
  amountFen: 100,
  dueOn: '2026-05-31',
  paidOn: '2026-09-10',
  ...meta('t', '2026-05-31'),
};
const unpaidTax: Fact = {
  type: 'TAX_ASSESSMENT',
  amountFen: 100,
  dueOn: '2026-05-31',
  ...meta('u', '2026-05-31'),
};
const bribery: Fact = { type: 'BRIBERY', occurredOn: '2026-10-01', ...meta('b', '2026-10-01') };
const enterprise = (facts: Fact[]): ClassificationInput => ({
  registeredTier: 'REGULAR',
  facts,
  closures: [],
});
const verdict = (covered: string[], facts: Fact[], day: string, moment: 'OPEN' | 'UPGRADE') =>
  coverageVerdict(covered, classify(enterprise(facts), day), moment);

describe('coverageVerdict', () => {
  it('is COVERED while the active causes are the covered ones', () => {
    expect(verdict(['TAX_ARREARS-t'], [paidTax], '2026-10-01', 'UPGRADE')).toEqual({
      kind: 'COVERED',
      activeCoveredIds: ['TAX_ARREARS-t'],
    });
  });

  it('names the causes the application does not cover', () => {
    expect(verdict(['TAX_ARREARS-t'], [paidTax, bribery], '2026-10-01', 'OPEN')).toEqual({
      kind: 'NEW_CAUSE_DETERMINED',
      causeIds: ['BRIBERY-b'],
    });
  });

  it('lets an unrectified covered cause pass while open, not at the upgrade', () => {
    expect(verdict(['TAX_ARREARS-u'], [unpaidTax], '2026-10-01', 'OPEN').kind).toBe('COVERED');
    expect(verdict(['TAX_ARREARS-u'], [unpaidTax], '2026-10-01', 'UPGRADE')).toEqual({
      kind: 'NEW_CAUSE_DETERMINED',
      causeIds: ['TAX_ARREARS-u'],
    });
  });

  it('is LISTING_ENDED when no covered cause is left active', () => {
    // Determined 2026-09-01, paid 2026-09-10: listed until 2027-09-01.
    expect(verdict(['TAX_ARREARS-t'], [paidTax], '2027-08-31', 'OPEN').kind).toBe('COVERED');
    expect(verdict(['TAX_ARREARS-t'], [paidTax], '2027-09-01', 'OPEN')).toEqual({ kind: 'LISTING_ENDED' });
  });
});

describe('the policy table', () => {
  it('ends each policy the day before the next one starts', () => {
    expect(POLICIES.map((p) => [p.id, p.effectiveFrom, policyEffectiveUntil(p)])).toEqual([
      ['GAC-282-2026', '2026-04-01', null],
      ['GAC-251-2021', '2021-11-01', '2026-03-31'],
    ]);
  });

  it('holds each number once: GAC-251-2021 differs from GAC-282-2026 only where Order No. 251 does', () => {
    const older = policyById('GAC-251-2021');
    expect(older.causes.BRIBERY).toEqual({ ...POLICY.causes.BRIBERY, tier: 'DISHONEST' });
    expect(older.listingYears).toEqual({ DISHONEST: 2, SERIOUSLY_DISHONEST: 3 });
    expect(older.review).toBe(POLICY.review);
    expect(older.evidence).toBe(POLICY.evidence);
    expect(older.causes.TAX_ARREARS).toBe(POLICY.causes.TAX_ARREARS);
  });
});
