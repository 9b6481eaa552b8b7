/**
 * The embedded Step Functions: runs the state machine's ASL with aws-local-stepfunctions and adds
 * what the library lacks: named executions with the Step Functions API's semantics, callback
 * tasks (`.waitForTaskToken`) with task tokens, the Lambda integrations' result shapes, and an
 * execution history with a count of state transitions. Executions live in memory: after a
 * restart the runtime starts the open applications' executions again and they fast-forward.
 *
 * Every Task state runs through the library's task override, so no call leaves the process:
 * - `arn:aws:states:::lambda:invoke` invokes `Parameters.FunctionName` with `Parameters.Payload`
 *   and returns `{Payload, StatusCode: 200, ...}` as the real integration does;
 * - `arn:aws:states:::lambda:invoke.waitForTaskToken` mints a token, puts it where the
 *   parameters say `$$.Task.Token`, invokes the function, and waits for SendTaskSuccess/Failure;
 * - a function ARN as Resource invokes it with the state's input and returns its result as is.
 */
import { randomUUID } from 'node:crypto';
import { ExecutionError, ExecutionTimeoutError } from 'aws-local-stepfunctions';
import type { RunOptions } from 'aws-local-stepfunctions';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { LambdaRegistry } from '../lambda-registry.ts';
import { assertArn, assertName, executionArn, partitionOf, stateMachineArn } from './arns.ts';
import type { AccountScope } from './arns.ts';
import { prepareDefinition } from './definition.ts';
import type { PreparedDefinition, TaskPlan } from './definition.ts';
import { StepFunctionsError } from './errors.ts';
import { ExecutionHistory } from './history.ts';
import type { AbortDetails, LibraryEvent, TaskResource } from './history.ts';
import { TaskClosedError, TaskTokenBook } from './task-tokens.ts';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

type LocalTaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type LocalTaskHandler = LocalTaskHandlers[string];
type JsonValue = Parameters<LocalTaskHandler>[0];

export interface LocalStepFunctionsOptions {
  readonly lambda: LambdaRegistry;
  readonly region?: string;
  readonly accountId?: string;
  /** The clock of start/stop dates and history; the runtime passes its simulated clock. */
  readonly now?: () => Date;
  /** Pause before each retry, in ms, instead of the definition's backoff (tests). */
  readonly retryPauseMs?: number;
}

export interface CreateStateMachineInput {
  readonly name: string;
  readonly definition: string | object;
}

export interface StartExecutionInput {
  readonly stateMachineArn: string;
  readonly name?: string | undefined;
  readonly input?: string | undefined;
}

export interface StartExecutionOutput {
  readonly executionArn: string;
  readonly startDate: Date;
}

export interface DescribeExecutionOutput {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  readonly startDate: Date;
  readonly stopDate?: Date;
  readonly input: string;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

/** What ListExecutions tells of an execution: DescribeExecution without its input, output or error. */
export type ExecutionListItem = Pick<
  DescribeExecutionOutput,
  'executionArn' | 'stateMachineArn' | 'name' | 'status' | 'startDate' | 'stopDate'
>;

export interface ListExecutionsInput {
  readonly stateMachineArn?: string | undefined;
  readonly statusFilter?: ExecutionStatus | undefined;
  readonly maxResults?: number | undefined;
  readonly nextToken?: string | undefined;
}

export interface GetExecutionHistoryInput {
  readonly executionArn: string;
  readonly maxResults?: number | undefined;
  readonly reverseOrder?: boolean | undefined;
  readonly nextToken?: string | undefined;
}

interface StateMachineRecord {
  readonly name: string;
  readonly arn: string;
  readonly source: string;
  readonly prepared: PreparedDefinition;
  readonly creationDate: Date;
}

interface ExecutionRecord {
  readonly arn: string;
  readonly name: string;
  readonly stateMachine: StateMachineRecord;
  readonly input: string;
  readonly startDate: Date;
  readonly history: ExecutionHistory;
  /** Stands for `$$.Task.Token` in the run's context; each task call swaps in a fresh token. */
  readonly tokenPlaceholder: string;
  status: ExecutionStatus;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  aborted: AbortDetails;
  abort: () => void;
  settled: Promise<void>;
}

const MAX_PAYLOAD_CHARS = 262_144;
const MAX_ERROR_CHARS = 256;
const MAX_CAUSE_CHARS = 32_768;
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

function parseJson(
  text: string,
  errorName: 'InvalidExecutionInput' | 'InvalidOutput',
  what: string,
): JsonValue {
  if (text.length > MAX_PAYLOAD_CHARS) {
    throw new StepFunctionsError('ValidationException', `${what} exceeds ${MAX_PAYLOAD_CHARS} characters`);
  }
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    throw new StepFunctionsError(errorName, `${what} is not valid JSON`);
  }
}

function replaceValue(value: JsonValue, placeholder: string, replacement: string): JsonValue {
  // Substrings too: an intrinsic such as States.Format may embed the token in a longer string.
  if (typeof value === 'string') return value.replaceAll(placeholder, replacement);
  if (Array.isArray(value)) return value.map((item) => replaceValue(item, placeholder, replacement));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, replaceValue(item, placeholder, replacement)]),
    );
  }
  return value;
}

function asObject(value: JsonValue): Record<string, JsonValue> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

/** Errors the integration reports when its parameters are unusable; no Retry can fix them. */
class TaskParametersError extends Error {
  readonly isRetryable = false;

  constructor(message: string) {
    super(message);
    this.name = 'States.Runtime';
  }
}

function taskResourceOf(plan: TaskPlan | undefined): TaskResource {
  if (!plan) return { resourceType: 'unknown', resource: 'unknown' };
  if (plan.kind === 'lambda-function') return { resourceType: 'lambda', resource: plan.resource };
  return {
    resourceType: 'lambda',
    resource: plan.kind === 'lambda-invoke' ? 'invoke' : 'invoke.waitForTaskToken',
  };
}

/** How a failed invocation is recorded in the history: the error's name and message. */
function failureOf(error: unknown): { error: string; cause: string } {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  return { error: name, cause: message };
}

function page<T>(items: readonly T[], maxResults: number | undefined, nextToken: string | undefined) {
  const size = maxResults === undefined || maxResults === 0 ? DEFAULT_PAGE : maxResults;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE) {
    throw new StepFunctionsError('ValidationException', `maxResults must be 0 to ${MAX_PAGE}`);
  }
  let start = 0;
  if (nextToken !== undefined) {
    start = Number(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0 || start > items.length) {
      throw new StepFunctionsError('InvalidToken', 'Invalid pagination token');
    }
  }
  const end = start + size;
  const more = end < items.length ? { nextToken: Buffer.from(String(end)).toString('base64url') } : {};
  return { items: items.slice(start, end), ...more };
}

/** One execution as GET /_local/executions shows it. */
export interface ExecutionView {
  readonly name: string;
  readonly executionArn: string;
  readonly status: ExecutionStatus;
  /** The innermost state a running execution is in (null once it closed). */
  readonly currentState: string | null;
  /** Every state it is in, outermost first (a Map and its iterations' states). */
  readonly openStates: readonly string[];
  readonly startDate: string;
  readonly stopDate?: string;
  readonly error?: string;
}

function applicationIdOf(input: string): string | undefined {
  try {
    const value = JSON.parse(input) as { applicationId?: unknown };
    return typeof value.applicationId === 'string' ? value.applicationId : undefined;
  } catch {
    return undefined;
  }
}

/** Yields to the event loop once: queued library events are consumed before what follows. */
function afterQueuedEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class LocalStepFunctions {
  readonly #lambda: LambdaRegistry;
  readonly #scope: AccountScope;
  readonly #now: () => Date;
  readonly #retryPauseMs: number | undefined;
  readonly #stateMachines = new Map<string, StateMachineRecord>();
  readonly #executions = new Map<string, ExecutionRecord>();
  readonly #tokens = new TaskTokenBook();

  constructor(options: LocalStepFunctionsOptions) {
    this.#lambda = options.lambda;
    this.#scope = { region: options.region ?? 'us-east-1', accountId: options.accountId ?? '000000000000' };
    this.#now = options.now ?? (() => new Date());
    this.#retryPauseMs = options.retryPauseMs;
  }

  /**
   * Loads a state machine. The same name with the same definition returns the existing one; a
   * different definition is StateMachineAlreadyExists, as on AWS.
   */
  createStateMachine(input: CreateStateMachineInput): { stateMachineArn: string; creationDate: Date } {
    assertName(input.name);
    const source = typeof input.definition === 'string' ? input.definition : JSON.stringify(input.definition);
    const arn = stateMachineArn(this.#scope, input.name);
    const existing = this.#stateMachines.get(arn);
    if (existing) {
      if (existing.source !== source) {
        throw new StepFunctionsError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
      }
      return { stateMachineArn: arn, creationDate: existing.creationDate };
    }
    const prepared = prepareDefinition(source);
    const record = { name: input.name, arn, source, prepared, creationDate: this.#now() };
    this.#stateMachines.set(arn, record);
    return { stateMachineArn: arn, creationDate: record.creationDate };
  }

  /** The state machine as DescribeStateMachine tells it: its definition is the ASL it was created with. */
  describeStateMachine(request: { stateMachineArn: string }): {
    stateMachineArn: string;
    name: string;
    status: 'ACTIVE';
    definition: string;
    type: 'STANDARD';
    creationDate: Date;
  } {
    assertArn(request.stateMachineArn, 'stateMachine');
    const record = this.#stateMachines.get(request.stateMachineArn);
    if (!record) {
      throw new StepFunctionsError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${request.stateMachineArn}'`,
      );
    }
    return {
      stateMachineArn: record.arn,
      name: record.name,
      status: 'ACTIVE',
      definition: record.source,
      type: 'STANDARD',
      creationDate: record.creationDate,
    };
  }

  /**
   * Starts an execution. The same name and input while it runs returns the running execution;
   * a different input, or a closed execution of that name, is ExecutionAlreadyExists.
   */
  startExecution(request: StartExecutionInput): StartExecutionOutput {
    assertArn(request.stateMachineArn, 'stateMachine');
    const stateMachine = this.#stateMachines.get(request.stateMachineArn);
    if (!stateMachine) {
      throw new StepFunctionsError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${request.stateMachineArn}'`,
      );
    }
    const name = request.name ?? randomUUID();
    assertName(name);
    const input = request.input ?? '{}';
    const parsedInput = parseJson(input, 'InvalidExecutionInput', 'Execution input');
    const arn = executionArn(this.#scope, stateMachine.name, name);

    const existing = this.#executions.get(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn: arn, startDate: existing.startDate };
      }
      throw new StepFunctionsError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }

    const execution: ExecutionRecord = {
      arn,
      name,
      stateMachine,
      input,
      startDate: this.#now(),
      history: new ExecutionHistory(this.#now, (stateName) =>
        taskResourceOf(stateMachine.prepared.tasks.get(stateName)),
      ),
      tokenPlaceholder: `local-sfn:task-token-placeholder:${randomUUID()}`,
      status: 'RUNNING',
      aborted: {},
      abort: () => undefined,
      settled: Promise.resolve(),
    };
    this.#executions.set(arn, execution);
    this.#launch(execution, parsedInput);
    return { executionArn: arn, startDate: execution.startDate };
  }

  describeExecution(request: { executionArn: string }): DescribeExecutionOutput {
    const execution = this.#execution(request.executionArn);
    return {
      executionArn: execution.arn,
      stateMachineArn: execution.stateMachine.arn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate,
      input: execution.input,
      ...(execution.stopDate && { stopDate: execution.stopDate }),
      ...(execution.output !== undefined && { output: execution.output }),
      ...(execution.error !== undefined && { error: execution.error }),
      ...(execution.cause !== undefined && { cause: execution.cause }),
    };
  }

  /** Aborts a running execution; its open task tokens answer TaskTimedOut from then on. */
  stopExecution(request: { executionArn: string; error?: string | undefined; cause?: string | undefined }): {
    stopDate: Date;
  } {
    const execution = this.#execution(request.executionArn);
    this.#assertErrorAndCause(request.error, request.cause);
    if (execution.status !== 'RUNNING') return { stopDate: execution.stopDate ?? this.#now() };
    execution.status = 'ABORTED';
    execution.stopDate = this.#now();
    if (request.error !== undefined) execution.error = request.error;
    if (request.cause !== undefined) execution.cause = request.cause;
    execution.aborted = {
      ...(request.error !== undefined && { error: request.error }),
      ...(request.cause !== undefined && { cause: request.cause }),
    };
    this.#tokens.closeWhere((entry) => entry.executionArn === execution.arn);
    execution.abort();
    return { stopDate: execution.stopDate };
  }

  sendTaskSuccess(request: { taskToken: string; output: string }): Record<string, never> {
    const entry = this.#tokens.pending(request.taskToken);
    const output = parseJson(request.output, 'InvalidOutput', 'Task output');
    this.#tokens.succeed(request.taskToken, output);
    this.#executions.get(entry.executionArn)?.history.append('TaskSucceeded', {
      taskSucceededEventDetails: {
        ...this.#resourceOf(entry.executionArn, entry.stateName),
        output: request.output,
      },
    });
    return {};
  }

  sendTaskFailure(request: {
    taskToken: string;
    error?: string | undefined;
    cause?: string | undefined;
  }): Record<string, never> {
    this.#assertErrorAndCause(request.error, request.cause);
    const error = request.error ?? '';
    const cause = request.cause ?? '';
    const entry = this.#tokens.fail(request.taskToken, error, cause);
    this.#executions.get(entry.executionArn)?.history.append('TaskFailed', {
      taskFailedEventDetails: { ...this.#resourceOf(entry.executionArn, entry.stateName), error, cause },
    });
    return {};
  }

  /** Accepted while the task is open. HeartbeatSeconds is not enforced on this machine. */
  sendTaskHeartbeat(request: { taskToken: string }): Record<string, never> {
    this.#tokens.pending(request.taskToken);
    return {};
  }

  getExecutionHistory(request: GetExecutionHistoryInput): { events: HistoryEvent[]; nextToken?: string } {
    const execution = this.#execution(request.executionArn);
    const ordered = request.reverseOrder ? [...execution.history.events].reverse() : execution.history.events;
    const { items, ...more } = page(ordered, request.maxResults, request.nextToken);
    return { events: items, ...more };
  }

  /** Newest first, like AWS; without a state machine ARN it lists every execution. */
  listExecutions(request: ListExecutionsInput = {}): { executions: ExecutionListItem[]; nextToken?: string } {
    if (request.stateMachineArn !== undefined) {
      assertArn(request.stateMachineArn, 'stateMachine');
      if (!this.#stateMachines.has(request.stateMachineArn)) {
        throw new StepFunctionsError(
          'StateMachineDoesNotExist',
          `State Machine Does Not Exist: '${request.stateMachineArn}'`,
        );
      }
    }
    const matching = [...this.#executions.values()]
      .filter(
        (execution) =>
          request.stateMachineArn === undefined || execution.stateMachine.arn === request.stateMachineArn,
      )
      .filter((execution) => request.statusFilter === undefined || execution.status === request.statusFilter)
      .reverse()
      .map((execution): ExecutionListItem => ({
        executionArn: execution.arn,
        stateMachineArn: execution.stateMachine.arn,
        name: execution.name,
        status: execution.status,
        startDate: execution.startDate,
        ...(execution.stopDate && { stopDate: execution.stopDate }),
      }));
    const { items, ...more } = page(matching, request.maxResults, request.nextToken);
    return { executions: items, ...more };
  }

  /**
   * Every execution whose input names this application (all executions without one), newest
   * first, with the states a running one is in: what an operator looks at (GET /_local/executions).
   */
  executionsOf(applicationId?: string): ExecutionView[] {
    return [...this.#executions.values()]
      .filter(
        (execution) => applicationId === undefined || applicationIdOf(execution.input) === applicationId,
      )
      .reverse()
      .map((execution) => {
        const open = execution.status === 'RUNNING' ? execution.history.openStates : [];
        return {
          name: execution.name,
          executionArn: execution.arn,
          status: execution.status,
          currentState: open.at(-1) ?? null,
          openStates: [...new Set(open)],
          startDate: execution.startDate.toISOString(),
          ...(execution.stopDate && { stopDate: execution.stopDate.toISOString() }),
          ...(execution.error !== undefined && { error: execution.error }),
        };
      });
  }

  /** State transitions so far: states entered plus retries, as a Standard workflow is billed. */
  transitionCount(executionArn: string): number {
    return this.#execution(executionArn).history.transitions;
  }

  /** Resolves once the execution has closed and its history is complete. */
  async waitForExecution(executionArn: string): Promise<DescribeExecutionOutput> {
    await this.#execution(executionArn).settled;
    return this.describeExecution({ executionArn });
  }

  /** Stops every running execution (shutdown) and waits until they have unwound. */
  async dispose(): Promise<void> {
    const running = [...this.#executions.values()].filter((execution) => execution.status === 'RUNNING');
    for (const execution of running) {
      this.stopExecution({
        executionArn: execution.arn,
        error: 'Local.Shutdown',
        cause: 'The embedded runtime stopped',
      });
    }
    await Promise.all(running.map((execution) => execution.settled));
  }

  #execution(arn: string): ExecutionRecord {
    assertArn(arn, 'execution');
    const execution = this.#executions.get(arn);
    if (!execution)
      throw new StepFunctionsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  }

  #assertErrorAndCause(error: string | undefined, cause: string | undefined): void {
    if (error !== undefined && error.length > MAX_ERROR_CHARS) {
      throw new StepFunctionsError('ValidationException', `error exceeds ${MAX_ERROR_CHARS} characters`);
    }
    if (cause !== undefined && cause.length > MAX_CAUSE_CHARS) {
      throw new StepFunctionsError('ValidationException', `cause exceeds ${MAX_CAUSE_CHARS} characters`);
    }
  }

  #resourceOf(executionArn: string, stateName: string): TaskResource {
    return taskResourceOf(this.#executions.get(executionArn)?.stateMachine.prepared.tasks.get(stateName));
  }

  #launch(execution: ExecutionRecord, input: JsonValue): void {
    const { prepared } = execution.stateMachine;
    const handlers: LocalTaskHandlers = {};
    for (const plan of prepared.tasks.values()) {
      handlers[plan.stateName] = (taskInput) => this.#runTask(execution, plan, taskInput);
    }
    const retryIntervalOverrides =
      this.#retryPauseMs === undefined
        ? undefined
        : Object.fromEntries(prepared.retryingStates.map((state) => [state, this.#retryPauseMs as number]));
    const run = prepared.machine.run(input, {
      overrides: {
        taskResourceLocalHandlers: handlers,
        ...(retryIntervalOverrides && { retryIntervalOverrides }),
      },
      noThrowOnAbort: true,
      context: {
        Execution: {
          Id: execution.arn,
          Name: execution.name,
          RoleArn: `arn:${partitionOf(this.#scope.region)}:iam::${this.#scope.accountId}:role/local-stepfunctions`,
          RedriveCount: 0,
        },
        StateMachine: { Id: execution.stateMachine.arn, Name: execution.stateMachine.name },
        Task: { Token: execution.tokenPlaceholder },
      },
    });
    execution.abort = run.abort;
    const historyDone = this.#recordEvents(execution, run.eventLogs);
    execution.settled = Promise.allSettled([run.result, historyDone]).then(([outcome]) =>
      this.#close(execution, outcome),
    );
  }

  async #recordEvents(execution: ExecutionRecord, events: AsyncGenerator<LibraryEvent>): Promise<void> {
    for await (const event of events) {
      const { failedContainer } = execution.history.record(event, execution.aborted);
      if (failedContainer !== undefined) {
        // The library abandons the other iterations of a failed Map; their callbacks are void.
        this.#tokens.closeWhere(
          (entry) =>
            entry.executionArn === execution.arn &&
            (execution.stateMachine.prepared.tasks
              .get(entry.stateName)
              ?.containers.includes(failedContainer) ??
              false),
        );
      }
    }
  }

  #close(execution: ExecutionRecord, outcome: PromiseSettledResult<unknown>): void {
    this.#tokens.closeWhere((entry) => entry.executionArn === execution.arn);
    if (execution.status !== 'RUNNING') return;
    execution.stopDate = this.#now();
    if (outcome.status === 'fulfilled') {
      execution.status = 'SUCCEEDED';
      execution.output = JSON.stringify(outcome.value ?? null);
      return;
    }
    const reason: unknown = outcome.reason;
    if (reason instanceof ExecutionTimeoutError) {
      execution.status = 'TIMED_OUT';
      execution.error = 'States.Timeout';
      return;
    }
    execution.status = 'FAILED';
    const failure = reason instanceof ExecutionError ? reason.cause : reason;
    if (failure instanceof Error) {
      execution.error = failure.name;
      execution.cause = failure.message;
    } else {
      execution.error = 'States.Runtime';
      execution.cause = String(failure);
    }
  }

  async #runTask(execution: ExecutionRecord, plan: TaskPlan, input: JsonValue): Promise<JsonValue> {
    // The library has queued this state's "entered" event; let it reach the history first.
    await afterQueuedEvents();
    this.#assertRunning(execution);
    switch (plan.kind) {
      case 'lambda-function':
        return this.#invokeFunction(execution, plan, input);
      case 'lambda-invoke':
        return this.#invokeIntegration(execution, plan, input);
      case 'lambda-callback':
        return this.#invokeWithCallback(execution, plan, input);
    }
  }

  #assertRunning(execution: ExecutionRecord): void {
    if (execution.status !== 'RUNNING') throw new TaskClosedError();
  }

  async #invokeFunction(execution: ExecutionRecord, plan: TaskPlan, input: JsonValue): Promise<JsonValue> {
    const { history } = execution;
    history.append('LambdaFunctionScheduled', {
      lambdaFunctionScheduledEventDetails: { resource: plan.resource, input: JSON.stringify(input) },
    });
    history.append('LambdaFunctionStarted');
    let result: unknown;
    try {
      result = await this.#lambda.invoke(plan.resource, input);
    } catch (error) {
      this.#assertRunning(execution);
      history.append('LambdaFunctionFailed', { lambdaFunctionFailedEventDetails: failureOf(error) });
      throw error;
    }
    this.#assertRunning(execution);
    history.append('LambdaFunctionSucceeded', {
      lambdaFunctionSucceededEventDetails: { output: JSON.stringify(result) },
    });
    return result as JsonValue;
  }

  #invocationOf(parameters: JsonValue): { functionName: string; payload: JsonValue } {
    const { FunctionName, Payload } = asObject(parameters);
    if (typeof FunctionName !== 'string') {
      throw new TaskParametersError('The lambda:invoke parameters need a FunctionName string');
    }
    return { functionName: FunctionName, payload: Payload ?? {} };
  }

  #recordTaskStart(history: ExecutionHistory, resource: TaskResource, parameters: JsonValue): void {
    history.append('TaskScheduled', {
      taskScheduledEventDetails: {
        ...resource,
        region: this.#scope.region,
        parameters: JSON.stringify(parameters),
      },
    });
    history.append('TaskStarted', { taskStartedEventDetails: resource });
  }

  async #invokeIntegration(
    execution: ExecutionRecord,
    plan: TaskPlan,
    parameters: JsonValue,
  ): Promise<JsonValue> {
    const { history } = execution;
    const resource = taskResourceOf(plan);
    const { functionName, payload } = this.#invocationOf(parameters);
    this.#recordTaskStart(history, resource, parameters);
    let result: unknown;
    try {
      result = await this.#lambda.invoke(functionName, payload);
    } catch (error) {
      this.#assertRunning(execution);
      history.append('TaskFailed', { taskFailedEventDetails: { ...resource, ...failureOf(error) } });
      throw error;
    }
    this.#assertRunning(execution);
    const output = {
      ExecutedVersion: '$LATEST',
      Payload: result as JsonValue,
      SdkHttpMetadata: { HttpStatusCode: 200 },
      SdkResponseMetadata: { RequestId: randomUUID() },
      StatusCode: 200,
    };
    history.append('TaskSucceeded', {
      taskSucceededEventDetails: { ...resource, output: JSON.stringify(output) },
    });
    return output;
  }

  async #invokeWithCallback(
    execution: ExecutionRecord,
    plan: TaskPlan,
    parameters: JsonValue,
  ): Promise<JsonValue> {
    const { history } = execution;
    const resource = taskResourceOf(plan);
    const { functionName } = this.#invocationOf(parameters);
    // Open the token before invoking: the function may call SendTaskSuccess itself, at once.
    const entry = this.#tokens.open({
      executionArn: execution.arn,
      stateName: plan.stateName,
      ...(plan.tokenTimeoutSeconds !== undefined && { timeoutSeconds: plan.tokenTimeoutSeconds }),
    });
    const resolved = replaceValue(parameters, execution.tokenPlaceholder, entry.token);
    const { payload } = this.#invocationOf(resolved);
    this.#recordTaskStart(history, resource, resolved);
    try {
      const result = await this.#lambda.invoke(functionName, payload);
      if (entry.status === 'PENDING') {
        history.append('TaskSubmitted', {
          taskSubmittedEventDetails: {
            ...resource,
            output: JSON.stringify({ Payload: result, StatusCode: 200 }),
          },
        });
      }
    } catch (error) {
      // A callback that already arrived decides the task; otherwise the failed invocation does.
      if (entry.status === 'PENDING') {
        this.#tokens.failedToStart(entry.token);
        history.append('TaskFailed', { taskFailedEventDetails: { ...resource, ...failureOf(error) } });
        throw error;
      }
    }
    return (await entry.result) as JsonValue;
  }
}
