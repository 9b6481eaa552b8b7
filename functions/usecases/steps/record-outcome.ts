import type { Needs } from '../../ports/ports.ts';
import { IllegalTransitionError } from '../../../domain/errors.ts';
import { roundVerdict, type ApplicationEvent, type ApplicationState } from '../../../domain/lifecycle.ts';
import {
  isFinalStatus,
  type ApplicationStatus,
  type OutcomeReason,
  type RefusalCode,
} from '../../../domain/vocabulary.ts';
import { releaseOpenApplication } from '../enterprises/open-claim.ts';
import {
  changeApplication,
  closeOutApplication,
  requireApplication,
  type ApplicationRecord,
} from '../applications/records.ts';
import { recordedRefusals } from './check-eligibility.ts';
import { applyIfStillNeeded, WHOLE_APPLICATION, WORKFLOW_ACTOR } from './context.ts';

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
  ports: Needs<'store' | 'clock'>,
  input: { applicationId: string; status: ApplicationStatus; reason: OutcomeReason },
): Promise<{ status: ApplicationStatus }> {
  const { store } = ports;
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
      const refusals = await recordedRefusals(store, input.applicationId);
      const at = ports.clock.now().toISOString();
      let record: ApplicationRecord;
      try {
        ({ record } = await changeApplication(
          ports,
          input.applicationId,
          (state) => (isFinalStatus(state.status) ? null : outcomeEvent(state, input.reason, at, refusals)),
          WORKFLOW_ACTOR,
        ));
      } catch (error) {
        if (!(error instanceof IllegalTransitionError)) throw error;
        // The outcome the machine names does not fit the state (a backstop timeout before the date):
        // close the application as failed so the enterprise may apply again.
        record = await applyIfStillNeeded(ports, input.applicationId, (state) =>
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
      await closeOutApplication(store, input.applicationId, ports.clock.now().toISOString());
    }
  }
  return outcome;
}
