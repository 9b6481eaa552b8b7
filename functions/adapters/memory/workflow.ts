import {
  TaskGoneError,
  type ExecutionRecord,
  type ExecutionStatus,
  type StateEvent,
  type StartResult,
  type WorkflowClient,
} from '../../ports/workflow.ts';

/**
 * The in-memory twin of the Step Functions client for use-case tests: it runs no state machine. It
 * records executions (started RUNNING, until a test or stop() ends them) and what was sent to task
 * tokens; a token answers TaskGoneError once it was resolved, or when a test says it is gone.
 */
export class MemoryWorkflowClient implements WorkflowClient {
  readonly executions = new Map<
    string,
    { applicationId: string; status: ExecutionStatus; startedAt: string; events: StateEvent[] }
  >();
  /** What definition() answers: a test sets the state machine it draws. */
  machine = '{"StartAt":"Start","States":{"Start":{"Type":"Succeed"}}}';
  readonly sent: {
    token: string;
    outcome: 'SUCCESS' | 'FAILURE';
    output?: unknown;
    error?: string;
    cause?: string;
  }[] = [];
  readonly #gone = new Set<string>();

  async start(applicationId: string, options: { readonly name?: string } = {}): Promise<StartResult> {
    const name = options.name ?? applicationId;
    const executionArn = `arn:memory:execution:${name}`;
    if (this.executions.has(name)) return { started: false, executionArn };
    this.executions.set(name, {
      applicationId,
      status: 'RUNNING',
      startedAt: new Date().toISOString(),
      events: [],
    });
    return { started: true, executionArn };
  }

  async definition(): Promise<string> {
    return this.machine;
  }

  async execution(name: string): Promise<ExecutionRecord | undefined> {
    const execution = this.executions.get(name);
    if (execution === undefined) return undefined;
    return { name, status: execution.status, startedAt: execution.startedAt, events: [...execution.events] };
  }

  /** Appends a state event to an execution's history, as the engine would. */
  record(name: string, event: StateEvent): void {
    const execution = this.executions.get(name);
    if (execution === undefined) throw new Error(`no execution ${name}`);
    execution.events.push(event);
  }

  async status(name: string): Promise<ExecutionStatus | undefined> {
    return this.executions.get(name)?.status;
  }

  async runningNames(): Promise<Set<string>> {
    return new Set([...this.executions].filter(([, e]) => e.status === 'RUNNING').map(([name]) => name));
  }

  async stop(name: string): Promise<void> {
    const execution = this.executions.get(name);
    if (execution?.status === 'RUNNING') execution.status = 'ABORTED';
  }

  /** Ends an execution as the engine would (a test of what happens after). */
  end(name: string, status: Exclude<ExecutionStatus, 'RUNNING'>): void {
    const execution = this.executions.get(name);
    if (execution === undefined) throw new Error(`no execution ${name}`);
    execution.status = status;
  }

  /** Makes a token answer TaskGoneError, as one of a stopped or timed-out execution does. */
  forget(token: string): void {
    this.#gone.add(token);
  }

  async sendTaskSuccess(token: string, output: unknown): Promise<void> {
    this.#resolve(token);
    this.sent.push({ token, outcome: 'SUCCESS', output: structuredClone(output) });
  }

  async sendTaskFailure(token: string, error: string, cause: string): Promise<void> {
    this.#resolve(token);
    this.sent.push({ token, outcome: 'FAILURE', error, cause });
  }

  #resolve(token: string): void {
    if (this.#gone.has(token)) throw new TaskGoneError('TaskDoesNotExist');
    this.#gone.add(token);
  }
}
