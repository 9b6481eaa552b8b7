import { describe, expect, it } from 'vitest';
import { classify, type ClassificationInput, type RecordedClosure } from '../../../domain/classification.ts';
import { coverageVerdict } from '../../../domain/coverage.ts';
import { addDays, startOfLocalDay, type LocalDate } from '../../../domain/dates.ts';
import { enterpriseDutiesOn } from '../../../domain/enterprise-duties.ts';
import { checkEligibility } from '../../../domain/eligibility.ts';
import type { Fact } from '../../../domain/facts.ts';
import {
  applyEvent,
  replay,
  type ApplicationEvent,
  type ApplicationState,
} from '../../../domain/lifecycle.ts';
import { POLICY } from '../../../domain/policy.ts';
import { applicationDutiesOn } from '../../../domain/review-duties.ts';
import { reviewContext } from '../../../domain/review-view.ts';

/**
 * Issue 10's list, case by case, through the domain alone: each case the rules engine got wrong
 * before RULES.md §6, as the pure functions now decide it. The same cases run over HTTP on the
 * embedded runtime in test/integration/rules-revision-2*.test.ts.
 */

type Details = Record<string, unknown> & { readonly type: Fact['type']; readonly id: string };
const recorded = (fact: Details, on: LocalDate, hour = 10): Fact =>
  ({
    ...fact,
    recordedAt: new Date(Date.parse(startOfLocalDay(on)) + hour * 3_600_000).toISOString(),
    policyId: POLICY.id,
  }) as Fact;
const tax = (id: string, dueOn: LocalDate, recordedOn: LocalDate, paidOn?: LocalDate): Fact =>
  recorded(
    { type: 'TAX_ASSESSMENT', id, amountFen: 100_000_00, dueOn, ...(paidOn ? { paidOn } : {}) },
    recordedOn,
  );
const fine = (id: string, yuan: number, on: LocalDate, recordedOn = on): Fact =>
  recorded({ type: 'FINE', id, amountFen: yuan * 100, imposedOn: on, dueOn: on, paidOn: on }, recordedOn);
const incident = (
  type: 'BRIBERY' | 'MAJOR_INFRACTION',
  id: string,
  on: LocalDate,
  recordedOn = on,
  hour = 10,
): Fact => recorded({ type, id, occurredOn: on }, recordedOn, hour);
const enterprise = (facts: Fact[], closures: RecordedClosure[] = []): ClassificationInput => ({
  registeredTier: 'REGULAR',
  facts,
  closures,
});
const repair = (causeIds: readonly string[], on: LocalDate): RecordedClosure[] =>
  causeIds.map((causeId) => ({
    causeId,
    kind: 'REPAIRED',
    on,
    recordedAt: startOfLocalDay(addDays(on, 0)),
    applicationId: 'app',
  }));

/** An application accepted on `day` for the enterprise as classified then. */
function accepted(input: ClassificationInput, day: LocalDate): ApplicationState {
  const eligibility = checkEligibility({ classification: classify(input, day) }, day);
  expect(eligibility.eligible).toBe(true);
  const submitted: ApplicationEvent = {
    type: 'SUBMITTED',
    at: new Date(Date.parse(startOfLocalDay(day)) + 3_600_000).toISOString(),
    applicationId: 'app',
    enterpriseId: 'ENT0000001',
    fromTier: eligibility.fromTier as 'DISHONEST',
    parties: [...eligibility.parties],
    requiredDocuments: [...eligibility.requiredDocuments],
    policyId: eligibility.policyId,
    coveredCauseIds: [...eligibility.coveredCauseIds],
  };
  return replay([submitted]) as ApplicationState;
}

describe('an approval no longer erases causes that arose while the application was open', () => {
  // Tax arrears determined 2026-06-01, paid the same day: eligible from 2026-09-01.
  const repaired = tax('t1', '2026-02-28', '2026-06-01', '2026-06-01');
  const applicationDay = '2026-10-01';

  it('a bribery recorded during review is a new cause: the application ends REJECTED', () => {
    const application = accepted(enterprise([repaired]), applicationDay);
    const withBribery = enterprise([repaired, incident('BRIBERY', 'b1', '2026-10-05')]);
    const verdict = coverageVerdict(
      application.coveredCauseIds!,
      classify(withBribery, '2026-10-05'),
      'OPEN',
    );
    expect(verdict).toEqual({ kind: 'NEW_CAUSE_DETERMINED', causeIds: ['BRIBERY-b1'] });
    const ended = applyEvent(application, {
      type: 'NEW_CAUSE_DETERMINED',
      at: '2026-10-05T02:00:00.000Z',
      causeIds: ['BRIBERY-b1'],
    });
    expect(ended.outcome).toMatchObject({ status: 'REJECTED', reason: 'NEW_CAUSE_DETERMINED' });
  });

  it('another tax debt unpaid arises by time under the open application, and a repair never closes it', () => {
    const application = accepted(enterprise([repaired]), applicationDay);
    const debt = tax('t2', '2026-07-10', '2026-10-02');
    const input = enterprise([repaired, debt]);
    // Arrears arise on 2026-10-11: from then the application no longer covers the causes.
    expect(coverageVerdict(application.coveredCauseIds!, classify(input, '2026-10-10'), 'OPEN').kind).toBe(
      'COVERED',
    );
    expect(coverageVerdict(application.coveredCauseIds!, classify(input, '2026-10-11'), 'OPEN')).toEqual({
      kind: 'NEW_CAUSE_DETERMINED',
      causeIds: ['TAX_ARREARS-t2'],
    });
    // Even a repair recorded for the covered ids leaves the unpaid arrears where they are.
    const afterRepair = classify(
      enterprise([repaired, debt], repair(application.coveredCauseIds!, '2026-10-20')),
      '2027-06-01',
    );
    expect(afterRepair.tier).toBe('DISHONEST');
    expect(afterRepair.causes.map((c) => c.id)).toEqual(['TAX_ARREARS-t2']);
  });

  it('a fact recorded later on the approval day is not covered', () => {
    const covered = accepted(enterprise([repaired]), applicationDay).coveredCauseIds!;
    const lateSameDay = incident('BRIBERY', 'b2', '2026-10-20', '2026-10-20', 22);
    const c = classify(enterprise([repaired, lateSameDay], repair(covered, '2026-10-20')), '2026-10-20');
    expect(c.causes.map((x) => x.id)).toEqual(['BRIBERY-b2']);
    expect(c.tier).toBe('SERIOUSLY_DISHONEST');
  });
});

describe('a repair or a listing expiry no longer removes unrelated fines and infractions from later windows', () => {
  it.each([
    ['a repair', repair(['TAX_ARREARS-t1'], '2026-08-01')],
    ['a listing expiry', []],
  ] as const)('after %s, the earlier fine and infraction still count', (_what, closures) => {
    const facts = [
      tax('t1', '2025-03-31', '2025-07-01', '2025-07-01'), // under GAC-251-2021: listed to 2027-07-01, or repaired
      fine('f1', 600_000, '2026-06-01'),
      incident('MAJOR_INFRACTION', 'm1', '2026-06-01'),
      fine('f2', 500_000, '2026-09-01'),
      incident('MAJOR_INFRACTION', 'm2', '2026-09-01'),
    ];
    const c = classify(enterprise(facts, [...closures]), '2026-09-01');
    expect(c.causes.map((x) => x.code).filter((code) => code !== 'TAX_ARREARS')).toEqual([
      'EXCESSIVE_FINES',
      'REPEATED_MAJOR_INFRACTIONS',
    ]);
  });
});

describe('a small fine while a window is above ¥1,000,000 determines nothing and extends nothing', () => {
  it('one cause, listed a year from its own date', () => {
    const facts = [
      fine('a', 600_000, '2026-05-01'),
      fine('b', 500_000, '2026-06-01'),
      fine('c', 100, '2026-07-01'),
    ];
    const c = classify(enterprise(facts), '2026-08-01');
    expect(c.causes.map((x) => [x.id, x.listingUntil])).toEqual([['EXCESSIVE_FINES-b', '2027-06-01']]);
    expect(c.listing?.until).toBe('2027-06-01');
  });
});

describe('a DISHONEST-grade cause no longer extends a SERIOUSLY_DISHONEST listing to 3 years from its own date', () => {
  it('the listing runs to the latest end among the causes', () => {
    const facts = [incident('BRIBERY', 'b', '2026-05-01'), tax('t', '2026-06-30', '2026-10-15')];
    expect(classify(enterprise(facts), '2026-10-15').listing).toEqual({
      label: 'Seriously Dishonest Listing',
      since: '2026-05-01',
      until: '2029-05-01',
    });
  });
});

describe('facts recorded for the past (RULES.md §6.6 worked example)', () => {
  const debt = tax('t', '2024-01-01', '2026-12-05', '2024-06-01');

  it('is REGULAR at once, the arrears closed LISTING_EXPIRED on 2026-04-02 under GAC-251-2021', () => {
    const c = classify(enterprise([debt]), '2026-12-05');
    expect(c).toMatchObject({ tier: 'REGULAR', causes: [], listing: null });
    expect(c.determined[0]).toMatchObject({
      determinedOn: '2024-04-02',
      policyId: 'GAC-251-2021',
      listingUntil: '2026-04-02',
      closed: { kind: 'LISTING_EXPIRED', on: '2026-04-02' },
    });
  });

  it('gives the sweep nothing to announce, on any day after', () => {
    for (const day of ['2026-12-05', '2026-12-06', '2027-04-02', '2030-01-01']) {
      expect(enterpriseDutiesOn(enterprise([debt]), day, new Set())).toEqual([]);
    }
  });
});

describe("the policy's effective date", () => {
  it('judges a bribery before 2026-04-01 under GAC-251-2021', () => {
    const c = classify(enterprise([incident('BRIBERY', 'b', '2026-03-20')]), '2026-04-10');
    expect(c.tier).toBe('DISHONEST');
    expect(c.causes[0]).toMatchObject({ policyId: 'GAC-251-2021', listingUntil: '2028-03-20' });
  });
});

describe('escalation on day 15, not day 14', () => {
  it('escalates on the first overdue day', () => {
    const open = replay([
      {
        type: 'SUBMITTED',
        at: '2026-05-04T02:00:00.000Z',
        applicationId: 'app',
        enterpriseId: 'ENT0000001',
        fromTier: 'DISHONEST',
        parties: ['CUSTOMS', 'TAX'],
        requiredDocuments: ['REPAIR_APPLICATION'],
        policyId: POLICY.id,
        coveredCauseIds: ['TAX_ARREARS-t'],
      },
      {
        type: 'EVIDENCE_UPLOADED',
        at: '2026-05-04T02:00:00.000Z',
        documentType: 'REPAIR_APPLICATION',
        evidenceId: 'e',
      },
      { type: 'EVIDENCE_SUBMITTED', at: '2026-05-04T02:00:00.000Z' },
      { type: 'REVIEW_ROUND_OPENED', at: '2026-05-04T02:00:00.000Z', round: 1 },
    ]) as ApplicationState;
    const kinds = (day: LocalDate) => applicationDutiesOn(open, day, []).map((d) => d.kind);
    expect(kinds('2026-05-18')).toEqual(['REVIEW_REMINDER', 'REVIEW_REMINDER']);
    expect(kinds('2026-05-19')).toEqual(['REVIEW_ESCALATION', 'REVIEW_ESCALATION']);
  });
});

describe('payment on the last day of the period is in time', () => {
  it('no arrears when paid on dueOn + 3 months', () => {
    expect(
      classify(enterprise([tax('t', '2026-05-31', '2026-05-31', '2026-08-31')]), '2027-01-01').determined,
    ).toEqual([]);
  });
});

describe('the parties match the tier, and customs leads', () => {
  it('refuses a SERIOUSLY_DISHONEST application with two parties', () => {
    expect(() =>
      applyEvent(undefined, {
        type: 'SUBMITTED',
        at: '2026-05-04T02:00:00.000Z',
        applicationId: 'app',
        enterpriseId: 'ENT0000001',
        fromTier: 'SERIOUSLY_DISHONEST',
        parties: ['CUSTOMS', 'TAX'],
        requiredDocuments: ['REPAIR_APPLICATION'],
        policyId: POLICY.id,
        coveredCauseIds: ['BRIBERY-b'],
      }),
    ).toThrow(expect.objectContaining({ code: 'WRONG_PARTIES' }) as Error);
  });

  it("shows the lead the others' decisions as they arrive, and nobody else", () => {
    const input = enterprise([incident('BRIBERY', 'b', '2026-05-01')]);
    const application = accepted(input, '2027-05-01');
    expect(application.parties).toEqual(POLICY.review.parties.SERIOUSLY_DISHONEST);
    const at = '2027-05-01T03:00:00.000Z';
    let s = applyEvent(application, {
      type: 'EVIDENCE_UPLOADED',
      at,
      documentType: 'REPAIR_APPLICATION',
      evidenceId: 'a',
    });
    for (const documentType of ['COMMITMENT_LETTER', 'PENALTY_DECISION', 'RECTIFICATION_REPORT'] as const) {
      s = applyEvent(s, { type: 'EVIDENCE_UPLOADED', at, documentType, evidenceId: documentType });
    }
    s = applyEvent(s, { type: 'EVIDENCE_SUBMITTED', at });
    s = applyEvent(s, { type: 'REVIEW_ROUND_OPENED', at, round: 1 });
    s = applyEvent(s, {
      type: 'REVIEW_DECIDED',
      at,
      round: 1,
      party: 'TAX',
      decision: 'APPROVE',
      comment: 'fine by tax',
    });
    expect(reviewContext(s, 'CUSTOMS')).toMatchObject({
      isLead: true,
      othersThisRound: [{ party: 'TAX', status: 'APPROVED', comment: 'fine by tax' }],
    });
    expect(reviewContext(s, 'MARKET_REGULATION')).toMatchObject({ isLead: false, othersThisRound: [] });
  });
});

describe('what the reviewers of round 2 see', () => {
  it('the earlier comments, the response, and which documents are new', () => {
    const at = (n: number) => `2026-05-0${n}T02:00:00.000Z`;
    let s = replay([
      {
        type: 'SUBMITTED',
        at: at(1),
        applicationId: 'app',
        enterpriseId: 'ENT0000001',
        fromTier: 'DISHONEST',
        parties: ['CUSTOMS', 'TAX'],
        requiredDocuments: ['REPAIR_APPLICATION', 'TAX_PAID_PROOF'],
        policyId: POLICY.id,
        coveredCauseIds: ['TAX_ARREARS-t'],
      },
      { type: 'EVIDENCE_UPLOADED', at: at(1), documentType: 'REPAIR_APPLICATION', evidenceId: 'a' },
      { type: 'EVIDENCE_UPLOADED', at: at(1), documentType: 'TAX_PAID_PROOF', evidenceId: 'b' },
      { type: 'EVIDENCE_SUBMITTED', at: at(1) },
      { type: 'REVIEW_ROUND_OPENED', at: at(1), round: 1 },
      {
        type: 'REVIEW_DECIDED',
        at: at(2),
        round: 1,
        party: 'TAX',
        decision: 'REQUEST_CHANGES',
        comment: 'unreadable',
      },
      { type: 'REVIEW_DECIDED', at: at(2), round: 1, party: 'CUSTOMS', decision: 'APPROVE' },
      { type: 'ROUND_ENDED', at: at(2), round: 1, result: 'CHANGES_REQUESTED' },
    ]) as ApplicationState;
    expect(reviewContext(s, 'TAX').newDocuments).toEqual([]);
    s = applyEvent(s, {
      type: 'EVIDENCE_UPLOADED',
      at: at(3),
      documentType: 'TAX_PAID_PROOF',
      evidenceId: 'c',
    });
    s = applyEvent(s, { type: 'EVIDENCE_SUBMITTED', at: at(3), response: 'A clearer scan.' });
    expect(reviewContext(s, 'TAX')).toMatchObject({
      isLead: false,
      newDocuments: ['TAX_PAID_PROOF'],
      responses: [{ round: 2, response: 'A clearer scan.' }],
      earlierRounds: [
        {
          round: 1,
          reviews: [
            { party: 'CUSTOMS', status: 'APPROVED' },
            { party: 'TAX', comment: 'unreadable' },
          ],
        },
      ],
    });
  });
});
