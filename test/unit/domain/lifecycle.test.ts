import { describe, expect, it } from 'vitest';
import { addDays, startOfLocalDay } from '../../../domain/dates.ts';
import type { LocalDate } from '../../../domain/dates.ts';
import { IllegalTransitionError } from '../../../domain/errors.ts';
import type { TransitionErrorCode } from '../../../domain/errors.ts';
import { applyEvent, leadPartyOf, missingDocuments, replay } from '../../../domain/lifecycle.ts';
import type { ApplicationEvent, ApplicationState } from '../../../domain/lifecycle.ts';
import { POLICY } from '../../../domain/policy.ts';
import type { DocumentType, Party } from '../../../domain/vocabulary.ts';

const DAY0: LocalDate = '2026-05-04';
const day = (n: number): LocalDate => addDays(DAY0, n);
/** An instant on day n at `hour` o'clock in Asia/Shanghai. */
const at = (n: number, hour = 10): string =>
  new Date(Date.parse(startOfLocalDay(day(n))) + hour * 3_600_000).toISOString();

const TWO_PARTIES: readonly Party[] = POLICY.review.parties.DISHONEST;
const DOCS: readonly DocumentType[] = ['REPAIR_APPLICATION', 'COMMITMENT_LETTER', 'TAX_PAID_PROOF'];

const ev = {
  submitted: (n = 0, parties: readonly Party[] = TWO_PARTIES): ApplicationEvent => ({
    type: 'SUBMITTED',
    at: at(n),
    applicationId: 'app-1',
    enterpriseId: '1234567890',
    fromTier: parties.length === 2 ? 'DISHONEST' : 'SERIOUSLY_DISHONEST',
    parties: [...parties],
    requiredDocuments: [...DOCS],
    policyId: POLICY.id,
    coveredCauseIds: ['TAX_ARREARS-t1'],
  }),
  upload: (documentType: DocumentType, n = 1, evidenceId = `ev-${documentType}`): ApplicationEvent => ({
    type: 'EVIDENCE_UPLOADED',
    at: at(n),
    documentType,
    evidenceId,
  }),
  submit: (n = 2, response?: string): ApplicationEvent => ({
    type: 'EVIDENCE_SUBMITTED',
    at: at(n),
    ...(response === undefined ? {} : { response }),
  }),
  open: (round = 1, n = 2): ApplicationEvent => ({ type: 'REVIEW_ROUND_OPENED', at: at(n), round }),
  decide: (
    party: Party,
    decision: 'APPROVE' | 'REJECT' | 'REQUEST_CHANGES',
    round = 1,
    n = 5,
    comment: string | undefined = decision === 'APPROVE' ? undefined : 'because',
  ): ApplicationEvent => ({
    type: 'REVIEW_DECIDED',
    at: at(n),
    round,
    party,
    decision,
    ...(comment === undefined ? {} : { comment }),
  }),
  supersede: (party: Party, round = 1, n = 6): ApplicationEvent => ({
    type: 'REVIEW_SUPERSEDED',
    at: at(n),
    round,
    party,
  }),
  ended: (result: 'APPROVED' | 'REJECTED' | 'CHANGES_REQUESTED', round = 1, n = 6): ApplicationEvent => ({
    type: 'ROUND_ENDED',
    at: at(n),
    round,
    result,
  }),
  upgraded: (n = 7): ApplicationEvent => ({ type: 'UPGRADED', at: at(n) }),
  withdrawn: (n = 3): ApplicationEvent => ({ type: 'WITHDRAWN', at: at(n) }),
  deadline: (kind: 'EVIDENCE' | 'REVIEW', n: number, hour = 10): ApplicationEvent => ({
    type: 'DEADLINE_PASSED',
    at: at(n, hour),
    kind,
  }),
  ineligible: (n = 1): ApplicationEvent => ({
    type: 'FOUND_INELIGIBLE',
    at: at(n),
    reasons: ['APPLICATION_OPEN'],
  }),
  failed: (n = 1): ApplicationEvent => ({ type: 'WORKFLOW_FAILED', at: at(n), error: 'States.TaskFailed' }),
};

const uploads = (n = 1): ApplicationEvent[] => DOCS.map((d) => ev.upload(d, n));

const state = (events: ApplicationEvent[]): ApplicationState => {
  const s = replay(events);
  if (!s) throw new Error('no state');
  return s;
};

const awaiting = (): ApplicationEvent[] => [ev.submitted()];
const submittedForReview = (): ApplicationEvent[] => [...awaiting(), ...uploads(), ev.submit()];
const roundOpen = (): ApplicationEvent[] => [...submittedForReview(), ev.open()];
const approvedRound = (): ApplicationEvent[] => [
  ...roundOpen(),
  ev.decide('CUSTOMS', 'APPROVE'),
  ev.decide('TAX', 'APPROVE'),
  ev.ended('APPROVED'),
];
const rejectedPending = (): ApplicationEvent[] => [...roundOpen(), ev.decide('TAX', 'REJECT')];

/** Freezes a state deeply, so a reducer that mutated its input would throw. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function illegal(s: ApplicationState | undefined, event: ApplicationEvent): IllegalTransitionError {
  const before = structuredClone(s);
  try {
    applyEvent(s === undefined ? s : deepFreeze(s), event);
  } catch (error) {
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect(s).toEqual(before);
    return error as IllegalTransitionError;
  }
  throw new Error(`${event.type} was accepted`);
}

const expectCode = (
  s: ApplicationState | undefined,
  event: ApplicationEvent,
  code: TransitionErrorCode,
): void => {
  expect(illegal(s, event).code).toBe(code);
};

describe('SUBMITTED', () => {
  it('creates an application awaiting evidence, due 30 days later, under the current policy', () => {
    const s = state(awaiting());
    expect(s).toEqual({
      id: 'app-1',
      enterpriseId: '1234567890',
      status: 'AWAITING_EVIDENCE',
      fromTier: 'DISHONEST',
      targetTier: 'REGULAR',
      parties: ['CUSTOMS', 'TAX'],
      round: 1,
      requiredDocuments: DOCS,
      evidence: {},
      reviews: {},
      evidenceDueOn: day(POLICY.evidence.deadlineDays),
      policyId: 'GAC-282-2026',
      coveredCauseIds: ['TAX_ARREARS-t1'],
      earlierRounds: [],
      responses: [],
      submittedAt: at(0),
      updatedAt: at(0),
    });
  });

  it('counts the evidence deadline from the Shanghai calendar date of the submission', () => {
    const lateEvening = { ...ev.submitted(), at: at(0, 23) };
    const afterMidnight = { ...ev.submitted(), at: at(1, 0) };
    expect(state([lateEvening]).evidenceDueOn).toBe(day(30));
    expect(state([afterMidnight]).evidenceDueOn).toBe(day(31));
  });

  it('comes once, and first', () => {
    expectCode(state(awaiting()), ev.submitted(), 'ALREADY_SUBMITTED');
    expectCode(undefined, ev.submit(), 'NO_APPLICATION');
  });

  it('refuses malformed events', () => {
    const base = ev.submitted() as Extract<ApplicationEvent, { type: 'SUBMITTED' }>;
    expectCode(undefined, { ...base, parties: ['CUSTOMS', 'CUSTOMS'] } as ApplicationEvent, 'INVALID_EVENT');
    expectCode(
      undefined,
      { ...base, requiredDocuments: ['REPAIR_APPLICATION', 'REPAIR_APPLICATION'] },
      'INVALID_EVENT',
    );
    expectCode(undefined, { ...base, parties: [] }, 'INVALID_EVENT');
    expectCode(undefined, { ...base, enterpriseId: 'short' }, 'INVALID_EVENT');
    expectCode(undefined, { ...base, at: '2026-05-04T10:00:00+08:00' }, 'INVALID_EVENT');
    expectCode(undefined, { ...base, at: '9999-12-31T00:00:00Z' }, 'INVALID_EVENT');
    expectCode(
      undefined,
      { type: 'NOT_AN_EVENT', at: at(0) } as unknown as ApplicationEvent,
      'INVALID_EVENT',
    );
    const error = illegal(undefined, { ...base, fromTier: 'REGULAR' } as unknown as ApplicationEvent);
    expect(error.details?.['issues']).toEqual([expect.objectContaining({ path: 'fromTier' })]);
  });
});

describe('evidence', () => {
  it('records each required document, a new upload replacing the earlier one', () => {
    const s = state([
      ...awaiting(),
      ev.upload('TAX_PAID_PROOF', 1, 'first'),
      ev.upload('TAX_PAID_PROOF', 3, 'second'),
    ]);
    expect(s.evidence).toEqual({ TAX_PAID_PROOF: { evidenceId: 'second', uploadedAt: at(3), round: 1 } });
    expect(s.updatedAt).toBe(at(3));
    expect(missingDocuments(s)).toEqual(['REPAIR_APPLICATION', 'COMMITMENT_LETTER']);
  });

  it('refuses documents the application does not need', () => {
    const error = illegal(state(awaiting()), ev.upload('COOPERATION_PROOF'));
    expect(error.code).toBe('DOCUMENT_NOT_REQUIRED');
    expect(error.details).toEqual({ requiredDocuments: DOCS });
  });

  it('refuses submission with documents missing, and lists them', () => {
    const error = illegal(state([...awaiting(), ev.upload('COMMITMENT_LETTER')]), ev.submit());
    expect(error.code).toBe('MISSING_DOCUMENTS');
    expect(error.details).toEqual({ missing: ['REPAIR_APPLICATION', 'TAX_PAID_PROOF'] });
  });

  it('sends complete evidence to review', () => {
    const s = state(submittedForReview());
    expect(s.status).toBe('UNDER_REVIEW');
    expect(s.reviews).toEqual({});
    expect(s.reviewOpenedOn).toBeUndefined();
  });

  // RULES.md §6.7: through day 30 after submission; the application expires on day 31.
  it.each([
    { n: 29, accepted: true },
    { n: 30, accepted: true },
    { n: 31, accepted: false },
    { n: 32, accepted: false },
  ])('uploads and submits on day $n: accepted $accepted', ({ n, accepted }) => {
    const s = state([...awaiting(), ...uploads(1)]);
    const uploadLate = ev.upload('TAX_PAID_PROOF', n);
    const submitLate = ev.submit(n);
    if (accepted) {
      expect(applyEvent(s, uploadLate).evidence.TAX_PAID_PROOF?.uploadedAt).toBe(at(n));
      expect(applyEvent(s, submitLate).status).toBe('UNDER_REVIEW');
    } else {
      expect(illegal(s, uploadLate).details).toEqual({ dueOn: day(30) });
      expectCode(s, submitLate, 'DEADLINE_PASSED');
    }
  });
});

describe('review round', () => {
  it('opens a PENDING review for every party at once', () => {
    const s = state(roundOpen());
    expect(s.reviewOpenedOn).toBe(day(2));
    expect(s.reviews).toEqual({
      CUSTOMS: { status: 'PENDING', openedAt: at(2) },
      TAX: { status: 'PENDING', openedAt: at(2) },
    });
  });

  it('opens once per round, for the current round only', () => {
    expectCode(state(roundOpen()), ev.open(), 'REVIEW_ALREADY_OPEN');
    expectCode(state(submittedForReview()), ev.open(2), 'STALE_ROUND');
  });

  it('records decisions with their comment', () => {
    const s = state([
      ...roundOpen(),
      ev.decide('CUSTOMS', 'APPROVE', 1, 5, '  fine  '),
      ev.decide('TAX', 'REQUEST_CHANGES', 1, 6, 'a clearer scan'),
    ]);
    expect(s.reviews).toEqual({
      CUSTOMS: { status: 'APPROVED', openedAt: at(2), decidedAt: at(5), comment: 'fine' },
      TAX: { status: 'CHANGES_REQUESTED', openedAt: at(2), decidedAt: at(6), comment: 'a clearer scan' },
    });
  });

  it('needs a reason to reject and a note to request changes', () => {
    const s = state(roundOpen());
    const { comment: _reason, ...withoutReason } = ev.decide('TAX', 'REJECT') as Extract<
      ApplicationEvent,
      { type: 'REVIEW_DECIDED' }
    >;
    expectCode(s, withoutReason, 'COMMENT_REQUIRED');
    expectCode(s, ev.decide('TAX', 'REJECT', 1, 5, '   '), 'COMMENT_REQUIRED');
    expect(illegal(s, ev.decide('TAX', 'REQUEST_CHANGES', 1, 5, '')).details).toEqual({
      decision: 'REQUEST_CHANGES',
    });
    expect(applyEvent(s, ev.decide('TAX', 'APPROVE', 1, 5, '')).reviews.TAX).not.toHaveProperty('comment');
  });

  it('refuses decisions that are not due', () => {
    const open = state(roundOpen());
    expectCode(state(submittedForReview()), ev.decide('TAX', 'APPROVE'), 'REVIEWS_NOT_OPEN');
    expectCode(open, ev.decide('TAX', 'APPROVE', 2), 'STALE_ROUND');
    expectCode(open, ev.decide('MARKET_REGULATION', 'APPROVE'), 'UNKNOWN_PARTY');
    const decided = applyEvent(open, ev.decide('TAX', 'APPROVE'));
    expect(illegal(decided, ev.decide('TAX', 'REJECT')).details).toEqual({ reviewStatus: 'APPROVED' });
    expectCode(state(rejectedPending()), ev.decide('CUSTOMS', 'APPROVE'), 'ROUND_DECIDED');
    expectCode(state(awaiting()), ev.decide('TAX', 'APPROVE'), 'WRONG_STATUS');
  });

  it.each([
    { n: 2 + 59, accepted: true },
    { n: 2 + 60, accepted: false },
  ])('takes a decision on day $n after the opening day: $accepted', ({ n, accepted }) => {
    const s = state(roundOpen());
    const decision = ev.decide('TAX', 'APPROVE', 1, n);
    if (accepted) expect(applyEvent(s, decision).reviews.TAX?.status).toBe('APPROVED');
    else expectCode(s, decision, 'DEADLINE_PASSED');
  });

  it('supersedes pending reviews only once a rejection decided the round', () => {
    expectCode(
      state([...roundOpen(), ev.decide('TAX', 'APPROVE')]),
      ev.supersede('CUSTOMS'),
      'ROUND_NOT_DECIDED',
    );
    expectCode(state(rejectedPending()), ev.supersede('TAX'), 'REVIEW_NOT_PENDING');
    expectCode(state(rejectedPending()), ev.supersede('FINANCIAL_REGULATION'), 'UNKNOWN_PARTY');
    const s = state([...rejectedPending(), ev.supersede('CUSTOMS')]);
    expect(s.reviews.CUSTOMS).toEqual({ status: 'SUPERSEDED', openedAt: at(2) });
    expect(s.status).toBe('UNDER_REVIEW');
  });
});

describe('ROUND_ENDED and UPGRADED', () => {
  it('approves only through the upgrade: the round ends approved, then the tier changes', () => {
    const roundApproved = state(approvedRound());
    expect(roundApproved.status).toBe('UNDER_REVIEW');
    expect(roundApproved.approvedAt).toBe(at(6));
    const s = applyEvent(roundApproved, ev.upgraded());
    expect(s.status).toBe('APPROVED');
    expect(s.outcome).toEqual({ status: 'APPROVED', reason: 'ALL_APPROVED', at: at(7) });
  });

  it('refuses an upgrade the reviews did not approve', () => {
    expectCode(state(roundOpen()), ev.upgraded(), 'WRONG_STATUS');
    expectCode(state(awaiting()), ev.upgraded(), 'WRONG_STATUS');
  });

  it('ends a round once only', () => {
    expectCode(state(approvedRound()), ev.ended('APPROVED'), 'ROUND_DECIDED');
  });

  it('must agree with the tally', () => {
    const pending = state([...roundOpen(), ev.decide('TAX', 'APPROVE')]);
    expect(illegal(pending, ev.ended('APPROVED')).details).toEqual({ expected: 'PENDING' });
    expectCode(state(rejectedPending()), ev.ended('CHANGES_REQUESTED'), 'ROUND_RESULT_MISMATCH');
    expectCode(state(roundOpen()), ev.ended('APPROVED', 2), 'STALE_ROUND');
  });

  it('rejects at once on a rejection, closing the pending reviews as superseded', () => {
    const s = state([...rejectedPending(), ev.ended('REJECTED')]);
    expect(s.status).toBe('REJECTED');
    expect(s.outcome).toEqual({ status: 'REJECTED', reason: 'PARTY_REJECTED', at: at(6) });
    expect(s.reviews.CUSTOMS?.status).toBe('SUPERSEDED');
    expect(s.reviews.TAX?.status).toBe('REJECTED');
  });

  it('sends a change request back for evidence: next round, new deadline from the round end, evidence kept', () => {
    const s = state([
      ...roundOpen(),
      ev.decide('CUSTOMS', 'REQUEST_CHANGES', 1, 3),
      ev.decide('TAX', 'APPROVE', 1, 9),
      ev.ended('CHANGES_REQUESTED', 1, 9),
    ]);
    expect(s.status).toBe('AWAITING_EVIDENCE');
    expect(s.round).toBe(2);
    expect(s.reviews).toEqual({});
    expect(s).not.toHaveProperty('reviewOpenedOn');
    expect(s.evidenceDueOn).toBe(day(9 + 30));
    expect(Object.keys(s.evidence)).toEqual(DOCS);
    const replaced = applyEvent(s, ev.upload('TAX_PAID_PROOF', 10, 'new'));
    expect(replaced.evidence.TAX_PAID_PROOF).toEqual({ evidenceId: 'new', uploadedAt: at(10), round: 2 });
  });

  it('counts a change request in the last round as a rejection', () => {
    const events = [...roundOpen()];
    for (let round = 1; round < POLICY.review.maxRounds; round += 1) {
      events.push(
        ev.decide('CUSTOMS', 'REQUEST_CHANGES', round, 3),
        ev.decide('TAX', 'APPROVE', round, 3),
        ev.ended('CHANGES_REQUESTED', round, 3),
        ev.submit(4, `round ${round + 1}: fixed`),
        ev.open(round + 1, 4),
      );
    }
    const last = state(events);
    expect(last.round).toBe(3);
    const s = state([...events, ev.decide('TAX', 'REQUEST_CHANGES', 3, 5), ev.ended('REJECTED', 3, 5)]);
    expect(s.status).toBe('REJECTED');
    expect(s.outcome?.reason).toBe('ROUND_LIMIT_REACHED');
    expect(s.reviews.CUSTOMS?.status).toBe('SUPERSEDED');
  });
});

describe('WITHDRAWN, DEADLINE_PASSED, FOUND_INELIGIBLE, WORKFLOW_FAILED', () => {
  it('withdraws from any open status while the outcome is open', () => {
    const fromEvidence = state([...awaiting(), ev.withdrawn()]);
    expect(fromEvidence.outcome).toEqual({
      status: 'WITHDRAWN',
      reason: 'WITHDRAWN_BY_APPLICANT',
      at: at(3),
    });
    const fromReview = state([...roundOpen(), ev.decide('TAX', 'APPROVE'), ev.withdrawn(6)]);
    expect(fromReview.status).toBe('WITHDRAWN');
    expect(fromReview.reviews.CUSTOMS?.status).toBe('SUPERSEDED');
    expect(fromReview.reviews.TAX?.status).toBe('APPROVED');
    expectCode(state(approvedRound()), ev.withdrawn(8), 'ROUND_DECIDED');
    expectCode(state(rejectedPending()), ev.withdrawn(8), 'ROUND_DECIDED');
  });

  it('refuses a withdrawal or a failure once every party approved, before the tally (the upgrade is owed)', () => {
    const allApproved = state([
      ...roundOpen(),
      ev.decide('TAX', 'APPROVE'),
      ev.decide('CUSTOMS', 'APPROVE', 1, 6),
    ]);
    expect(allApproved.approvedAt).toBeUndefined();
    expectCode(allApproved, ev.withdrawn(7), 'ROUND_DECIDED');
    expectCode(allApproved, ev.failed(7), 'ROUND_DECIDED');
    expectCode(allApproved, ev.ineligible(7), 'ROUND_DECIDED');
  });

  it.each([
    { n: 30, hour: 23, code: 'DEADLINE_NOT_PASSED' },
    { n: 31, hour: 0, code: undefined },
    { n: 32, hour: 10, code: undefined },
  ] as const)('expires evidence on day $n at $hour:00: $code', ({ n, hour, code }) => {
    const s = state([...awaiting(), ...uploads()]);
    if (code) {
      expect(illegal(s, ev.deadline('EVIDENCE', n, hour)).details).toEqual({ dueOn: day(30) });
    } else {
      const expired = applyEvent(s, ev.deadline('EVIDENCE', n, hour));
      expect(expired.outcome).toEqual({ status: 'EXPIRED', reason: 'EVIDENCE_TIMEOUT', at: at(n, hour) });
    }
  });

  it.each([
    { n: 2 + 59, code: 'DEADLINE_NOT_PASSED' },
    { n: 2 + 60, code: undefined },
    { n: 2 + 61, code: undefined },
  ] as const)('times the reviews out on day $n: $code', ({ n, code }) => {
    const s = state([...roundOpen(), ev.decide('TAX', 'APPROVE')]);
    if (code) {
      expectCode(s, ev.deadline('REVIEW', n), code);
    } else {
      const expired = applyEvent(s, ev.deadline('REVIEW', n));
      expect(expired.outcome).toEqual({ status: 'EXPIRED', reason: 'REVIEW_TIMEOUT', at: at(n) });
      expect(expired.reviews.CUSTOMS?.status).toBe('EXPIRED');
      expect(expired.reviews.TAX?.status).toBe('APPROVED');
    }
  });

  it('expires only what is waiting on that deadline', () => {
    expectCode(state(roundOpen()), ev.deadline('EVIDENCE', 90), 'WRONG_STATUS');
    expectCode(state(awaiting()), ev.deadline('REVIEW', 90), 'WRONG_STATUS');
    expectCode(state(submittedForReview()), ev.deadline('REVIEW', 90), 'REVIEWS_NOT_OPEN');
    expectCode(state(rejectedPending()), ev.deadline('REVIEW', 90), 'ROUND_DECIDED');
    expectCode(state(approvedRound()), ev.deadline('REVIEW', 90), 'ROUND_DECIDED');
  });

  it('rejects an application found ineligible, with the refusal codes', () => {
    const s = state([...awaiting(), ev.ineligible()]);
    expect(s.outcome).toEqual({
      status: 'REJECTED',
      reason: 'NOT_ELIGIBLE',
      at: at(1),
      refusals: ['APPLICATION_OPEN'],
    });
    expectCode(state(approvedRound()), ev.ineligible(8), 'ROUND_DECIDED');
  });

  it('closes an undecided application as expired when the workflow failed, never a decided round', () => {
    const s = state([...roundOpen(), ev.failed(3)]);
    expect(s.outcome).toEqual({ status: 'EXPIRED', reason: 'WORKFLOW_FAILED', at: at(3) });
    expect(s.reviews.TAX?.status).toBe('SUPERSEDED');
    expectCode(state(approvedRound()), ev.failed(8), 'ROUND_DECIDED');
    expectCode(state(rejectedPending()), ev.failed(8), 'ROUND_DECIDED');
  });
});

describe('RULES.md §6.1: causes changed under an open application', () => {
  const newCause: ApplicationEvent = { type: 'NEW_CAUSE_DETERMINED', at: at(6), causeIds: ['BRIBERY-b1'] };

  it('a new cause rejects it at once, superseding the pending reviews', () => {
    const s = applyEvent(state([...roundOpen(), ev.decide('TAX', 'APPROVE')]), newCause);
    expect(s.outcome).toEqual({ status: 'REJECTED', reason: 'NEW_CAUSE_DETERMINED', at: at(6) });
    expect(s.reviews).toMatchObject({ CUSTOMS: { status: 'SUPERSEDED' }, TAX: { status: 'APPROVED' } });
  });

  it('the end of every covered listing expires it, its links superseded', () => {
    const s = applyEvent(state(roundOpen()), { type: 'LISTING_ENDED', at: at(6) });
    expect(s.outcome).toEqual({ status: 'EXPIRED', reason: 'LISTING_ENDED', at: at(6) });
    expect(Object.values(s.reviews).map((r) => r.status)).toEqual(['SUPERSEDED', 'SUPERSEDED']);
  });

  it("does not override the parties' rejection, nor anything final", () => {
    expectCode(state(rejectedPending()), newCause, 'ROUND_DECIDED');
    expectCode(state([...approvedRound(), ev.upgraded()]), newCause, 'APPLICATION_FINAL');
    expectCode(state(roundOpen()), { ...newCause, causeIds: [] } as ApplicationEvent, 'INVALID_EVENT');
  });
});

describe('RULES.md §6.8: the parties match the tier', () => {
  const base = ev.submitted() as Extract<ApplicationEvent, { type: 'SUBMITTED' }>;

  it.each([
    [
      'a SERIOUSLY_DISHONEST application with the two DISHONEST parties',
      { fromTier: 'SERIOUSLY_DISHONEST' as const },
    ],
    [
      'a DISHONEST application with four parties',
      { parties: [...POLICY.review.parties.SERIOUSLY_DISHONEST] },
    ],
    ['a party missing', { parties: ['CUSTOMS' as const] }],
    ['the parties in another order', { parties: ['TAX' as const, 'CUSTOMS' as const] }],
  ])('refuses %s', (_name, change) => {
    const error = illegal(undefined, { ...base, ...change });
    expect(error.code).toBe('WRONG_PARTIES');
  });

  it('takes them from the policy the application is submitted under', () => {
    expectCode(undefined, { ...base, policyId: 'GAC-000' }, 'INVALID_EVENT');
    const older = state([{ ...base, policyId: 'GAC-251-2021' }]);
    expect(older).toMatchObject({
      policyId: 'GAC-251-2021',
      parties: ['CUSTOMS', 'TAX'],
      evidenceDueOn: day(30),
    });
  });

  it('names the lead party of that policy (RULES.md §6.9)', () => {
    expect(leadPartyOf(state(awaiting()))).toBe('CUSTOMS');
  });
});

describe('RULES.md §6.10: a resubmission needs a response, and the earlier round is kept', () => {
  const changesRequested = (): ApplicationEvent[] => [
    ...roundOpen(),
    ev.decide('CUSTOMS', 'REQUEST_CHANGES', 1, 3, 'The receipt is unreadable.'),
    ev.decide('TAX', 'APPROVE', 1, 3),
    ev.ended('CHANGES_REQUESTED', 1, 3),
  ];

  it('keeps the round that asked for changes', () => {
    expect(state(changesRequested()).earlierRounds).toEqual([
      {
        round: 1,
        reviews: [
          {
            party: 'CUSTOMS',
            status: 'CHANGES_REQUESTED',
            decidedAt: at(3),
            comment: 'The receipt is unreadable.',
          },
          { party: 'TAX', status: 'APPROVED', decidedAt: at(3) },
        ],
      },
    ]);
  });

  it.each([undefined, '', '   '])('refuses a round-2 submission with response %j', (response) => {
    expectCode(state(changesRequested()), ev.submit(4, response), 'RESPONSE_REQUIRED');
  });

  it('stores the response with its round; round 1 needs none', () => {
    const s = applyEvent(state(changesRequested()), ev.submit(4, '  A clearer scan.  '));
    expect(s.responses).toEqual([{ round: 2, response: 'A clearer scan.', at: at(4) }]);
    expect(state(submittedForReview()).responses).toEqual([]);
  });
});

describe('transition table', () => {
  const situations = {
    AWAITING_EVIDENCE: () => state([...awaiting(), ...uploads()]),
    'UNDER_REVIEW (not open)': () => state(submittedForReview()),
    'UNDER_REVIEW (open)': () => state(roundOpen()),
    'UNDER_REVIEW (approved)': () => state(approvedRound()),
  };
  const events: Record<string, ApplicationEvent> = {
    upload: ev.upload('REPAIR_APPLICATION', 8),
    submit: ev.submit(8),
    open: ev.open(1, 8),
    decide: ev.decide('CUSTOMS', 'APPROVE', 1, 8),
    ended: ev.ended('APPROVED', 1, 8),
    upgraded: ev.upgraded(8),
    withdrawn: ev.withdrawn(8),
    evidenceDeadline: ev.deadline('EVIDENCE', 40),
    reviewDeadline: ev.deadline('REVIEW', 70),
    ineligible: ev.ineligible(8),
    failed: ev.failed(8),
    newCause: { type: 'NEW_CAUSE_DETERMINED', at: at(8), causeIds: ['BRIBERY-b1'] },
    listingEnded: { type: 'LISTING_ENDED', at: at(8) },
  };
  // 'ok:<status>' = accepted, leading to that status; otherwise the error code.
  const table: Record<keyof typeof situations, Record<keyof typeof events, string>> = {
    AWAITING_EVIDENCE: {
      upload: 'ok:AWAITING_EVIDENCE',
      submit: 'ok:UNDER_REVIEW',
      open: 'WRONG_STATUS',
      decide: 'WRONG_STATUS',
      ended: 'WRONG_STATUS',
      upgraded: 'WRONG_STATUS',
      withdrawn: 'ok:WITHDRAWN',
      evidenceDeadline: 'ok:EXPIRED',
      reviewDeadline: 'WRONG_STATUS',
      ineligible: 'ok:REJECTED',
      failed: 'ok:EXPIRED',
      newCause: 'ok:REJECTED',
      listingEnded: 'ok:EXPIRED',
    },
    'UNDER_REVIEW (not open)': {
      upload: 'WRONG_STATUS',
      submit: 'WRONG_STATUS',
      open: 'ok:UNDER_REVIEW',
      decide: 'REVIEWS_NOT_OPEN',
      ended: 'REVIEWS_NOT_OPEN',
      upgraded: 'WRONG_STATUS',
      withdrawn: 'ok:WITHDRAWN',
      evidenceDeadline: 'WRONG_STATUS',
      reviewDeadline: 'REVIEWS_NOT_OPEN',
      ineligible: 'ok:REJECTED',
      failed: 'ok:EXPIRED',
      newCause: 'ok:REJECTED',
      listingEnded: 'ok:EXPIRED',
    },
    'UNDER_REVIEW (open)': {
      upload: 'WRONG_STATUS',
      submit: 'WRONG_STATUS',
      open: 'REVIEW_ALREADY_OPEN',
      decide: 'ok:UNDER_REVIEW',
      ended: 'ROUND_RESULT_MISMATCH',
      upgraded: 'WRONG_STATUS',
      withdrawn: 'ok:WITHDRAWN',
      evidenceDeadline: 'WRONG_STATUS',
      reviewDeadline: 'ok:EXPIRED',
      ineligible: 'ok:REJECTED',
      failed: 'ok:EXPIRED',
      newCause: 'ok:REJECTED',
      listingEnded: 'ok:EXPIRED',
    },
    'UNDER_REVIEW (approved)': {
      upload: 'WRONG_STATUS',
      submit: 'WRONG_STATUS',
      open: 'REVIEW_ALREADY_OPEN',
      decide: 'REVIEW_NOT_PENDING',
      ended: 'ROUND_DECIDED',
      upgraded: 'ok:APPROVED',
      withdrawn: 'ROUND_DECIDED',
      evidenceDeadline: 'WRONG_STATUS',
      reviewDeadline: 'ROUND_DECIDED',
      ineligible: 'ROUND_DECIDED',
      failed: 'ROUND_DECIDED',
      // RULES.md §6.1: the upgrade checks the causes again; a new one still ends it.
      newCause: 'ok:REJECTED',
      listingEnded: 'ok:EXPIRED',
    },
  };
  const cases = Object.entries(table).flatMap(([situation, row]) =>
    Object.entries(row).map(([event, expected]) => ({ situation, event, expected })),
  );

  it.each(cases)('$situation + $event → $expected', ({ situation, event, expected }) => {
    const s = situations[situation as keyof typeof situations]();
    const e = events[event] as ApplicationEvent;
    if (expected.startsWith('ok:')) {
      const next = applyEvent(deepFreeze(s), e);
      expect(next.status).toBe(expected.slice(3));
      expect(next.updatedAt).toBe(e.at);
    } else {
      expectCode(s, e, expected as TransitionErrorCode);
    }
  });

  const finals = {
    APPROVED: [...approvedRound(), ev.upgraded()],
    REJECTED: [...rejectedPending(), ev.ended('REJECTED')],
    WITHDRAWN: [...awaiting(), ev.withdrawn()],
    EXPIRED: [...awaiting(), ev.deadline('EVIDENCE', 31)],
  };
  const finalCases = Object.entries(finals).flatMap(([status, history]) =>
    [...Object.values(events), ev.submitted()].map((event) => ({ status, history, event, type: event.type })),
  );

  it.each(finalCases)('$status absorbs $type', ({ status, history, event }) => {
    const s = state(history);
    expect(s.status).toBe(status);
    expectCode(s, event, event.type === 'SUBMITTED' ? 'ALREADY_SUBMITTED' : 'APPLICATION_FINAL');
  });
});

describe('replay', () => {
  it('is the fold of applyEvent, and nothing for no events', () => {
    const events = [...approvedRound(), ev.upgraded()];
    const folded = events.reduce<ApplicationState | undefined>((s, e) => applyEvent(s, e), undefined);
    expect(replay(events)).toEqual(folded);
    expect(replay([])).toBeUndefined();
  });

  it('runs a four-party review to approval', () => {
    const parties = POLICY.review.parties.SERIOUSLY_DISHONEST;
    const s = state([
      ev.submitted(0, parties),
      ...uploads(),
      ev.submit(),
      ev.open(),
      ...parties.map((p) => ev.decide(p, 'APPROVE')),
      ev.ended('APPROVED'),
      ev.upgraded(),
    ]);
    expect(s.fromTier).toBe('SERIOUSLY_DISHONEST');
    expect(s.status).toBe('APPROVED');
    expect(Object.values(s.reviews).map((r) => r.status)).toEqual([
      'APPROVED',
      'APPROVED',
      'APPROVED',
      'APPROVED',
    ]);
  });

  it('stops at the first illegal event with its error', () => {
    expect(() => replay([...awaiting(), ev.submit()])).toThrowError(IllegalTransitionError);
  });
});
