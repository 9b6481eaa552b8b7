import { classify } from '../../../domain/classification.ts';
import { addYears, localDateIn, startOfLocalDay, type LocalDate } from '../../../domain/dates.ts';
import { reviewSchedule } from '../../../domain/deadlines.ts';
import { checkEligibility } from '../../../domain/eligibility.ts';
import { IllegalTransitionError } from '../../../domain/errors.ts';
import { roundVerdict, type ApplicationEvent, type ApplicationState } from '../../../domain/lifecycle.ts';
import { POLICY } from '../../../domain/policy.ts';
import type { Tier } from '../../../domain/tiers.ts';
import {
  isFinalStatus,
  type ApplicationStatus,
  type OutcomeReason,
  type Party,
  type RefusalCode,
} from '../../../domain/vocabulary.ts';
import { getReviewer } from '../directory/reviewers.ts';
import { recordRestoration, releaseOpenApplication, requireEnterprise } from '../enterprises/index.ts';
import { publishListingChanged } from '../events-publisher.ts';
import type { Mailer } from '../mailer/index.ts';
import { applicationPartition, prefixes, type Store } from '../store/index.ts';
import { sendTaskFailure, sendTaskSuccess, TaskGoneError } from '../workflow-client.ts';
import { changesRequestedEmail, outcomeEmail, reviewRequestEmail } from './notifications.ts';
import {
  changeApplication,
  closeOutApplication,
  requireApplication,
  storeTaskToken,
  type ApplicationRecord,
} from './repository.ts';
import { createReviewLink } from './review-links.ts';
import { settleRound } from './review.ts';
import { DEADLINE_EXPIRED_ERROR, type EvidenceWaitResult } from './wait-tokens.ts';

/**
 * The RepairApplication task steps (docs/architecture.md, "The state machine contract"). Each is a
 * memoized step: what it decided for (application, step, round) is recorded once and returned on
 * every re-run, so retries, redrives and restarted executions fast-forward. Callback steps store
 * their token first and then look at the state: a wait that is already over (evidence submitted,
 * review decided or superseded) is resumed by the step itself.
 */

export interface WorkflowContext {
  readonly store: Store;
  readonly mailer: Mailer;
  readonly now: () => Date;
  /** Review links are `${reviewBaseUrl}/review/<linkId>`. */
  readonly reviewBaseUrl: string;
}

/** Steps that are not per round are recorded under round 0. */
const WHOLE_APPLICATION = 0;
const WORKFLOW_ACTOR = 'workflow';
/** The error a callback step fails its wait with when the application closed by other means. */
export const APPLICATION_CLOSED_ERROR = 'Application.Closed';

export class ReviewerMissingError extends Error {
  constructor(party: Party) {
    super(`the reviewer directory names no reviewer for ${party}`);
    this.name = 'ReviewerMissing';
  }
}

export class StepPreconditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StepPrecondition';
  }
}

async function ignoringGone(send: () => Promise<void>): Promise<void> {
  try {
    await send();
  } catch (error) {
    if (!(error instanceof TaskGoneError)) throw error;
  }
}

/** Applies an event unless the application is already past it (IllegalTransitionError → unchanged). */
async function applyIfStillNeeded(
  store: Store,
  applicationId: string,
  decide: (state: ApplicationState) => ApplicationEvent | null,
): Promise<ApplicationRecord> {
  try {
    return (await changeApplication(store, applicationId, decide, WORKFLOW_ACTOR)).record;
  } catch (error) {
    if (!(error instanceof IllegalTransitionError)) throw error;
    return requireApplication(store, applicationId);
  }
}

// ---------------------------------------------------------------------------------------------
// CheckEligibility

export interface EligibilityResult {
  readonly eligible: boolean;
  readonly parties: Party[];
  readonly round: number;
}

interface EligibilityVerdict {
  readonly eligible: boolean;
  readonly reasons: RefusalCode[];
}

const CHECK_ELIGIBILITY = 'CheckEligibility';

/**
 * Re-checks eligibility when the workflow starts (the enterprise's facts may have changed since
 * submission); the verdict is recorded once. The round returned is the application's current one,
 * so a restarted execution resumes there instead of replaying earlier rounds.
 */
export async function checkEligibilityStep(
  ctx: WorkflowContext,
  applicationId: string,
): Promise<EligibilityResult> {
  const record = await requireApplication(ctx.store, applicationId);
  const verdict = await ctx.store.memoizedStep<EligibilityVerdict>(
    applicationId,
    CHECK_ELIGIBILITY,
    1,
    async () => {
      const today = localDateIn(ctx.now());
      const enterprise = await requireEnterprise(ctx.store, record.state.enterpriseId);
      const open = enterprise.profile.openApplicationId;
      const eligibility = checkEligibility(
        {
          classification: classify(enterprise.input, today),
          // The application's own claim does not count against it.
          ...(open === undefined || open === applicationId ? {} : { openApplicationId: open }),
        },
        today,
      );
      return { eligible: eligibility.eligible, reasons: eligibility.reasons.map((r) => r.code) };
    },
  );
  return { eligible: verdict.eligible, parties: [...record.state.parties], round: record.state.round };
}

// ---------------------------------------------------------------------------------------------
// AwaitEvidence

/** When the round's evidence was submitted: the round-th EVIDENCE_SUBMITTED of the timeline. */
async function evidenceSubmittedAt(
  store: Store,
  applicationId: string,
  round: number,
): Promise<string | undefined> {
  const events = await store.queryAll({
    partition: applicationPartition(applicationId),
    sortKey: { beginsWith: prefixes.events() },
    consistent: true,
  });
  const submissions = events.filter((e) => e.type === 'EVIDENCE_SUBMITTED');
  const at = submissions[round - 1]?.at;
  return typeof at === 'string' ? at : undefined;
}

async function notifyChangesRequested(
  ctx: WorkflowContext,
  state: ApplicationState,
  round: number,
): Promise<void> {
  await ctx.store.memoizedStep(state.id, 'NotifyChangesRequested', round, async () => {
    const enterprise = await requireEnterprise(ctx.store, state.enterpriseId);
    const events = await ctx.store.queryAll({
      partition: applicationPartition(state.id),
      sortKey: { beginsWith: prefixes.events() },
      consistent: true,
    });
    const notes = events.flatMap((e) => {
      const detail = e.detail as Record<string, unknown> | undefined;
      return e.type === 'REVIEW_DECIDED' &&
        detail?.round === round - 1 &&
        detail.decision === 'REQUEST_CHANGES' &&
        typeof detail.comment === 'string'
        ? [{ party: detail.party as Party, comment: detail.comment }]
        : [];
    });
    const email = changesRequestedEmail({
      enterpriseName: enterprise.profile.name,
      applicationId: state.id,
      round,
      evidenceDueOn: state.evidenceDueOn,
      notes,
    });
    await ctx.mailer.send({
      to: [enterprise.profile.contactEmail],
      ...email,
      tags: { kind: 'changes-requested' },
    });
    return { sentTo: 'applicant' };
  });
}

export async function awaitEvidenceStep(
  ctx: WorkflowContext,
  input: { applicationId: string; round: number; taskToken: string },
): Promise<{ waiting: boolean }> {
  const { store } = ctx;
  await storeTaskToken(
    store,
    input.applicationId,
    { task: 'AwaitEvidence' },
    input.round,
    input.taskToken,
    ctx.now().toISOString(),
  );
  const { state } = await requireApplication(store, input.applicationId);
  if (isFinalStatus(state.status)) {
    // A decided application replayed by a restarted execution: the round's evidence came in, so
    // the run goes on to the recorded reviews and outcome and tells whoever was not told yet.
    const submittedAt = await evidenceSubmittedAt(store, input.applicationId, input.round);
    const decidedAfterReview = state.status !== 'WITHDRAWN' && state.outcome?.reason !== 'WORKFLOW_FAILED';
    if (submittedAt !== undefined && decidedAfterReview) {
      const result: EvidenceWaitResult = { submittedAt };
      await ignoringGone(() => sendTaskSuccess(input.taskToken, result));
      return { waiting: false };
    }
    const expired = state.outcome?.reason === 'EVIDENCE_TIMEOUT';
    await ignoringGone(() =>
      sendTaskFailure(
        input.taskToken,
        expired ? DEADLINE_EXPIRED_ERROR : APPLICATION_CLOSED_ERROR,
        state.status,
      ),
    );
    return { waiting: false };
  }
  if (state.round > input.round || state.status === 'UNDER_REVIEW') {
    const submittedAt =
      (await evidenceSubmittedAt(store, input.applicationId, input.round)) ?? state.updatedAt;
    const result: EvidenceWaitResult = { submittedAt };
    await ignoringGone(() => sendTaskSuccess(input.taskToken, result));
    return { waiting: false };
  }
  if (input.round > 1) await notifyChangesRequested(ctx, state, input.round);
  return { waiting: true };
}

// ---------------------------------------------------------------------------------------------
// OpenReview

interface ReviewRequestRecord {
  readonly linkHash: string;
  readonly reviewerEmail: string;
  readonly expiresAt: string;
}

async function sendReviewRequest(
  ctx: WorkflowContext,
  state: ApplicationState,
  party: Party,
): Promise<ReviewRequestRecord> {
  const reviewer = await getReviewer(ctx.store, party);
  if (!reviewer) throw new ReviewerMissingError(party);
  const enterprise = await requireEnterprise(ctx.store, state.enterpriseId);
  const schedule = reviewSchedule(state.reviewOpenedOn as LocalDate);
  const expiresAt = startOfLocalDay(schedule.timeoutOn);
  const { linkId, link } = await createReviewLink(ctx.store, {
    applicationId: state.id,
    round: state.round,
    party,
    reviewerName: reviewer.name,
    reviewerEmail: reviewer.email,
    expiresAt,
    now: ctx.now().toISOString(),
  });
  const email = reviewRequestEmail({
    reviewerName: reviewer.name,
    party,
    applicationId: state.id,
    enterpriseId: state.enterpriseId,
    enterpriseName: enterprise.profile.name,
    fromTier: state.fromTier,
    round: state.round,
    deadlineOn: schedule.deadlineOn,
    timeoutOn: schedule.timeoutOn,
    url: `${ctx.reviewBaseUrl.replace(/\/+$/, '')}/review/${linkId}`,
  });
  await ctx.mailer.send({ to: [reviewer.email], ...email, tags: { kind: 'review-request', party } });
  return { linkHash: link.linkHash, reviewerEmail: reviewer.email, expiresAt };
}

const isOpenReviewOf = (state: ApplicationState, round: number, party: Party): boolean =>
  state.status === 'UNDER_REVIEW' &&
  state.round === round &&
  state.reviews[party]?.status === 'PENDING' &&
  state.approvedAt === undefined &&
  roundVerdict(state).result === 'PENDING';

export async function openReviewStep(
  ctx: WorkflowContext,
  input: { applicationId: string; round: number; party: Party; taskToken: string },
): Promise<{ waiting: boolean }> {
  const { store } = ctx;
  const { applicationId, round, party } = input;
  await storeTaskToken(
    store,
    applicationId,
    { task: 'OpenReview', party },
    round,
    input.taskToken,
    ctx.now().toISOString(),
  );
  // One event opens the round for every party; the other parties' steps find it open.
  const { state } = await applyIfStillNeeded(store, applicationId, (s) =>
    s.status === 'UNDER_REVIEW' && s.round === round && s.reviewOpenedOn === undefined
      ? { type: 'REVIEW_ROUND_OPENED', at: ctx.now().toISOString(), round }
      : null,
  );
  if (isOpenReviewOf(state, round, party)) {
    await store.memoizedStep(applicationId, `OpenReview.${party}`, round, () =>
      sendReviewRequest(ctx, state, party),
    );
    // A decision may have come in meanwhile (only after the email, but the email may be a retry's).
    await settleRound(store, applicationId, round);
    return { waiting: true };
  }
  if (
    isFinalStatus(state.status) &&
    !(
      state.round === round &&
      state.reviews[party] &&
      state.reviews[party].status !== 'PENDING' &&
      state.reviews[party].status !== 'EXPIRED'
    )
  ) {
    const expired = state.outcome?.reason === 'REVIEW_TIMEOUT';
    await ignoringGone(() =>
      sendTaskFailure(
        input.taskToken,
        expired ? DEADLINE_EXPIRED_ERROR : APPLICATION_CLOSED_ERROR,
        state.status,
      ),
    );
    return { waiting: false };
  }
  if (state.round !== round) {
    // The round ended before this execution reached it (a restarted execution): nothing to wait for.
    await ignoringGone(() => sendTaskSuccess(input.taskToken, { party, decision: 'ROUND_CLOSED' }));
    return { waiting: false };
  }
  // Decided, superseded, or made moot by a rejection: settle the round, which resumes this wait.
  await settleRound(store, applicationId, round);
  return { waiting: false };
}

// ---------------------------------------------------------------------------------------------
// Tally

export interface TallyResult {
  readonly result: 'APPROVED' | 'REJECTED' | 'CHANGES_REQUESTED';
  readonly round: number;
}

function tallyOf(state: ApplicationState, round: number): TallyResult {
  if (state.round > round) return { result: 'CHANGES_REQUESTED', round: state.round };
  if (state.round === round && state.approvedAt !== undefined) return { result: 'APPROVED', round };
  if (state.status === 'REJECTED' && state.round === round) return { result: 'REJECTED', round };
  throw new StepPreconditionError(
    `round ${round} has no result (the application is ${state.status} in round ${state.round})`,
  );
}

export async function tallyStep(
  ctx: WorkflowContext,
  input: { applicationId: string; round: number },
): Promise<TallyResult> {
  return ctx.store.memoizedStep(input.applicationId, 'Tally', input.round, async () => {
    const { record } = await changeApplication(
      ctx.store,
      input.applicationId,
      (state) => {
        if (state.round !== input.round || state.status !== 'UNDER_REVIEW' || state.approvedAt !== undefined)
          return null;
        const verdict = roundVerdict(state);
        if (verdict.result === 'PENDING') {
          throw new StepPreconditionError(`round ${input.round} still waits for reviews`);
        }
        return {
          type: 'ROUND_ENDED',
          at: ctx.now().toISOString(),
          round: input.round,
          result: verdict.result,
        };
      },
      WORKFLOW_ACTOR,
    );
    return tallyOf(record.state, input.round);
  });
}

// ---------------------------------------------------------------------------------------------
// RecordOutcome

function outcomeEvent(
  state: ApplicationState,
  reason: OutcomeReason,
  at: string,
  refusals: readonly RefusalCode[],
): ApplicationEvent {
  switch (reason) {
    case 'NOT_ELIGIBLE':
      return {
        type: 'FOUND_INELIGIBLE',
        at,
        reasons: refusals.length > 0 ? [...refusals] : ['NOT_DOWNGRADED'],
      };
    case 'EVIDENCE_TIMEOUT':
      return { type: 'DEADLINE_PASSED', at, kind: 'EVIDENCE' };
    case 'REVIEW_TIMEOUT':
      return { type: 'DEADLINE_PASSED', at, kind: 'REVIEW' };
    case 'PARTY_REJECTED':
    case 'ROUND_LIMIT_REACHED':
      // Normally recorded by Tally; this repairs a run that failed between the tally and here.
      return { type: 'ROUND_ENDED', at, round: state.round, result: 'REJECTED' };
    default:
      // A run that failed after the parties rejected keeps their decision (RULES.md §4: a
      // rejection decides at once); closing it as failed would let the enterprise apply again.
      return roundRejected(state)
        ? { type: 'ROUND_ENDED', at, round: state.round, result: 'REJECTED' }
        : { type: 'WORKFLOW_FAILED', at, error: `the workflow ended with ${reason}` };
  }
}

const roundRejected = (state: ApplicationState): boolean =>
  state.status === 'UNDER_REVIEW' &&
  state.approvedAt === undefined &&
  roundVerdict(state).result === 'REJECTED';

/**
 * Whether every party approved the current round: the upgrade is then owed, whatever failed on
 * the way to it. Such an application is not closed as failed; it stays open (claim and all), and
 * the sweep restarts its execution, which fast-forwards to UpgradeTier.
 */
const approvalStands = (state: ApplicationState): boolean =>
  state.status === 'UNDER_REVIEW' &&
  (state.approvedAt !== undefined || roundVerdict(state).result === 'APPROVED');

export async function recordOutcomeStep(
  ctx: WorkflowContext,
  input: { applicationId: string; status: ApplicationStatus; reason: OutcomeReason },
): Promise<{ status: ApplicationStatus }> {
  const { store } = ctx;
  if (input.reason === 'WORKFLOW_FAILED') {
    const { state } = await requireApplication(store, input.applicationId);
    // Nothing is recorded (not even the memo): the restarted run carries the approval out.
    if (approvalStands(state)) return { status: state.status };
  }
  const outcome = await store.memoizedStep(
    input.applicationId,
    'RecordOutcome',
    WHOLE_APPLICATION,
    async () => {
      const verdict = await store.recordedStep<EligibilityVerdict>(input.applicationId, CHECK_ELIGIBILITY, 1);
      const at = ctx.now().toISOString();
      let record: ApplicationRecord;
      try {
        ({ record } = await changeApplication(
          store,
          input.applicationId,
          (state) =>
            isFinalStatus(state.status)
              ? null
              : outcomeEvent(state, input.reason, at, verdict?.reasons ?? []),
          WORKFLOW_ACTOR,
        ));
      } catch (error) {
        if (!(error instanceof IllegalTransitionError)) throw error;
        // The outcome the machine names does not fit the state (a backstop timeout before the date):
        // close the application as failed so the enterprise may apply again.
        record = await applyIfStillNeeded(store, input.applicationId, (state) =>
          isFinalStatus(state.status)
            ? null
            : { type: 'WORKFLOW_FAILED', at, error: `${input.reason}: ${error.code}` },
        );
      }
      await releaseOpenApplication(store, record.state.enterpriseId, input.applicationId);
      return { status: record.state.status };
    },
  );
  // The failure path ends in Fail, without Notify: an application this run closed as failed has
  // nothing more owed, nor has a withdrawn one (a run restarted after a withdrawal that crashed
  // before its own close-out ends here). One decided before the failure (say Notify failed) stays
  // due, so the sweep restarts its execution and the missing steps run again.
  if (input.reason === 'WORKFLOW_FAILED') {
    const { state } = await requireApplication(store, input.applicationId);
    if (state.outcome?.reason === 'WORKFLOW_FAILED' || state.status === 'WITHDRAWN') {
      await closeOutApplication(store, input.applicationId, ctx.now().toISOString());
    }
  }
  return outcome;
}

// ---------------------------------------------------------------------------------------------
// UpgradeTier, PublishListingChange

interface UpgradeRecord {
  readonly tier: Tier;
  readonly on: LocalDate;
  readonly certificationBarUntil: LocalDate;
}

export async function upgradeTierStep(ctx: WorkflowContext, applicationId: string): Promise<{ tier: Tier }> {
  const { store } = ctx;
  const upgrade = await store.memoizedStep<UpgradeRecord>(
    applicationId,
    'UpgradeTier',
    WHOLE_APPLICATION,
    async () => {
      const { state } = await requireApplication(store, applicationId);
      if (state.approvedAt === undefined)
        throw new StepPreconditionError('the reviews have not approved this application');
      // The repair takes effect on the day the round was approved, whenever this step runs.
      const on = localDateIn(state.approvedAt);
      const certificationBarUntil = addYears(on, POLICY.repair.certificationBarYears);
      await recordRestoration(
        store,
        state.enterpriseId,
        { on, kind: 'REPAIRED', applicationId, certificationBarUntil },
        { now: ctx.now().toISOString(), today: localDateIn(ctx.now()) },
      );
      const { record } = await changeApplication(
        store,
        applicationId,
        (s) => (s.status === 'APPROVED' ? null : { type: 'UPGRADED', at: ctx.now().toISOString() }),
        WORKFLOW_ACTOR,
      );
      await releaseOpenApplication(store, record.state.enterpriseId, applicationId);
      return { tier: record.state.targetTier, on, certificationBarUntil };
    },
  );
  return { tier: upgrade.tier };
}

export async function publishListingChangeStep(
  ctx: WorkflowContext,
  applicationId: string,
): Promise<{ published: boolean }> {
  const { store } = ctx;
  return store.memoizedStep(applicationId, 'PublishListingChange', WHOLE_APPLICATION, async () => {
    const { state } = await requireApplication(store, applicationId);
    const upgrade = await store.recordedStep<UpgradeRecord>(applicationId, 'UpgradeTier', WHOLE_APPLICATION);
    if (!upgrade || state.status !== 'APPROVED')
      throw new StepPreconditionError('the tier has not been upgraded');
    await publishListingChanged({
      enterpriseId: state.enterpriseId,
      fromTier: state.fromTier,
      toTier: upgrade.tier,
      reason: 'REPAIRED',
      effectiveOn: upgrade.on,
      policyId: state.policyId,
      changeId: `${applicationId}#REPAIRED`,
      applicationId,
    });
    return { published: true };
  });
}

// ---------------------------------------------------------------------------------------------
// Notify

export async function notifyStep(ctx: WorkflowContext, applicationId: string): Promise<{ sent: number }> {
  const { store } = ctx;
  const { state } = await requireApplication(store, applicationId);
  if (!isFinalStatus(state.status))
    throw new StepPreconditionError(`the application is still ${state.status}`);
  if (state.status === 'WITHDRAWN') {
    // The applicant's own act: nobody is owed an outcome (a run the withdrawal could not stop).
    await closeOutApplication(store, applicationId, ctx.now().toISOString());
    return { sent: 0 };
  }
  const enterprise = await requireEnterprise(store, state.enterpriseId);
  const enterpriseName = enterprise.profile.name;
  // One memo per audience, so a retry after the first message does not send it again.
  const applicant = await store.memoizedStep(
    applicationId,
    'Notify.applicant',
    WHOLE_APPLICATION,
    async () => {
      const email = outcomeEmail({ audience: 'APPLICANT', enterpriseName, state });
      await ctx.mailer.send({ to: [enterprise.profile.contactEmail], ...email, tags: { kind: 'outcome' } });
      return { sent: 1 };
    },
  );
  const parties = await store.memoizedStep(applicationId, 'Notify.parties', WHOLE_APPLICATION, async () => {
    const reviewers = await Promise.all(state.parties.map((party) => getReviewer(store, party)));
    const to = [...new Set(reviewers.flatMap((r) => (r ? [r.email] : [])))];
    if (to.length === 0) return { sent: 0 };
    const email = outcomeEmail({ audience: 'PARTIES', enterpriseName, state });
    await ctx.mailer.send({ to, ...email, tags: { kind: 'outcome' } });
    return { sent: 1 };
  });
  await closeOutApplication(store, applicationId, ctx.now().toISOString());
  return { sent: applicant.sent + parties.sent };
}
