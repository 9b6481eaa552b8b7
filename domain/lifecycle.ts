import * as z from './zod.ts';
import { CauseId } from './classification.ts';
import { localDateIn } from './dates.ts';
import type { LocalDate } from './dates.ts';
import { evidenceDueOn, reviewSchedule } from './deadlines.ts';
import { IllegalTransitionError } from './errors.ts';
import { MAX_REVIEW_ROUNDS, UnknownPolicyError, policyById } from './policy.ts';
import type { Policy } from './policy.ts';
import { tallyVerdict, toSupersede } from './tally.ts';
import type { RoundVerdict, TalliedReview } from './tally.ts';
import { EnterpriseId } from './tiers.ts';
import type { Tier } from './tiers.ts';
import { DocumentType, Party, RefusalCode, commentRequired, isFinalStatus } from './vocabulary.ts';
import type { ApplicationStatus, OutcomeReason, ReviewStatus } from './vocabulary.ts';

/**
 * The repair application's lifecycle (RULES.md §4) as a pure reducer: `applyEvent(state, event)`
 * gives the next state or throws IllegalTransitionError. The store keeps the latest state, versioned,
 * and writes each change with its event in one conditional write (functions/usecases/applications/
 * records.ts); the events also go to the audit timeline, but the state is not rebuilt from it.
 * `replay` folds a list of events, for tests and property checks.
 *
 * Review rounds open with ONE event for every party (REVIEW_ROUND_OPENED), not one per party:
 * the rules open a round "for every party at once", the sweep counts every party's deadline from
 * the round's one opening date, and the tally can never see a round in which only some parties
 * hold a review (where "every opened review approved" would wrongly read as "every party").
 * The first OpenReview task of a round records it; the others find it open (REVIEW_ALREADY_OPEN).
 *
 * Review events name their round, so a link or task of an earlier round cannot act on a later one.
 *
 * APPROVED means the tier was upgraded: ROUND_ENDED{APPROVED} only marks the round approved
 * (`approvedAt`), and UPGRADED, recorded by the UpgradeTier step, makes the status final. Final
 * statuses then accept no event at all.
 *
 * Deadlines are enforced here, not only by the sweep: evidence cannot be uploaded or submitted
 * after its last day, nor a review decided on or after its timeout date, even when the sweep has
 * not yet recorded the expiry. Deadlines, rounds and parties are those of the policy the
 * application was submitted under (`policyId`).
 *
 * An application covers the causes active when it was accepted (`coveredCauseIds`, RULES.md §6.1).
 * A cause it does not cover ends it (NEW_CAUSE_DETERMINED → REJECTED), and so does the end of every
 * covered cause's listing (LISTING_ENDED → EXPIRED), from any open status, also after the reviews
 * approved and before the upgrade: only a rejection by the parties, already decided, stands.
 */

// UTC instants only; the year bound keeps every deadline computed from an event a valid date.
const Instant = /* @__PURE__ */ z.schema(() =>
  z.iso.datetime().check(z.refine((at) => at < '9000', 'an instant before the year 9000')),
);
const Round = /* @__PURE__ */ z.schema(() =>
  z.number().check(z.int(), z.minimum(1), z.maximum(MAX_REVIEW_ROUNDS)),
);
/** What the applicant says changed since the change request (RULES.md §6.10). */
export const ResponseNote = /* @__PURE__ */ z.schema(() => z.string().check(z.trim(), z.maxLength(4000)));
export const DowngradedTier = /* @__PURE__ */ z.schema(() => z.enum(['DISHONEST', 'SERIOUSLY_DISHONEST']));
export type DowngradedTier = z.infer<typeof DowngradedTier>;

export const ApplicationEvent = /* @__PURE__ */ z.schema(() =>
  z.discriminatedUnion('type', [
    z.object({
      type: z.literal('SUBMITTED'),
      at: Instant,
      applicationId: z.string().check(z.minLength(1)),
      enterpriseId: EnterpriseId,
      fromTier: DowngradedTier,
      parties: z.array(Party).check(z.minLength(1)),
      requiredDocuments: z.array(DocumentType).check(z.minLength(1)),
      policyId: z.string().check(z.minLength(1)),
      coveredCauseIds: z.array(CauseId).check(z.minLength(1)),
    }),
    z.object({
      type: z.literal('EVIDENCE_UPLOADED'),
      at: Instant,
      documentType: DocumentType,
      evidenceId: z.string().check(z.minLength(1)),
    }),
    z.object({ type: z.literal('EVIDENCE_SUBMITTED'), at: Instant, response: z.optional(ResponseNote) }),
    z.object({ type: z.literal('REVIEW_ROUND_OPENED'), at: Instant, round: Round }),
    z.object({
      type: z.literal('REVIEW_DECIDED'),
      at: Instant,
      round: Round,
      party: Party,
      decision: z.enum(['APPROVE', 'REJECT', 'REQUEST_CHANGES']),
      comment: z.optional(z.string()),
    }),
    z.object({ type: z.literal('REVIEW_SUPERSEDED'), at: Instant, round: Round, party: Party }),
    z.object({
      type: z.literal('ROUND_ENDED'),
      at: Instant,
      round: Round,
      result: z.enum(['APPROVED', 'REJECTED', 'CHANGES_REQUESTED']),
    }),
    z.object({ type: z.literal('UPGRADED'), at: Instant }),
    z.object({ type: z.literal('WITHDRAWN'), at: Instant }),
    z.object({ type: z.literal('DEADLINE_PASSED'), at: Instant, kind: z.enum(['EVIDENCE', 'REVIEW']) }),
    /** The workflow's eligibility re-check found the enterprise no longer eligible. */
    z.object({
      type: z.literal('FOUND_INELIGIBLE'),
      at: Instant,
      reasons: z.array(RefusalCode).check(z.minLength(1)),
    }),
    /** A workflow step failed after its retries; the application closes so the enterprise may apply again. */
    z.object({ type: z.literal('WORKFLOW_FAILED'), at: Instant, error: z.string() }),
    /** A cause the application does not cover is active (or a covered one unrectified at the upgrade). */
    z.object({
      type: z.literal('NEW_CAUSE_DETERMINED'),
      at: Instant,
      causeIds: z.array(CauseId).check(z.minLength(1)),
    }),
    /** No covered cause is left active: their listings ended. */
    z.object({ type: z.literal('LISTING_ENDED'), at: Instant }),
  ]),
);
export type ApplicationEvent = z.infer<typeof ApplicationEvent>;
export type ApplicationEventType = ApplicationEvent['type'];
type EventOf<T extends ApplicationEventType> = Extract<ApplicationEvent, { type: T }>;

export interface EvidenceInfo {
  readonly evidenceId: string;
  readonly uploadedAt: string;
  /** The round the file was uploaded in: reviewers see what a change request brought. */
  readonly round: number;
}

export interface ReviewInfo {
  readonly status: ReviewStatus;
  readonly openedAt: string;
  readonly decidedAt?: string;
  readonly comment?: string;
}

/** A review round that ended with change requests, as its reviewers left it. */
export interface EndedRound {
  readonly round: number;
  readonly reviews: readonly {
    readonly party: Party;
    readonly status: ReviewStatus;
    readonly decidedAt?: string;
    readonly comment?: string;
  }[];
}

/** The applicant's note with a resubmission (round 2 on): what changed. */
export interface ResubmissionResponse {
  readonly round: number;
  readonly response: string;
  readonly at: string;
}

export type FinalStatus = Extract<ApplicationStatus, 'APPROVED' | 'REJECTED' | 'WITHDRAWN' | 'EXPIRED'>;

export interface Outcome {
  readonly status: FinalStatus;
  readonly reason: OutcomeReason;
  readonly at: string;
  readonly refusals?: readonly RefusalCode[];
}

export interface ApplicationState {
  readonly id: string;
  readonly enterpriseId: string;
  readonly status: ApplicationStatus;
  readonly fromTier: DowngradedTier;
  readonly targetTier: Tier;
  readonly parties: readonly Party[];
  readonly round: number;
  readonly requiredDocuments: readonly DocumentType[];
  readonly evidence: Readonly<Partial<Record<DocumentType, EvidenceInfo>>>;
  /** The current round's reviews, one per party once the round is open; empty before. */
  readonly reviews: Readonly<Partial<Record<Party, ReviewInfo>>>;
  readonly evidenceDueOn: LocalDate;
  readonly reviewOpenedOn?: LocalDate;
  /** Set when the current round ended approved; UPGRADED then makes the status APPROVED. */
  readonly approvedAt?: string;
  readonly outcome?: Outcome;
  readonly policyId: string;
  /**
   * The causes the application was accepted for (RULES.md §6.1). Absent only in applications
   * stored before revision 2: they cover the causes active when they were submitted.
   */
  readonly coveredCauseIds?: readonly string[];
  /** Earlier rounds that ended with change requests (absent before revision 2: none kept). */
  readonly earlierRounds?: readonly EndedRound[];
  /** The applicant's responses, one per resubmission. */
  readonly responses?: readonly ResubmissionResponse[];
  readonly submittedAt: string;
  readonly updatedAt: string;
}

const fail = (
  code: ConstructorParameters<typeof IllegalTransitionError>[0],
  message: string,
  details?: Record<string, unknown>,
): never => {
  throw new IllegalTransitionError(code, message, details);
};

const dayOf = (at: string): LocalDate => localDateIn(at);

/** The policy an application was submitted under: its deadlines, rounds and parties. */
export const policyOf = (state: Pick<ApplicationState, 'policyId'>): Policy => policyById(state.policyId);

/** RULES.md §6.9: the party that leads the review (customs). */
export const leadPartyOf = (state: Pick<ApplicationState, 'policyId'>): Party =>
  policyOf(state).review.leadParty;

/** The current round's reviews in the parties' order, for the tally. */
export const currentReviews = (state: ApplicationState): TalliedReview[] =>
  state.parties.flatMap((party) => {
    const review = state.reviews[party];
    return review ? [{ party, status: review.status }] : [];
  });

export const roundVerdict = (state: ApplicationState): RoundVerdict =>
  tallyVerdict(currentReviews(state), state.round, policyOf(state).review.maxRounds);

/**
 * Whether the current round's outcome is already fixed: approved (tallied or not: once every party
 * approved, the upgrade is owed and nothing but the causes may take it away), or decided by a
 * rejection.
 */
const roundDecided = (state: ApplicationState): boolean => {
  if (state.approvedAt !== undefined) return true;
  const { result } = roundVerdict(state);
  return result === 'REJECTED' || (result === 'APPROVED' && state.status === 'UNDER_REVIEW');
};

function requireStatus(
  state: ApplicationState,
  status: ApplicationStatus,
  event: ApplicationEventType,
): void {
  if (state.status !== status) {
    fail('WRONG_STATUS', `${event} needs status ${status}, the application is ${state.status}`, {
      status: state.status,
    });
  }
}

function requireOpenRound(state: ApplicationState, round: number, event: ApplicationEventType): void {
  requireStatus(state, 'UNDER_REVIEW', event);
  if (round !== state.round) {
    fail('STALE_ROUND', `${event} is for round ${round}, the application is in round ${state.round}`, {
      round: state.round,
    });
  }
  if (state.reviewOpenedOn === undefined) fail('REVIEWS_NOT_OPEN', `round ${round} has no open reviews yet`);
}

function requireKnownParty(state: ApplicationState, party: Party): ReviewInfo {
  const review = state.reviews[party];
  if (!state.parties.includes(party) || review === undefined) {
    return fail('UNKNOWN_PARTY', `${party} is not a review party of this application`, {
      parties: state.parties,
    });
  }
  return review;
}

function requireBefore(today: LocalDate, dueOn: LocalDate, what: string): void {
  if (today >= dueOn) fail('DEADLINE_PASSED', `${what} was due before ${dueOn}`, { dueOn });
}

function requireThrough(today: LocalDate, lastDay: LocalDate, what: string): void {
  if (today > lastDay)
    fail('DEADLINE_PASSED', `${what} was due by the end of ${lastDay}`, { dueOn: lastDay });
}

/** Closes the reviews still pending (the round ended without them) with the given status. */
function closePending(
  reviews: ApplicationState['reviews'],
  status: Extract<ReviewStatus, 'SUPERSEDED' | 'EXPIRED'>,
): ApplicationState['reviews'] {
  const closed: Partial<Record<Party, ReviewInfo>> = {};
  for (const [party, review] of Object.entries(reviews) as [Party, ReviewInfo][]) {
    closed[party] = review.status === 'PENDING' ? { ...review, status } : review;
  }
  return closed;
}

function finish(
  state: ApplicationState,
  status: FinalStatus,
  reason: OutcomeReason,
  at: string,
  pendingReviewsBecome: 'SUPERSEDED' | 'EXPIRED' = 'SUPERSEDED',
): ApplicationState {
  return {
    ...state,
    status,
    reviews: closePending(state.reviews, pendingReviewsBecome),
    outcome: { status, reason, at },
    updatedAt: at,
  };
}

function knownPolicy(policyId: string): Policy {
  try {
    return policyById(policyId);
  } catch (error) {
    if (!(error instanceof UnknownPolicyError)) throw error;
    return fail('INVALID_EVENT', `no policy ${policyId}`, { policyId });
  }
}

function submitted(e: EventOf<'SUBMITTED'>): ApplicationState {
  if (new Set(e.parties).size !== e.parties.length) fail('INVALID_EVENT', 'a party is named twice');
  if (new Set(e.requiredDocuments).size !== e.requiredDocuments.length) {
    fail('INVALID_EVENT', 'a required document is named twice');
  }
  if (new Set(e.coveredCauseIds).size !== e.coveredCauseIds.length) {
    fail('INVALID_EVENT', 'a covered cause is named twice');
  }
  const policy = knownPolicy(e.policyId);
  // RULES.md §6.8: exactly the policy's parties for the from-tier, in the policy's order.
  const expected = policy.review.parties[e.fromTier];
  if (expected.length !== e.parties.length || expected.some((party, i) => e.parties[i] !== party)) {
    fail('WRONG_PARTIES', `a ${e.fromTier} application is reviewed by ${expected.join(', ')}`, {
      expected,
      parties: e.parties,
    });
  }
  return {
    id: e.applicationId,
    enterpriseId: e.enterpriseId,
    status: 'AWAITING_EVIDENCE',
    fromTier: e.fromTier,
    targetTier: policy.repair.restoredTier,
    parties: e.parties,
    round: 1,
    requiredDocuments: e.requiredDocuments,
    evidence: {},
    reviews: {},
    evidenceDueOn: evidenceDueOn(dayOf(e.at), policy),
    policyId: e.policyId,
    coveredCauseIds: e.coveredCauseIds,
    earlierRounds: [],
    responses: [],
    submittedAt: e.at,
    updatedAt: e.at,
  };
}

function evidenceUploaded(state: ApplicationState, e: EventOf<'EVIDENCE_UPLOADED'>): ApplicationState {
  requireStatus(state, 'AWAITING_EVIDENCE', e.type);
  requireThrough(dayOf(e.at), state.evidenceDueOn, 'evidence');
  if (!state.requiredDocuments.includes(e.documentType)) {
    fail('DOCUMENT_NOT_REQUIRED', `${e.documentType} is not a document this application needs`, {
      requiredDocuments: state.requiredDocuments,
    });
  }
  const info: EvidenceInfo = { evidenceId: e.evidenceId, uploadedAt: e.at, round: state.round };
  return { ...state, evidence: { ...state.evidence, [e.documentType]: info }, updatedAt: e.at };
}

/** The required documents not yet uploaded, in the order the application lists them. */
export const missingDocuments = (state: ApplicationState): DocumentType[] =>
  state.requiredDocuments.filter((d) => state.evidence[d] === undefined);

/** RULES.md §6.10: from round 2 a resubmission carries a note of what changed. */
export const responseRequired = (state: Pick<ApplicationState, 'round'>): boolean => state.round >= 2;

function evidenceSubmitted(state: ApplicationState, e: EventOf<'EVIDENCE_SUBMITTED'>): ApplicationState {
  requireStatus(state, 'AWAITING_EVIDENCE', e.type);
  requireThrough(dayOf(e.at), state.evidenceDueOn, 'evidence');
  const response = e.response?.trim() ?? '';
  if (responseRequired(state) && response === '') {
    fail(
      'RESPONSE_REQUIRED',
      `a resubmission in round ${state.round} needs a response to the change requests`,
    );
  }
  const missing = missingDocuments(state);
  if (missing.length > 0) fail('MISSING_DOCUMENTS', `documents missing: ${missing.join(', ')}`, { missing });
  return {
    ...state,
    status: 'UNDER_REVIEW',
    ...(response === ''
      ? {}
      : { responses: [...(state.responses ?? []), { round: state.round, response, at: e.at }] }),
    updatedAt: e.at,
  };
}

function reviewRoundOpened(state: ApplicationState, e: EventOf<'REVIEW_ROUND_OPENED'>): ApplicationState {
  requireStatus(state, 'UNDER_REVIEW', e.type);
  if (e.round !== state.round) {
    fail('STALE_ROUND', `round ${e.round} is not the current round ${state.round}`, { round: state.round });
  }
  if (state.reviewOpenedOn !== undefined) fail('REVIEW_ALREADY_OPEN', `round ${e.round} is already open`);
  const reviews: Partial<Record<Party, ReviewInfo>> = {};
  for (const party of state.parties) reviews[party] = { status: 'PENDING', openedAt: e.at };
  return { ...state, reviews, reviewOpenedOn: dayOf(e.at), updatedAt: e.at };
}

const DECISION_STATUS = {
  APPROVE: 'APPROVED',
  REJECT: 'REJECTED',
  REQUEST_CHANGES: 'CHANGES_REQUESTED',
} as const satisfies Record<EventOf<'REVIEW_DECIDED'>['decision'], ReviewStatus>;

function reviewDecided(state: ApplicationState, e: EventOf<'REVIEW_DECIDED'>): ApplicationState {
  requireOpenRound(state, e.round, e.type);
  const review = requireKnownParty(state, e.party);
  if (review.status !== 'PENDING') {
    fail('REVIEW_NOT_PENDING', `${e.party}'s review is ${review.status}`, { reviewStatus: review.status });
  }
  if (roundDecided(state)) fail('ROUND_DECIDED', `round ${state.round} is already decided`);
  requireBefore(
    dayOf(e.at),
    reviewSchedule(state.reviewOpenedOn as LocalDate, policyOf(state)).timeoutOn,
    'the review',
  );
  const comment = e.comment?.trim() ?? '';
  if (commentRequired(e.decision) && comment === '') {
    fail(
      'COMMENT_REQUIRED',
      e.decision === 'REJECT' ? 'a rejection needs a reason' : 'a change request needs a note',
      {
        decision: e.decision,
      },
    );
  }
  const decided: ReviewInfo = {
    status: DECISION_STATUS[e.decision],
    openedAt: review.openedAt,
    decidedAt: e.at,
    ...(comment === '' ? {} : { comment }),
  };
  return { ...state, reviews: { ...state.reviews, [e.party]: decided }, updatedAt: e.at };
}

function reviewSuperseded(state: ApplicationState, e: EventOf<'REVIEW_SUPERSEDED'>): ApplicationState {
  requireOpenRound(state, e.round, e.type);
  const review = requireKnownParty(state, e.party);
  if (review.status !== 'PENDING') {
    fail('REVIEW_NOT_PENDING', `${e.party}'s review is ${review.status}`, { reviewStatus: review.status });
  }
  if (!toSupersede(currentReviews(state), state.round, policyOf(state).review.maxRounds).includes(e.party)) {
    fail('ROUND_NOT_DECIDED', `round ${state.round} is not decided: ${e.party}'s review is still needed`);
  }
  return {
    ...state,
    reviews: { ...state.reviews, [e.party]: { ...review, status: 'SUPERSEDED' } },
    updatedAt: e.at,
  };
}

function roundEnded(state: ApplicationState, e: EventOf<'ROUND_ENDED'>): ApplicationState {
  requireOpenRound(state, e.round, e.type);
  if (state.approvedAt !== undefined) fail('ROUND_DECIDED', `round ${state.round} already ended approved`);
  const verdict = roundVerdict(state);
  if (verdict.result !== e.result) {
    fail(
      'ROUND_RESULT_MISMATCH',
      `the reviews of round ${state.round} make ${verdict.result}, not ${e.result}`,
      {
        expected: verdict.result,
      },
    );
  }
  switch (e.result) {
    case 'APPROVED':
      return { ...state, approvedAt: e.at, updatedAt: e.at };
    case 'REJECTED':
      return finish(state, 'REJECTED', verdict.reason as OutcomeReason, e.at);
    case 'CHANGES_REQUESTED': {
      // The new evidence deadline counts from the day the round ended: only then can the
      // applicant act on the change requests.
      const { reviewOpenedOn: _closedRound, ...rest } = state;
      const ended: EndedRound = {
        round: state.round,
        reviews: currentReviews(state).map(({ party }) => {
          const review = state.reviews[party] as ReviewInfo;
          return {
            party,
            status: review.status,
            ...(review.decidedAt === undefined ? {} : { decidedAt: review.decidedAt }),
            ...(review.comment === undefined ? {} : { comment: review.comment }),
          };
        }),
      };
      return {
        ...rest,
        status: 'AWAITING_EVIDENCE',
        round: state.round + 1,
        reviews: {},
        evidenceDueOn: evidenceDueOn(dayOf(e.at), policyOf(state)),
        earlierRounds: [...(state.earlierRounds ?? []), ended],
        updatedAt: e.at,
      };
    }
  }
}

function upgraded(state: ApplicationState, e: EventOf<'UPGRADED'>): ApplicationState {
  if (state.approvedAt === undefined) fail('WRONG_STATUS', 'the reviews have not approved this application');
  return finish(state, 'APPROVED', 'ALL_APPROVED', e.at);
}

function requireOutcomeOpen(state: ApplicationState, event: ApplicationEventType): void {
  if (roundDecided(state))
    fail('ROUND_DECIDED', `${event}: round ${state.round} has already decided the outcome`);
}

function withdrawn(state: ApplicationState, e: EventOf<'WITHDRAWN'>): ApplicationState {
  requireOutcomeOpen(state, e.type);
  return finish(state, 'WITHDRAWN', 'WITHDRAWN_BY_APPLICANT', e.at);
}

function deadlinePassed(state: ApplicationState, e: EventOf<'DEADLINE_PASSED'>): ApplicationState {
  const today = dayOf(e.at);
  if (e.kind === 'EVIDENCE') {
    requireStatus(state, 'AWAITING_EVIDENCE', e.type);
    if (today <= state.evidenceDueOn) {
      fail('DEADLINE_NOT_PASSED', `evidence may be submitted through ${state.evidenceDueOn}`, {
        dueOn: state.evidenceDueOn,
      });
    }
    return finish(state, 'EXPIRED', 'EVIDENCE_TIMEOUT', e.at);
  }
  requireOpenRound(state, state.round, e.type);
  if (roundVerdict(state).result !== 'PENDING') {
    fail('ROUND_DECIDED', `round ${state.round} has every decision it needs`);
  }
  const { timeoutOn } = reviewSchedule(state.reviewOpenedOn as LocalDate, policyOf(state));
  if (today < timeoutOn)
    fail('DEADLINE_NOT_PASSED', `the reviews time out on ${timeoutOn}`, { dueOn: timeoutOn });
  return finish(state, 'EXPIRED', 'REVIEW_TIMEOUT', e.at, 'EXPIRED');
}

function foundIneligible(state: ApplicationState, e: EventOf<'FOUND_INELIGIBLE'>): ApplicationState {
  requireOutcomeOpen(state, e.type);
  const closed = finish(state, 'REJECTED', 'NOT_ELIGIBLE', e.at);
  return {
    ...closed,
    outcome: { status: 'REJECTED', reason: 'NOT_ELIGIBLE', at: e.at, refusals: e.reasons },
  };
}

/**
 * The causes changed under an open application (RULES.md §6.1). A round the parties have already
 * rejected keeps their decision; anything else open, approved rounds not yet upgraded included,
 * ends here, its pending reviews superseded.
 */
function causesChanged(
  state: ApplicationState,
  e: EventOf<'NEW_CAUSE_DETERMINED'> | EventOf<'LISTING_ENDED'>,
): ApplicationState {
  if (state.approvedAt === undefined && roundVerdict(state).result === 'REJECTED') {
    fail('ROUND_DECIDED', `${e.type}: the parties already rejected round ${state.round}`);
  }
  return e.type === 'NEW_CAUSE_DETERMINED'
    ? finish(state, 'REJECTED', 'NEW_CAUSE_DETERMINED', e.at)
    : finish(state, 'EXPIRED', 'LISTING_ENDED', e.at);
}

function parseEvent(event: unknown): ApplicationEvent {
  const parsed = ApplicationEvent.safeParse(event);
  if (!parsed.success) {
    return fail('INVALID_EVENT', 'the event is malformed', {
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    });
  }
  return parsed.data;
}

/**
 * The state after `event`. Throws IllegalTransitionError, and nothing else, when the event is
 * malformed or not allowed in `state`; the given state is never modified.
 */
export function applyEvent(state: ApplicationState | undefined, event: ApplicationEvent): ApplicationState {
  const e = parseEvent(event);
  if (e.type === 'SUBMITTED') {
    if (state !== undefined)
      return fail('ALREADY_SUBMITTED', `application ${state.id} was already submitted`);
    return submitted(e);
  }
  if (state === undefined) return fail('NO_APPLICATION', `${e.type} before the application was submitted`);
  if (isFinalStatus(state.status)) {
    return fail('APPLICATION_FINAL', `the application is ${state.status}; nothing changes it any more`, {
      status: state.status,
    });
  }
  switch (e.type) {
    case 'EVIDENCE_UPLOADED':
      return evidenceUploaded(state, e);
    case 'EVIDENCE_SUBMITTED':
      return evidenceSubmitted(state, e);
    case 'REVIEW_ROUND_OPENED':
      return reviewRoundOpened(state, e);
    case 'REVIEW_DECIDED':
      return reviewDecided(state, e);
    case 'REVIEW_SUPERSEDED':
      return reviewSuperseded(state, e);
    case 'ROUND_ENDED':
      return roundEnded(state, e);
    case 'UPGRADED':
      return upgraded(state, e);
    case 'WITHDRAWN':
      return withdrawn(state, e);
    case 'DEADLINE_PASSED':
      return deadlinePassed(state, e);
    case 'FOUND_INELIGIBLE':
      return foundIneligible(state, e);
    case 'WORKFLOW_FAILED':
      // A technical failure never overrides a decision the reviews already made: the decided round
      // is finished by a restarted execution instead.
      requireOutcomeOpen(state, e.type);
      return finish(state, 'EXPIRED', 'WORKFLOW_FAILED', e.at);
    case 'NEW_CAUSE_DETERMINED':
    case 'LISTING_ENDED':
      return causesChanged(state, e);
  }
}

/** The state the recorded events lead to; undefined for no events. */
export const replay = (events: readonly ApplicationEvent[]): ApplicationState | undefined =>
  events.reduce<ApplicationState | undefined>((state, event) => applyEvent(state, event), undefined);
