import { IllegalTransitionError } from '../../../domain/errors.ts';
import { commentRequired, type Decision } from '../../../domain/vocabulary.ts';
import type { GoneReason, RecordedDecision } from '../../pages/review/results.ts';
import type { Needs } from '../../ports/ports.ts';
import {
  changeApplication,
  loadApplication,
  loadApplicationWithTimeline,
  repairOutbox,
  type ApplicationRecord,
} from '../applications/records.ts';
import type { WaitTokens } from '../applications/task-tokens.ts';
import { consumeLink, findReviewLink, type ReviewLink } from './link-records.ts';
import { goneReason, recordedDecisionOf } from './page.ts';
import { settleRound } from './settle-round.ts';
import { reached } from '../../observability/crash-points.ts';

/**
 * The reviewer's decision (CONTRACT.md `POST /review/{linkId}`): the link's conditional update
 * picks the one winner, the decision is recorded on the application, a rejection supersedes the
 * round's other pending reviews, and the waiting OpenReview tasks are resumed. Every outcome is a
 * typed result, never a thrown error: a reviewer always gets a page.
 */

export type DecideResult =
  | { readonly kind: 'DECIDED'; readonly decision: RecordedDecision }
  | { readonly kind: 'ALREADY_USED'; readonly decision: RecordedDecision }
  | { readonly kind: 'GONE'; readonly reason: GoneReason }
  | { readonly kind: 'COMMENT_REQUIRED'; readonly decision: Decision }
  | { readonly kind: 'BAD_NONCE' }
  | { readonly kind: 'NOT_FOUND' };

export interface DecisionForm {
  readonly decision: Decision;
  readonly comment?: string | undefined;
  readonly nonce: string;
}

type DecidePorts = Needs<'store' | 'clock' | 'workflow' | 'linkSecret'>;

/**
 * Records a consumed link's decision on the application if it is not there yet (repairing a crash
 * between consuming the link and the state write), then settles the round. Returns whether the
 * application holds the decision.
 */
async function finishDecision(
  ports: DecidePorts,
  link: ReviewLink,
  known: { readonly from?: ApplicationRecord } = {},
): Promise<boolean> {
  const decision = link.decision;
  const at = link.usedAt;
  if (decision === undefined || at === undefined) return false;
  let recorded: ApplicationRecord;
  let appended: Promise<void> | undefined;
  let waitTokens: WaitTokens | undefined;
  try {
    ({
      record: recorded,
      appended,
      waitTokens,
    } = await changeApplication(
      ports,
      link.applicationId,
      (state) =>
        state.round === link.round &&
        state.status === 'UNDER_REVIEW' &&
        state.reviews[link.party]?.status === 'PENDING'
          ? {
              type: 'REVIEW_DECIDED',
              at,
              round: link.round,
              party: link.party,
              decision,
              ...(link.comment === undefined ? {} : { comment: link.comment }),
            }
          : null,
      `reviewer:${link.party}`,
      { ...(known.from === undefined ? {} : { from: known.from }), deferAppend: true },
    ));
  } catch (error) {
    if (error instanceof IllegalTransitionError) return false;
    throw error;
  }
  reached('review.decided');
  // The wait is resumed with the token the decision's own write returned (task-tokens.ts).
  await settleRound(ports, link.applicationId, link.round, {
    from: recorded,
    ...(appended === undefined ? {} : { appended }),
    ...(waitTokens === undefined ? {} : { waitTokens }),
  });
  const review = recorded.state.round === link.round ? recorded.state.reviews[link.party] : undefined;
  return review?.decidedAt === at;
}

export async function decideReview(
  ports: DecidePorts,
  linkId: string,
  form: DecisionForm,
  now: Date,
): Promise<DecideResult> {
  const found = await findReviewLink(ports, linkId);
  if (!found) return { kind: 'NOT_FOUND' };
  const alreadyUsed = async (link: ReviewLink): Promise<DecideResult> => {
    await finishDecision(ports, link);
    return { kind: 'ALREADY_USED', decision: recordedDecisionOf(link) };
  };
  if (found.link.usedAt !== undefined) return alreadyUsed(found.link);

  const comment = form.comment?.trim() ?? '';
  if (commentRequired(form.decision) && comment === '') {
    return { kind: 'COMMENT_REQUIRED', decision: form.decision };
  }
  const nowAt = now.toISOString();
  // The application with its stored timeline: the outbox entries already there need no repair.
  const loaded = await loadApplicationWithTimeline(ports.store, found.link.applicationId);
  const application = loaded?.record;
  const gone = goneReason(application?.state, found.link, nowAt);
  if (gone !== null) return { kind: 'GONE', reason: gone };

  // Beside the link's conditional update (the one that picks the winner) goes the repair the
  // decision's write needs: the outbox entries not yet on the timeline. (The task token comes
  // with the decision's write, never from a read before it, as the waits require.)
  const [consumed] = await Promise.all([
    consumeLink(ports, linkId, {
      nonce: form.nonce,
      decision: form.decision,
      ...(comment === '' ? {} : { comment }),
      now: nowAt,
    }),
    loaded === undefined
      ? undefined
      : repairOutbox(ports.store, found.link.applicationId, loaded.record, loaded.timeline),
  ]);
  switch (consumed.kind) {
    case 'NOT_FOUND':
    case 'BAD_NONCE':
      return { kind: consumed.kind };
    case 'EXPIRED':
      return { kind: 'GONE', reason: 'EXPIRED' };
    case 'SUPERSEDED':
      return { kind: 'GONE', reason: 'SUPERSEDED' };
    case 'ALREADY_USED':
      return alreadyUsed(consumed.link);
    case 'CONSUMED': {
      const known = application === undefined ? {} : { from: application };
      if (await finishDecision(ports, consumed.link, known)) {
        return { kind: 'DECIDED', decision: recordedDecisionOf(consumed.link) };
      }
      // Between the page check and the write, the round was decided or the application closed.
      const latest = await loadApplication(ports.store, consumed.link.applicationId);
      return { kind: 'GONE', reason: goneReason(latest?.state, consumed.link, nowAt) ?? 'CLOSED' };
    }
  }
}
