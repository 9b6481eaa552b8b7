import { activeCauseIdsAt, classify, type ClassificationInput } from '../../../domain/classification.ts';
import { coverageVerdict } from '../../../domain/coverage.ts';
import { localDateIn } from '../../../domain/dates.ts';
import { IllegalTransitionError } from '../../../domain/errors.ts';
import type { ApplicationEvent, ApplicationState } from '../../../domain/lifecycle.ts';
import { isFinalStatus, type OutcomeReason } from '../../../domain/vocabulary.ts';
import { releaseOpenApplication } from '../enterprises/open-claim.ts';
import { requireEnterprise, type LoadedEnterprise } from '../enterprises/records.ts';
import type { Needs } from '../../ports/ports.ts';
import { changeApplication, loadApplication } from './records.ts';
import { failClosedWaits } from './waits.ts';

/**
 * RULES.md §6.1 for an open application whose enterprise's causes changed: a fact recorded, paid
 * or voided (the fact routes), or time that determined arrears or closed a listing (the sweep).
 * Whichever of them learns of the change first ends the application at once; the others find it
 * ended. The application's waiting task is then failed, so its execution goes on to tell the
 * applicant and the parties (Notify); its pending reviews, and so their links, are superseded.
 */

const ENDED_BY_CAUSES: readonly OutcomeReason[] = ['NEW_CAUSE_DETERMINED', 'LISTING_ENDED'];

/**
 * The causes an application covers. One stored before revision 2 did not record them: it covers
 * the causes that were active, as then known, when it was submitted.
 */
export const coveredCauseIdsOf = (state: ApplicationState, input: ClassificationInput): readonly string[] =>
  state.coveredCauseIds ?? activeCauseIdsAt(input, state.submittedAt);

export interface SettledApplication {
  /** The enterprise after the change (its open-application claim released when the application ended). */
  readonly enterprise: LoadedEnterprise;
  /** Set when this call (or an earlier one it finished) ended the application. */
  readonly ended?: { readonly applicationId: string; readonly reason: OutcomeReason };
}

/**
 * Checks the enterprise's open application, if any, against its causes as of `now` and ends it when
 * they no longer match what it covers. Safe to repeat: a repeat finishes what a crashed call left
 * (the claim, the waiting task) and changes nothing else.
 */
export async function settleOpenApplication(
  ports: Needs<'store' | 'clock' | 'workflow'>,
  enterprise: LoadedEnterprise,
  now: Date,
  actor: string,
): Promise<SettledApplication> {
  const applicationId = enterprise.profile.openApplicationId;
  if (applicationId === undefined) return { enterprise };
  const { store } = ports;
  const record = await loadApplication(store, applicationId);
  if (record === undefined) return { enterprise };

  let state = record.state;
  // The upgrade recorded the repair (and released the claim) first: what changed now comes after it.
  const repaired = enterprise.input.closures.some((c) => c.applicationId === applicationId);
  if (!isFinalStatus(state.status) && !repaired) {
    const verdict = coverageVerdict(
      coveredCauseIdsOf(state, enterprise.input),
      classify(enterprise.input, localDateIn(now)),
      'OPEN',
    );
    if (verdict.kind === 'COVERED') return { enterprise };
    const at = now.toISOString();
    const event: ApplicationEvent =
      verdict.kind === 'NEW_CAUSE_DETERMINED'
        ? { type: 'NEW_CAUSE_DETERMINED', at, causeIds: [...verdict.causeIds] }
        : { type: 'LISTING_ENDED', at };
    try {
      ({ state } = (
        await changeApplication(ports, applicationId, (s) => (isFinalStatus(s.status) ? null : event), actor)
      ).record);
    } catch (error) {
      // The parties' rejection of the round already decided it: theirs is the outcome.
      if (error instanceof IllegalTransitionError) return { enterprise };
      throw error;
    }
  }
  const reason = state.outcome?.reason;
  if (reason === undefined || !ENDED_BY_CAUSES.includes(reason)) return { enterprise };
  await releaseOpenApplication(store, state.enterpriseId, applicationId);
  await failClosedWaits(ports, state);
  return {
    enterprise: await requireEnterprise(store, state.enterpriseId),
    ended: { applicationId, reason },
  };
}
