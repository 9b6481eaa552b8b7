import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, startOfLocalDay } from '../../../domain/dates.ts';
import { IllegalTransitionError } from '../../../domain/errors.ts';
import { applyEvent, currentReviews, missingDocuments } from '../../../domain/lifecycle.ts';
import type { ApplicationEvent, ApplicationState } from '../../../domain/lifecycle.ts';
import { POLICY } from '../../../domain/policy.ts';
import { tallyRound, toSupersede } from '../../../domain/tally.ts';
import { DECISIONS, DOCUMENT_TYPES, PARTIES, isFinalStatus } from '../../../domain/vocabulary.ts';
import type { Party } from '../../../domain/vocabulary.ts';

/**
 * Event sequences come in two flavours. "Guided" steps are read against the current state (its
 * round, its parties, time moving forward), so that sequences often get through a whole review,
 * to every final status. "Wild" events ignore the state entirely, including malformed ones.
 */

const MAX_ROUNDS = POLICY.review.maxRounds;
const DAY0 = '2026-05-04';
const instantOn = (day: number, minute: number): string =>
  new Date(Date.parse(startOfLocalDay(addDays(DAY0, day))) + minute * 60_000).toISOString();

const KINDS = [
  'SUBMITTED',
  'EVIDENCE_UPLOADED',
  'EVIDENCE_UPLOADED',
  'EVIDENCE_UPLOADED',
  'EVIDENCE_SUBMITTED',
  'REVIEW_ROUND_OPENED',
  'REVIEW_DECIDED',
  'REVIEW_DECIDED',
  'REVIEW_DECIDED',
  'REVIEW_DECIDED',
  'REVIEW_SUPERSEDED',
  'ROUND_ENDED',
  'ROUND_ENDED',
  'UPGRADED',
  'WITHDRAWN',
  'DEADLINE_PASSED',
  'FOUND_INELIGIBLE',
  'WORKFLOW_FAILED',
] as const;

const step = fc.record({
  /** Below 7 the step takes the state's natural next event (only its details are random). */
  mode: fc.nat({ max: 9 }),
  kind: fc.constantFrom(...KINDS),
  pick: fc.nat({ max: 99 }),
  roundShift: fc.constantFrom(0, 0, 0, 0, -1, 1),
  daysForward: fc.oneof(fc.constantFrom(0, 0, 1), fc.nat({ max: 70 })),
  minute: fc.nat({ max: 1439 }),
  decision: fc.constantFrom('APPROVE', 'APPROVE', 'APPROVE', 'REJECT', 'REQUEST_CHANGES'),
  comment: fc.constantFrom<string | undefined>('a reason', 'a reason', ' ', undefined),
  result: fc.constantFrom('APPROVED', 'REJECTED', 'CHANGES_REQUESTED'),
  deadline: fc.constantFrom('EVIDENCE', 'REVIEW'),
});
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

const submission = fc.record({
  fromTier: fc.constantFrom('DISHONEST', 'SERIOUSLY_DISHONEST'),
  documents: fc.uniqueArray(fc.constantFrom(...DOCUMENT_TYPES), { minLength: 1, maxLength: 4 }),
});

/** The event that moves the application on, or undefined where none does. */
function naturalNextKind(state: ApplicationState | undefined): Step['kind'] | undefined {
  if (state === undefined) return 'SUBMITTED';
  if (isFinalStatus(state.status)) return undefined;
  if (state.status === 'AWAITING_EVIDENCE') {
    return missingDocuments(state).length > 0 ? 'EVIDENCE_UPLOADED' : 'EVIDENCE_SUBMITTED';
  }
  if (state.reviewOpenedOn === undefined) return 'REVIEW_ROUND_OPENED';
  if (state.approvedAt !== undefined) return 'UPGRADED';
  const result = tallyRound(currentReviews(state), state.round, MAX_ROUNDS);
  if (result === 'PENDING') return 'REVIEW_DECIDED';
  return toSupersede(currentReviews(state), state.round, MAX_ROUNDS).length > 0
    ? 'REVIEW_SUPERSEDED'
    : 'ROUND_ENDED';
}

function guidedEvent(step: Step, state: ApplicationState | undefined, day: number): ApplicationEvent {
  const natural = step.mode < 7 ? naturalNextKind(state) : undefined;
  const s: Step = natural ? { ...step, kind: natural, roundShift: 0 } : step;
  const pending = state?.parties.filter((p) => state.reviews[p]?.status === 'PENDING') ?? [];
  const missing = state ? missingDocuments(state) : [];
  const at = instantOn(day, s.minute);
  const parties: readonly Party[] = state?.parties ?? PARTIES;
  const party = (
    natural && pending.length > 0 ? pending[s.pick % pending.length] : parties[s.pick % parties.length]
  ) as Party;
  const round = Math.max(1, Math.min(POLICY.review.maxRounds, (state?.round ?? 1) + s.roundShift));
  switch (s.kind) {
    case 'SUBMITTED':
      return {
        type: 'SUBMITTED',
        at,
        applicationId: 'app',
        enterpriseId: 'ABCDE12345',
        fromTier: 'DISHONEST',
        parties: [...POLICY.review.parties.DISHONEST],
        requiredDocuments: ['REPAIR_APPLICATION'],
        policyId: POLICY.id,
        coveredCauseIds: ['TAX_ARREARS-t1'],
      };
    case 'EVIDENCE_UPLOADED': {
      const docs = natural ? missing : (state?.requiredDocuments ?? DOCUMENT_TYPES);
      const documentType = s.pick % 10 === 0 ? 'COOPERATION_PROOF' : docs[s.pick % docs.length];
      return {
        type: s.kind,
        at,
        documentType: documentType ?? 'REPAIR_APPLICATION',
        evidenceId: `e${s.pick}`,
      };
    }
    case 'REVIEW_DECIDED':
      return {
        type: s.kind,
        at,
        round,
        party,
        decision: s.decision,
        ...(s.comment === undefined ? {} : { comment: s.comment }),
      };
    case 'REVIEW_SUPERSEDED':
      return { type: s.kind, at, round, party };
    case 'REVIEW_ROUND_OPENED':
      return { type: s.kind, at, round };
    case 'ROUND_ENDED':
      return {
        type: s.kind,
        at,
        round,
        result:
          natural && state
            ? (tallyRound(currentReviews(state), round, MAX_ROUNDS) as Step['result'])
            : s.result,
      };
    case 'DEADLINE_PASSED':
      return { type: s.kind, at, kind: s.deadline };
    case 'FOUND_INELIGIBLE':
      return { type: s.kind, at, reasons: ['OUTSTANDING_OBLIGATIONS'] };
    case 'WORKFLOW_FAILED':
      return { type: s.kind, at, error: 'boom' };
    default:
      return { type: s.kind, at };
  }
}

const wildEvent: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({
    type: fc.constantFrom(...new Set(KINDS)),
    at: fc.oneof(
      fc.integer({ min: 0, max: 400 }).map((d) => instantOn(d, 0)),
      fc.constantFrom('2026-05-04', 'not a date', '9999-12-31T23:59:59Z', '0001-01-01T00:00:00Z'),
    ),
    round: fc.integer({ min: -1, max: 5 }),
    party: fc.constantFrom(...PARTIES, 'NOBODY'),
    decision: fc.constantFrom(...DECISIONS),
    comment: fc.option(fc.string(), { nil: undefined }),
    result: fc.constantFrom('APPROVED', 'REJECTED', 'CHANGES_REQUESTED', 'PENDING'),
    kind: fc.constantFrom('EVIDENCE', 'REVIEW'),
    documentType: fc.constantFrom(...DOCUMENT_TYPES),
    evidenceId: fc.string(),
    reasons: fc.constant(['NOT_DOWNGRADED']),
    error: fc.string(),
    applicationId: fc.string(),
    enterpriseId: fc.constantFrom('ABCDE12345', 'x'),
    fromTier: fc.constantFrom('DISHONEST', 'SERIOUSLY_DISHONEST', 'REGULAR'),
    parties: fc.subarray([...PARTIES]),
    requiredDocuments: fc.subarray([...DOCUMENT_TYPES]),
    policyId: fc.constant(POLICY.id),
    coveredCauseIds: fc.constantFrom(['TAX_ARREARS-t1'], [], ['bad id']),
  }),
  fc.anything(),
);

/** What the harness checks at every step, independently of the reducer's own bookkeeping. */
interface Model {
  state: ApplicationState | undefined;
  /** round → parties whose APPROVE the reducer accepted in that round. */
  approvals: Map<number, Set<Party>>;
  rejectedRounds: Set<number>;
}

function applyChecked(model: Model, event: unknown): void {
  const before = model.state === undefined ? undefined : structuredClone(model.state);
  let next: ApplicationState;
  try {
    next = applyEvent(model.state, event as ApplicationEvent);
  } catch (error) {
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect(model.state).toEqual(before);
    return;
  }
  // A final status accepts nothing.
  expect(before === undefined || !isFinalStatus(before.status)).toBe(true);
  const e = event as ApplicationEvent;
  if (e.type === 'REVIEW_DECIDED') {
    if (e.decision === 'APPROVE') {
      const set = model.approvals.get(e.round) ?? new Set<Party>();
      set.add(e.party);
      model.approvals.set(e.round, set);
    }
    if (e.decision === 'REJECT') model.rejectedRounds.add(e.round);
  }
  checkInvariants(model, next);
  model.state = next;
}

function checkInvariants(model: Model, s: ApplicationState): void {
  expect(s.round).toBeGreaterThanOrEqual(1);
  expect(s.round).toBeLessThanOrEqual(POLICY.review.maxRounds);
  expect(isFinalStatus(s.status)).toBe(s.outcome !== undefined);
  if (s.outcome) expect(s.outcome.status).toBe(s.status);
  if (s.status === 'AWAITING_EVIDENCE') expect(s.reviews).toEqual({});
  if (s.status === 'APPROVED') {
    const approved = model.approvals.get(s.round) ?? new Set<Party>();
    for (const party of s.parties) expect(approved.has(party)).toBe(true);
    expect(model.rejectedRounds.has(s.round)).toBe(false);
    expect(Object.values(s.reviews).every((r) => r.status === 'APPROVED')).toBe(true);
  }
  if (isFinalStatus(s.status)) {
    expect(Object.values(s.reviews).some((r) => r.status === 'PENDING')).toBe(false);
  }
}

const newModel = (): Model => ({ state: undefined, approvals: new Map(), rejectedRounds: new Set() });

function runGuided(first: { fromTier: string; documents: string[] }, steps: Step[]): Model {
  const model = newModel();
  const tier = first.fromTier as 'DISHONEST' | 'SERIOUSLY_DISHONEST';
  applyChecked(model, {
    type: 'SUBMITTED',
    at: instantOn(0, 600),
    applicationId: 'app',
    enterpriseId: 'ABCDE12345',
    fromTier: tier,
    parties: [...POLICY.review.parties[tier]],
    requiredDocuments: first.documents,
    policyId: POLICY.id,
    coveredCauseIds: ['TAX_ARREARS-t1'],
  });
  let day = 0;
  for (const s of steps) {
    // Mostly a day or less between events, sometimes a leap past a deadline.
    day += s.daysForward > 20 && s.pick % 4 !== 0 ? 0 : s.daysForward;
    applyChecked(model, guidedEvent(s, model.state, day));
  }
  return model;
}

describe('lifecycle properties', () => {
  it('guided sequences keep every invariant; final states absorb', () => {
    fc.assert(
      fc.property(submission, fc.array(step, { maxLength: 60 }), (first, steps) => {
        const model = runGuided(first, steps);
        if (model.state && isFinalStatus(model.state.status)) {
          const final = structuredClone(model.state);
          for (const s of steps.slice(0, 8)) {
            const e = guidedEvent(s, model.state, 400);
            expect(() => applyEvent(model.state, e)).toThrowError(IllegalTransitionError);
            expect(model.state).toEqual(final);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('guided sequences reach every final status (the generator is not vacuous)', () => {
    const reached = new Set<string>();
    const samples = fc.sample(fc.tuple(submission, fc.array(step, { minLength: 20, maxLength: 60 })), {
      numRuns: 250,
      seed: 282,
    });
    for (const [first, steps] of samples) {
      const status = runGuided(first, steps).state?.status;
      if (status) reached.add(status);
    }
    expect([...reached].sort()).toEqual([
      'APPROVED',
      'AWAITING_EVIDENCE',
      'EXPIRED',
      'REJECTED',
      'UNDER_REVIEW',
      'WITHDRAWN',
    ]);
  });

  it('wild sequences throw nothing but IllegalTransitionError', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            wildEvent.map((event) => ({ wild: true as const, event })),
            fc.record({ wild: fc.constant(false as const), step, day: fc.nat({ max: 100 }) }),
          ),
          { maxLength: 40 },
        ),
        (items) => {
          const model = newModel();
          for (const item of items) {
            applyChecked(model, item.wild ? item.event : guidedEvent(item.step, model.state, item.day));
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
