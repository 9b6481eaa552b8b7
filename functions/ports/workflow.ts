/**
 * The workflow port: the RepairApplication state machine as the use cases see it. The execution
 * name is the application id, so starting twice cannot run two workflows for one application
 * (docs/architecture.md); a restart runs under a deterministic other name.
 */

/** An execution's status (Step Functions' own names). */
export type ExecutionStatus =
  'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export interface StartResult {
  /** false when an execution with this name already existed (running or finished). */
  readonly started: boolean;
  readonly executionArn: string;
}

/** The task behind a token no longer waits (timed out, already resolved, execution stopped). */
export class TaskGoneError extends Error {
  readonly reason: 'TaskTimedOut' | 'TaskDoesNotExist';

  constructor(reason: 'TaskTimedOut' | 'TaskDoesNotExist', options?: { cause?: unknown }) {
    super(`the workflow task is gone (${reason})`, options);
    this.name = 'TaskGoneError';
    this.reason = reason;
  }
}

/** One state entered or left in an execution's history (GetExecutionHistory, without execution data). */
export interface StateEvent {
  readonly at: string;
  readonly kind: 'ENTERED' | 'EXITED';
  readonly state: string;
}

/** What the Step Functions API tells of one execution: DescribeExecution and its history's state events. */
export interface ExecutionRecord {
  readonly name: string;
  readonly status: ExecutionStatus;
  readonly startedAt: string;
  readonly stoppedAt?: string;
  readonly events: readonly StateEvent[];
}

export interface WorkflowClient {
  /** The state machine's own definition (Amazon States Language, JSON text): DescribeStateMachine. */
  definition(): Promise<string>;
  /** The execution `name` with its state events, or undefined when the service keeps none by that name. */
  execution(name: string): Promise<ExecutionRecord | undefined>;
  /** Starts the workflow of an application, under `name` (default: the application id). */
  start(applicationId: string, options?: { readonly name?: string }): Promise<StartResult>;
  /** The status of the execution `name`, or undefined when there is none. */
  status(name: string): Promise<ExecutionStatus | undefined>;
  /**
   * The names of the running executions. Eventually consistent: a name missing from it is only a
   * candidate, to confirm with status() before acting on it.
   */
  runningNames(): Promise<Set<string>>;
  /** Stops an execution; stopping one that is not running is not an error. */
  stop(name: string, cause: string): Promise<void>;
  /** Resumes a waiting task; TaskGoneError when it no longer waits. */
  sendTaskSuccess(taskToken: string, output: unknown): Promise<void>;
  /** Fails a waiting task with a named error; TaskGoneError when it no longer waits. */
  sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void>;
}
