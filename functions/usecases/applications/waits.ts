import type { ApplicationState } from '../../../domain/lifecycle.ts';
import type { Party, ReviewStatus } from '../../../domain/vocabulary.ts';
import { logger } from '../../observability/logger.ts';
import type { Needs } from '../../ports/ports.ts';
import { TaskGoneError } from '../../ports/workflow.ts';
import { mirroredTaskToken, readTaskToken, type TokenSlot, type WaitTokens } from './task-tokens.ts';

/**
 * Ending the workflow's waits from outside (evidence submitted, a review decided, a deadline
 * expired). The state is always written first, then the token resumed: the one the write itself
 * returned (`known`, task-tokens.ts), else the stored one read after the write; a token that is gone
 * (timed out, already resumed, its execution stopped or lost with the engine) is not an error: the
 * callback task of a restarted execution reads the state and resumes itself (fast-forward).
 */

export const DEADLINE_EXPIRED_ERROR = 'Deadline.Expired';
/**
 * The error a wait is failed with when the application closed by other means (withdrawn, ended by
 * its causes): the state machine goes straight to Notify, the outcome being recorded already.
 */
export const APPLICATION_CLOSED_ERROR = 'Application.Closed';

/** What OpenReview's wait ends with: the party and its review's status in the round. */
export interface ReviewWaitResult {
  readonly party: Party;
  readonly decision: ReviewStatus;
}

export interface EvidenceWaitResult {
  readonly submittedAt: string;
}

type WaitPorts = Needs<'store' | 'workflow'>;

/**
 * Resumes the wait in `slot` with `send`; false when there is no token or its task is gone. The
 * token mirrored in `known` goes first (no read); when there is none for the round, or its task is
 * gone, the stored token is read (after the caller's write) and tried unless it is the same.
 */
async function resume(
  ports: WaitPorts,
  applicationId: string,
  slot: TokenSlot,
  round: number,
  send: (token: string) => Promise<void>,
  known?: WaitTokens,
): Promise<boolean> {
  const sendTo = async (token: string): Promise<boolean> => {
    try {
      await send(token);
      return true;
    } catch (error) {
      if (error instanceof TaskGoneError) {
        logger.debug('workflow task already gone', {
          applicationId,
          task: slot.task,
          round,
          reason: error.reason,
        });
        return false;
      }
      throw error;
    }
  };
  const mirrored = mirroredTaskToken(known, slot, round);
  if (mirrored !== undefined && (await sendTo(mirrored))) return true;
  const stored = await readTaskToken(ports.store, applicationId, slot, round);
  if (stored === undefined || stored === mirrored) return false;
  return sendTo(stored);
}

export function resolveEvidenceWait(
  ports: WaitPorts,
  applicationId: string,
  round: number,
  result: EvidenceWaitResult,
  known?: WaitTokens,
): Promise<boolean> {
  return resume(
    ports,
    applicationId,
    { task: 'AwaitEvidence' },
    round,
    (token) => ports.workflow.sendTaskSuccess(token, result),
    known,
  );
}

/**
 * Resumes the OpenReview wait of every party whose review in `round` is no longer pending. A
 * party resumed before answers TaskDoesNotExist/TaskTimedOut, which is ignored.
 */
export async function resolveReviewWaits(
  ports: WaitPorts,
  state: ApplicationState,
  round: number,
  known?: WaitTokens,
): Promise<void> {
  if (state.round !== round) return;
  for (const party of state.parties) {
    const review = state.reviews[party];
    if (review === undefined || review.status === 'PENDING' || review.status === 'EXPIRED') continue;
    const result: ReviewWaitResult = { party, decision: review.status };
    await resume(
      ports,
      state.id,
      { task: 'OpenReview', party },
      round,
      (token) => ports.workflow.sendTaskSuccess(token, result),
      known,
    );
  }
}

/** Fails the current waits of an application that expired, so its execution records the expiry. */
export async function failExpiredWaits(
  ports: WaitPorts,
  state: ApplicationState,
  kind: 'EVIDENCE' | 'REVIEW',
  cause: string,
): Promise<void> {
  const fail = (token: string) => ports.workflow.sendTaskFailure(token, DEADLINE_EXPIRED_ERROR, cause);
  if (kind === 'EVIDENCE') {
    await resume(ports, state.id, { task: 'AwaitEvidence' }, state.round, fail);
    return;
  }
  await failOneReviewWait(ports, state, fail);
}

/** Failing one party's wait fails the Map; the engine closes the other parties' waits. */
async function failOneReviewWait(
  ports: WaitPorts,
  state: ApplicationState,
  fail: (token: string) => Promise<void>,
): Promise<boolean> {
  for (const party of state.parties) {
    if (await resume(ports, state.id, { task: 'OpenReview', party }, state.round, fail)) return true;
  }
  return false;
}

/**
 * Ends whatever the execution of an application closed by other means waits on (its evidence, or
 * its round's reviews), so it goes on to tell the applicant and the parties. A wait already over
 * is skipped; a task not reached yet finds the application closed when it starts.
 */
export async function failClosedWaits(ports: WaitPorts, state: ApplicationState): Promise<void> {
  const fail = (token: string) =>
    ports.workflow.sendTaskFailure(token, APPLICATION_CLOSED_ERROR, state.status);
  if (await resume(ports, state.id, { task: 'AwaitEvidence' }, state.round, fail)) return;
  await failOneReviewWait(ports, state, fail);
}
