import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  type ExecutionStatus,
} from '@aws-sdk/client-sfn';
import { requiredEnv } from '../../composition/environment.ts';
import { sfnClient } from './client.ts';

/**
 * The RepairApplication state machine as handlers see it. The execution name is the application id,
 * so starting twice cannot run two workflows for one application (docs/architecture.md).
 */

export const STATE_MACHINE_ARN_ENV = 'STATE_MACHINE_ARN';

/** The task behind a token no longer waits (timed out, already resolved, execution stopped). */
export class TaskGoneError extends Error {
  readonly reason: 'TaskTimedOut' | 'TaskDoesNotExist';

  constructor(reason: 'TaskTimedOut' | 'TaskDoesNotExist', options?: { cause?: unknown }) {
    super(`the workflow task is gone (${reason})`, options);
    this.name = 'TaskGoneError';
    this.reason = reason;
  }
}

export interface StartResult {
  /** false when an execution with this name already existed (running or finished). */
  readonly started: boolean;
  readonly executionArn: string;
}

/**
 * Starts the workflow of an application. `name` defaults to the application id; the sweep passes a
 * deterministic other name when it restarts an application whose first execution ended.
 */
export async function startRepairExecution(
  applicationId: string,
  options: { name?: string } = {},
): Promise<StartResult> {
  const name = options.name ?? applicationId;
  try {
    const out = await sfnClient().send(
      new StartExecutionCommand({
        stateMachineArn: requiredEnv(STATE_MACHINE_ARN_ENV),
        name,
        input: JSON.stringify({ applicationId }),
      }),
    );
    return { started: true, executionArn: out.executionArn ?? executionArnFor(name) };
  } catch (error) {
    if (error instanceof Error && error.name === 'ExecutionAlreadyExists') {
      return { started: false, executionArn: executionArnFor(name) };
    }
    throw error;
  }
}

/** The ARN of the execution `name` of the state machine (Step Functions' documented ARN shape). */
export function executionArnFor(name: string): string {
  const machineArn = requiredEnv(STATE_MACHINE_ARN_ENV);
  return machineArn.replace(':stateMachine:', ':execution:') + `:${name}`;
}

/** The status of an execution, or undefined when there is none by that name. */
export async function executionStatus(name: string): Promise<ExecutionStatus | undefined> {
  try {
    const out = await sfnClient().send(new DescribeExecutionCommand({ executionArn: executionArnFor(name) }));
    return out.status;
  } catch (error) {
    if (error instanceof Error && error.name === 'ExecutionDoesNotExist') return undefined;
    throw error;
  }
}

/** ListExecutions' largest page. */
const LIST_PAGE_SIZE = 1000;

/**
 * The names of the state machine's running executions, a thousand per call. The list is
 * eventually consistent: a name missing from it is only a candidate, to confirm with
 * executionStatus before acting on it.
 */
export async function runningExecutionNames(): Promise<Set<string>> {
  const names = new Set<string>();
  let nextToken: string | undefined;
  do {
    const out = await sfnClient().send(
      new ListExecutionsCommand({
        stateMachineArn: requiredEnv(STATE_MACHINE_ARN_ENV),
        statusFilter: 'RUNNING',
        maxResults: LIST_PAGE_SIZE,
        ...(nextToken === undefined ? {} : { nextToken }),
      }),
    );
    for (const execution of out.executions ?? []) if (execution.name) names.add(execution.name);
    nextToken = out.nextToken;
  } while (nextToken !== undefined);
  return names;
}

/** Stops an execution (withdrawal). Stopping one that is not running is not an error. */
export async function stopRepairExecution(name: string, cause: string): Promise<void> {
  try {
    await sfnClient().send(new StopExecutionCommand({ executionArn: executionArnFor(name), cause }));
  } catch (error) {
    if (error instanceof Error && error.name === 'ExecutionDoesNotExist') return;
    throw error;
  }
}

export async function sendTaskSuccess(taskToken: string, output: unknown): Promise<void> {
  await withGoneTasks(() =>
    sfnClient().send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })),
  );
}

export async function sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void> {
  await withGoneTasks(() => sfnClient().send(new SendTaskFailureCommand({ taskToken, error, cause })));
}

async function withGoneTasks(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (error instanceof Error && (error.name === 'TaskTimedOut' || error.name === 'TaskDoesNotExist')) {
      throw new TaskGoneError(error.name, { cause: error });
    }
    throw error;
  }
}
