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

export interface WorkflowClient {
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
