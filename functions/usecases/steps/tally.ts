import type { Needs } from '../../ports/ports.ts';
import { reached } from '../../observability/crash-points.ts';
import { roundVerdict, type ApplicationState } from '../../../domain/lifecycle.ts';
import { changeApplication } from '../applications/records.ts';
import { StepPreconditionError, WORKFLOW_ACTOR } from './context.ts';

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
  ports: Needs<'store' | 'clock'>,
  input: { applicationId: string; round: number },
): Promise<TallyResult> {
  return ports.store.memoizedStep(input.applicationId, 'Tally', input.round, async () => {
    const { record } = await changeApplication(
      ports,
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
          at: ports.clock.now().toISOString(),
          round: input.round,
          result: verdict.result,
        };
      },
      WORKFLOW_ACTOR,
    );
    reached('tally.roundEnded');
    return tallyOf(record.state, input.round);
  });
}
