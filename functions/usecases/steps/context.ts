import { IllegalTransitionError } from '../../../domain/errors.ts';
import type { ApplicationEvent, ApplicationState } from '../../../domain/lifecycle.ts';
import type { OutcomeReason } from '../../../domain/vocabulary.ts';
import { logger } from '../../observability/logger.ts';
import type { Needs } from '../../ports/ports.ts';
import { TaskGoneError, type WorkflowClient } from '../../ports/workflow.ts';
import { changeApplication, requireApplication, type ApplicationRecord } from '../applications/records.ts';
import { APPLICATION_CLOSED_ERROR, DEADLINE_EXPIRED_ERROR } from '../applications/waits.ts';

/**
 * What the RepairApplication task steps share (docs/architecture.md, "The state machine contract").
 * Each step is memoized: what it decided for (application, step, round) is recorded once and
 * returned on every re-run, so retries, redrives and restarted executions fast-forward. Callback
 * steps store their token first and then look at the state: a wait that is already over (evidence
 * submitted, review decided or superseded) is resumed by the step itself. Each step names the
 * ports it uses; its task handler passes exactly those.
 */

/** Steps that are not per round are recorded under round 0. */
export const WHOLE_APPLICATION = 0;
export const WORKFLOW_ACTOR = 'workflow';

export class StepPreconditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StepPrecondition';
  }
}

/** A token whose execution has ended (or was replaced) has no one left to resume. */
async function ignoringGone(send: () => Promise<void>): Promise<void> {
  try {
    await send();
  } catch (error) {
    if (!(error instanceof TaskGoneError)) throw error;
  }
}

/** Ends a wait the step found already over, with the result the state machine expects from it. */
export const resumeWait = (workflow: WorkflowClient, taskToken: string, result: unknown): Promise<void> =>
  ignoringGone(() => workflow.sendTaskSuccess(taskToken, result));

/**
 * Ends the wait of an application that closed while (or before) it waited. Expiry on this wait's
 * own deadline fails it as a timeout, so the machine takes its timeout path; anything else is a
 * close by other means.
 */
export const failClosedWait = (
  workflow: WorkflowClient,
  taskToken: string,
  state: ApplicationState,
  ownTimeout: OutcomeReason,
): Promise<void> =>
  ignoringGone(() =>
    workflow.sendTaskFailure(
      taskToken,
      state.outcome?.reason === ownTimeout ? DEADLINE_EXPIRED_ERROR : APPLICATION_CLOSED_ERROR,
      state.status,
    ),
  );

/**
 * A callback step of an execution that is not the application's current one (storeTaskToken said
 * 'stale') stops that execution: two executions of one application would both run the steps after
 * the wait, and only one of them can hold the wait's token.
 */
export async function stopStaleExecution(
  workflow: WorkflowClient,
  applicationId: string,
  executionName: string | undefined,
): Promise<{ waiting: boolean }> {
  logger.warn("stopping an execution that is not the application's current one", {
    applicationId,
    executionName,
  });
  if (executionName !== undefined) {
    await workflow.stop(executionName, 'another execution runs this application');
  }
  return { waiting: true };
}

/** Applies an event unless the application is already past it (IllegalTransitionError → unchanged). */
export async function applyIfStillNeeded(
  ports: Needs<'store' | 'clock'>,
  applicationId: string,
  decide: (state: ApplicationState) => ApplicationEvent | null,
): Promise<ApplicationRecord> {
  try {
    return (await changeApplication(ports, applicationId, decide, WORKFLOW_ACTOR)).record;
  } catch (error) {
    if (!(error instanceof IllegalTransitionError)) throw error;
    return requireApplication(ports.store, applicationId);
  }
}
