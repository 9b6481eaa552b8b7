import type { Needs } from '../../ports/ports.ts';
import { startOfLocalDay, type LocalDate } from '../../../domain/dates.ts';
import { reviewSchedule } from '../../../domain/deadlines.ts';
import { policyOf, roundVerdict, type ApplicationState } from '../../../domain/lifecycle.ts';
import { isFinalStatus, type Party } from '../../../domain/vocabulary.ts';
import { getReviewer } from '../directory/reviewers.ts';
import { requireEnterprise } from '../enterprises/records.ts';
import { reviewRequestEmail } from '../../pages/email/application-emails.ts';
import { storeTaskToken } from '../applications/task-tokens.ts';
import { issueReviewLink, supersedeEarlierLinks } from '../reviews/issue-link.ts';
import { reviewUrl } from '../reviews/link-ids.ts';
import { settleRound } from '../reviews/settle-round.ts';
import { applyIfStillNeeded, failClosedWait, resumeWait, stopStaleExecution } from './context.ts';

export class ReviewerMissingError extends Error {
  constructor(party: Party) {
    super(`the reviewer directory names no reviewer for ${party}`);
    this.name = 'ReviewerMissing';
  }
}

/** What OpenReview uses: it opens the round, mails a link, and may resume or fail its own wait. */
export type OpenReviewPorts = Needs<'store' | 'clock' | 'mailer' | 'workflow' | 'linkSecret'> & {
  /** Review links are `${reviewBaseUrl}/review/<linkId>`. */
  readonly reviewBaseUrl: string;
};

interface ReviewRequestRecord {
  readonly linkHash: string;
  readonly reviewerEmail: string;
  readonly expiresAt: string;
}

async function sendReviewRequest(
  ports: OpenReviewPorts,
  state: ApplicationState,
  party: Party,
): Promise<ReviewRequestRecord> {
  const reviewer = await getReviewer(ports.store, party);
  if (!reviewer) throw new ReviewerMissingError(party);
  const enterprise = await requireEnterprise(ports.store, state.enterpriseId);
  const schedule = reviewSchedule(state.reviewOpenedOn as LocalDate, policyOf(state));
  const expiresAt = startOfLocalDay(schedule.timeoutOn);
  const now = ports.clock.now().toISOString();
  const { linkId, link, earlier } = await issueReviewLink(ports, {
    applicationId: state.id,
    round: state.round,
    party,
    reviewerName: reviewer.name,
    reviewerEmail: reviewer.email,
    expiresAt,
    now,
    holder: 'REVIEWER',
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
    url: reviewUrl(ports.reviewBaseUrl, linkId),
    earlierRounds: state.earlierRounds ?? [],
    responses: state.responses ?? [],
  });
  await ports.mailer.send({ to: [reviewer.email], ...email, tags: { kind: 'review-request', party } });
  // A run before this one may have issued (and sent) a link and crashed before its memo.
  await supersedeEarlierLinks(ports, earlier, 'REVIEWER', now);
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
  ports: OpenReviewPorts,
  input: {
    applicationId: string;
    round: number;
    party: Party;
    taskToken: string;
    executionName?: string | undefined;
  },
): Promise<{ waiting: boolean }> {
  const { store } = ports;
  const { applicationId, round, party } = input;
  const kept = await storeTaskToken(
    store,
    applicationId,
    { task: 'OpenReview', party },
    round,
    input.taskToken,
    ports.clock.now().toISOString(),
    input.executionName,
  );
  if (kept === 'stale') return stopStaleExecution(ports.workflow, applicationId, input.executionName);
  // One event opens the round for every party; the other parties' steps find it open.
  const { state } = await applyIfStillNeeded(ports, applicationId, (s) =>
    s.status === 'UNDER_REVIEW' && s.round === round && s.reviewOpenedOn === undefined
      ? { type: 'REVIEW_ROUND_OPENED', at: ports.clock.now().toISOString(), round }
      : null,
  );
  if (isOpenReviewOf(state, round, party)) {
    await store.memoizedStep(applicationId, `OpenReview.${party}`, round, () =>
      sendReviewRequest(ports, state, party),
    );
    // A decision may have come in meanwhile (only after the email, but the email may be a retry's).
    await settleRound(ports, applicationId, round);
    return { waiting: true };
  }
  if (isFinalStatus(state.status) && !decidedBeforeClose(state, round, party)) {
    await failClosedWait(ports.workflow, input.taskToken, state, 'REVIEW_TIMEOUT');
    return { waiting: false };
  }
  if (state.round !== round) {
    // The round ended before this execution reached it (a restarted execution): nothing to wait for.
    await resumeWait(ports.workflow, input.taskToken, { party, decision: 'ROUND_CLOSED' });
    return { waiting: false };
  }
  // Decided, superseded, or made moot by a rejection: settle the round, which resumes this wait.
  await settleRound(ports, applicationId, round);
  return { waiting: false };
}
