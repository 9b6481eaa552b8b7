import { IllegalTransitionError } from '../../../domain/errors.ts';
import { currentReviews, policyOf, type ApplicationState } from '../../../domain/lifecycle.ts';
import { toSupersede } from '../../../domain/tally.ts';
import { isFinalStatus } from '../../../domain/vocabulary.ts';
import type { Needs } from '../../ports/ports.ts';
import { changeApplication, loadApplication, type ApplicationRecord } from '../applications/records.ts';
import type { WaitTokens } from '../applications/task-tokens.ts';
import { resolveReviewWaits } from '../applications/waits.ts';

/** What the caller of settleRound already holds, so it need not be read again. */
interface KnownToCaller {
  /** The application as the caller just wrote it (its last entry appended or `appended`). */
  readonly from?: ApplicationRecord;
  /** The append of `from`'s last entries, under way: awaited before any change and at the end. */
  readonly appended?: Promise<void>;
  /** The task tokens the write of `from` returned (resumes the waits without another read). */
  readonly waitTokens?: WaitTokens;
}

/**
 * Closes the reviews a rejection made moot (REVIEW_SUPERSEDED for each), then resumes the waits
 * of every party whose review in the round is no longer pending. Safe to repeat: a decision's
 * POST, the OpenReview step and a restarted execution all call it.
 */
export async function settleRound(
  ports: Needs<'store' | 'clock' | 'workflow'>,
  applicationId: string,
  round: number,
  known: KnownToCaller = {},
): Promise<ApplicationState | undefined> {
  try {
    return await settle(ports, applicationId, round, known);
  } finally {
    await known.appended;
  }
}

async function settle(
  ports: Needs<'store' | 'clock' | 'workflow'>,
  applicationId: string,
  round: number,
  known: KnownToCaller,
): Promise<ApplicationState | undefined> {
  let record = known.from ?? (await loadApplication(ports.store, applicationId));
  let { waitTokens } = known;
  if (!record) return undefined;
  const at = ports.clock.now().toISOString();
  const { maxRounds } = policyOf(record.state).review;
  for (const party of toSupersede(currentReviews(record.state), record.state.round, maxRounds)) {
    if (record.state.round !== round) break;
    await known.appended;
    try {
      let changed: boolean;
      let latest: WaitTokens | undefined;
      ({
        record,
        changed,
        waitTokens: latest,
      } = await changeApplication(
        ports,
        applicationId,
        (state) =>
          state.round === round && state.reviews[party]?.status === 'PENDING' && !isFinalStatus(state.status)
            ? { type: 'REVIEW_SUPERSEDED', at, round, party }
            : null,
        'workflow',
        { from: record },
      ));
      // The newest write's tokens; a no-op re-read the item, whose tokens this one did not get.
      waitTokens = changed ? latest : undefined;
    } catch (error) {
      // The round ended or the application closed meanwhile: nothing is left to supersede.
      if (!(error instanceof IllegalTransitionError)) throw error;
      record = (await loadApplication(ports.store, applicationId)) ?? record;
      waitTokens = undefined;
    }
  }
  await resolveReviewWaits(ports, record.state, round, waitTokens);
  return record.state;
}
