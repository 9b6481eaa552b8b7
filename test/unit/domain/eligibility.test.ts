import { describe, expect, it } from 'vitest';
import { classify } from '../../../domain/classification.ts';
import type { ClassificationInput } from '../../../domain/classification.ts';
import { addDays, addMonths, startOfLocalDay } from '../../../domain/dates.ts';
import type { LocalDate } from '../../../domain/dates.ts';
import { checkEligibility } from '../../../domain/eligibility.ts';
import type { Fact } from '../../../domain/facts.ts';
import { POLICY } from '../../../domain/policy.ts';
import type { CauseCode } from '../../../domain/vocabulary.ts';

const meta = (id: string, on: LocalDate) => ({ id, recordedAt: startOfLocalDay(on), policyId: POLICY.id });
const enterprise = (facts: Fact[], extra: Partial<ClassificationInput> = {}): ClassificationInput => ({
  registeredTier: 'REGULAR',
  closures: [],
  ...extra,
  facts,
});
const eligibilityOn = (input: ClassificationInput, today: LocalDate, openApplicationId?: string) =>
  checkEligibility(
    { classification: classify(input, today), ...(openApplicationId ? { openApplicationId } : {}) },
    today,
  );

// One scenario per cause, every obligation met on the determination day, so the clock starts then.
const scenarios: { cause: CauseCode; determinedOn: LocalDate; facts: Fact[]; id?: string }[] = [
  {
    cause: 'EXCESSIVE_FINES',
    determinedOn: '2026-06-01',
    facts: [
      {
        type: 'FINE',
        amountFen: 60_000_000,
        imposedOn: '2026-05-01',
        dueOn: '2026-05-01',
        paidOn: '2026-05-01',
        ...meta('a', '2026-05-01'),
      },
      {
        type: 'FINE',
        amountFen: 50_000_000,
        imposedOn: '2026-06-01',
        dueOn: '2026-06-01',
        paidOn: '2026-06-01',
        ...meta('b', '2026-06-01'),
      },
    ],
  },
  {
    cause: 'TAX_ARREARS',
    determinedOn: '2026-09-01',
    facts: [
      {
        type: 'TAX_ASSESSMENT',
        amountFen: 100,
        dueOn: '2026-05-31',
        paidOn: '2026-09-01',
        ...meta('t', '2026-05-31'),
      },
    ],
  },
  {
    cause: 'FINE_ARREARS',
    determinedOn: '2026-12-01',
    facts: [
      {
        type: 'FINE',
        amountFen: 2_000_000,
        imposedOn: '2026-05-01',
        dueOn: '2026-05-31',
        paidOn: '2026-12-01',
        ...meta('f', '2026-05-01'),
      },
    ],
  },
  {
    cause: 'BRIBERY',
    determinedOn: '2026-06-10',
    facts: [{ type: 'BRIBERY', occurredOn: '2026-06-10', ...meta('x', '2026-06-10') }],
  },
  {
    cause: 'OBSTRUCTION',
    determinedOn: '2026-06-10',
    facts: [{ type: 'OBSTRUCTION', occurredOn: '2026-06-10', ...meta('x', '2026-06-10') }],
  },
  {
    cause: 'REPEATED_MAJOR_INFRACTIONS',
    determinedOn: '2026-06-10',
    facts: [
      { type: 'MAJOR_INFRACTION', occurredOn: '2026-02-01', ...meta('m1', '2026-02-01') },
      { type: 'MAJOR_INFRACTION', occurredOn: '2026-06-10', ...meta('m2', '2026-06-10') },
    ],
  },
];

describe('minimum rectification period per cause (RULES.md §2), the day before, of and after', () => {
  it.each(scenarios)('$cause', ({ cause, determinedOn, facts }) => {
    const policy = POLICY.causes[cause];
    const earliest = addMonths(determinedOn, policy.minimumRectificationMonths);
    const before = eligibilityOn(enterprise(facts), addDays(earliest, -1));
    expect(before.eligible).toBe(false);
    expect(before.reasons).toEqual([
      { code: 'RECTIFICATION_PERIOD_NOT_MET', earliestApplicationOn: earliest },
    ]);
    for (const today of [earliest, addDays(earliest, 1)]) {
      const result = eligibilityOn(enterprise(facts), today);
      expect(result).toEqual({
        eligible: true,
        reasons: [],
        earliestApplicationOn: earliest,
        requiredDocuments: ['REPAIR_APPLICATION', 'COMMITMENT_LETTER', ...policy.documents].sort(
          (x, y) => DOC_ORDER.indexOf(x) - DOC_ORDER.indexOf(y),
        ),
        parties: POLICY.review.parties[policy.tier],
        fromTier: policy.tier,
        targetTier: 'REGULAR',
        policyId: POLICY.id,
        coveredCauseIds: classify(enterprise(facts), today).causes.map((c) => c.id),
      });
      expect(result.coveredCauseIds).toEqual([expect.stringMatching(new RegExp(`^${cause}-`))]);
    }
  });
});

const DOC_ORDER = [
  'REPAIR_APPLICATION',
  'COMMITMENT_LETTER',
  'PENALTY_DECISION',
  'PENALTY_PAID_PROOF',
  'TAX_PAID_PROOF',
  'COOPERATION_PROOF',
  'RECTIFICATION_REPORT',
];

describe('refusal codes (RULES.md §3)', () => {
  const unpaidTax: Fact = {
    type: 'TAX_ASSESSMENT',
    amountFen: 100,
    dueOn: '2026-05-31',
    ...meta('t', '2026-05-31'),
  };

  it('NOT_DOWNGRADED for a regular or certified enterprise, with no parties', () => {
    for (const registeredTier of ['REGULAR', 'CERTIFIED', 'ADVANCED_CERTIFIED'] as const) {
      const result = eligibilityOn(enterprise([], { registeredTier }), '2026-06-01');
      expect(result).toMatchObject({
        eligible: false,
        reasons: [{ code: 'NOT_DOWNGRADED', tier: registeredTier }],
      });
      expect(result.parties).toEqual([]);
      expect(result.earliestApplicationOn).toBeNull();
    }
  });

  it('OUTSTANDING_OBLIGATIONS lists the facts, and the period cannot be met yet', () => {
    const result = eligibilityOn(enterprise([unpaidTax]), '2027-06-01');
    expect(result.eligible).toBe(false);
    expect(result.reasons).toEqual([
      {
        code: 'OUTSTANDING_OBLIGATIONS',
        facts: [{ factId: 't', type: 'TAX_ASSESSMENT', amountFen: 100, dueOn: '2026-05-31' }],
      },
      { code: 'RECTIFICATION_PERIOD_NOT_MET', earliestApplicationOn: null },
    ]);
  });

  it('APPLICATION_OPEN names the open application, alone or with every other reason', () => {
    const [bribery] = scenarios.filter((s) => s.cause === 'BRIBERY');
    expect(eligibilityOn(enterprise(bribery!.facts), '2027-06-10', 'app-1').reasons).toEqual([
      { code: 'APPLICATION_OPEN', applicationId: 'app-1' },
    ]);
    expect(eligibilityOn(enterprise([unpaidTax]), '2026-09-01', 'app-2').reasons.map((r) => r.code)).toEqual([
      'OUTSTANDING_OBLIGATIONS',
      'RECTIFICATION_PERIOD_NOT_MET',
      'APPLICATION_OPEN',
    ]);
    expect(eligibilityOn(enterprise([]), '2026-09-01', 'app-3').reasons.map((r) => r.code)).toEqual([
      'NOT_DOWNGRADED',
      'APPLICATION_OPEN',
    ]);
  });

  it('a new fact during the period restarts the clock and refuses again', () => {
    const [tax] = scenarios.filter((s) => s.cause === 'TAX_ARREARS');
    const fine: Fact = {
      type: 'FINE',
      amountFen: 100,
      imposedOn: '2026-10-15',
      dueOn: '2026-10-15',
      paidOn: '2026-10-15',
      ...meta('late', '2026-10-15'),
    };
    const result = eligibilityOn(enterprise([...tax!.facts, fine]), '2026-11-30');
    expect(result.reasons).toEqual([
      { code: 'RECTIFICATION_PERIOD_NOT_MET', earliestApplicationOn: '2027-01-15' },
    ]);
  });
});
