import { startOfLocalDay, type LocalDate } from '../../../domain/dates.ts';
import { reviewSchedule } from '../../../domain/deadlines.ts';
import { policyOf, roundVerdict, type ApplicationState } from '../../../domain/lifecycle.ts';
import { isFinalStatus, type Party } from '../../../domain/vocabulary.ts';
import { getReviewer } from '../directory/reviewers.ts';
import { requireEnterprise } from '../enterprises/records.ts';
import { reviewRequestEmail } from '../../pages/email/application-emails.ts';
import { storeTaskToken } from '../applications/repository.ts';
import { createReviewLink } from '../reviews/link-records.ts';
import { settleRound } from '../reviews/review.ts';
import { applyIfStillNeeded, failClosedWait, resumeWait, type WorkflowContext } from './context.ts';

export class ReviewerMissingError extends Error {
  constructor(party: Party) {
    super(`the reviewer directory names no reviewer for ${party}`);
    this.name = 'ReviewerMissing';
  }
}

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
  const schedule = reviewSchedule(state.reviewOpenedOn as LocalDate, policyOf(state));
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

/** Whether the party's review of this round was decided (not left pending or expired) before the close. */
const decidedBeforeClose = (state: ApplicationState, round: number, party: Party): boolean => {
  const review = state.reviews[party];
  return (
    state.round === round &&
    review !== undefined &&
    review.status !== 'PENDING' &&
    review.status !== 'EXPIRED'
  );
};

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
  if (isFinalStatus(state.status) && !decidedBeforeClose(state, round, party)) {
    await failClosedWait(input.taskToken, state, 'REVIEW_TIMEOUT');
    return { waiting: false };
  }
  if (state.round !== round) {
    // The round ended before this execution reached it (a restarted execution): nothing to wait for.
    await resumeWait(input.taskToken, { party, decision: 'ROUND_CLOSED' });
    return { waiting: false };
  }
  // Decided, superseded, or made moot by a rejection: settle the round, which resumes this wait.
  await settleRound(store, applicationId, round);
  return { waiting: false };
}
