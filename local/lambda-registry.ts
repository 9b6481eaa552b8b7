/**
 * The embedded runtime's "Lambda": the same handler modules, called in-process by function name.
 *
 * It keeps the parts of Lambda's contract the workflow depends on: the event and the result cross
 * a JSON boundary (no shared object references), a handler's thrown error surfaces with its `name`
 * as the error type (as Lambda's `errorType`), so the state machine's Retry/Catch match the same
 * names they match on AWS. Tests can inject a one-off service failure to prove that retried steps
 * write nothing twice.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { taskForFunctionName } from '../workflows/task-names.ts';
import { runAs } from './call-attribution.ts';
import { inInvocation } from './invocation-scope.ts';

export type LambdaHandler<Event = never, Result = unknown> = (
  event: Event,
  context: Context,
) => Promise<Result> | Result;

/** A failed invocation as the Step Functions Lambda integration reports it: `name` is the error type. */
export class LambdaInvocationError extends Error {
  readonly errorType: string;
  readonly errorMessage: string;

  constructor(errorType: string, errorMessage: string, cause: string) {
    super(cause);
    this.name = errorType;
    this.errorType = errorType;
    this.errorMessage = errorMessage;
  }
}

export interface InjectedFailureOptions {
  /**
   * Run the handler first and fail afterwards, as when Lambda loses the response of an invocation
   * that did its work: the caller retries a step whose side effects already happened.
   */
  readonly afterHandler?: boolean;
}

export interface InjectedFailure {
  readonly errorName: string;
  readonly afterHandler: boolean;
}

/** A failure armed elsewhere (local/faults) for the next invocation of a function, if any. */
export type FaultSource = (functionName: string, payload: unknown) => InjectedFailure | undefined;

export interface LambdaRegistryOptions {
  /** Consulted on every invocation after the failures queued with failNextInvocation. */
  readonly faults?: FaultSource;
  readonly region?: string;
  readonly accountId?: string;
  /** What `context.getRemainingTimeInMillis()` starts from; nothing enforces it locally. */
  readonly timeoutMs?: number;
}

const FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]{1,64})(?::[A-Za-z0-9$_-]+)?$/;
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** The function name from a name or a function ARN (qualifier ignored), or undefined if neither. */
export function functionNameOf(arnOrName: string): string | undefined {
  const fromArn = FUNCTION_ARN.exec(arnOrName);
  if (fromArn) return fromArn[1];
  return FUNCTION_NAME.test(arnOrName) ? arnOrName : undefined;
}

/** JSON round trip: what a handler receives and returns over Lambda's wire. */
function overTheWire(value: unknown): unknown {
  const text = JSON.stringify(value ?? null);
  return JSON.parse(text ?? 'null') as unknown;
}

function errorTypeOf(error: unknown): string {
  if (error instanceof Error && error.name) return error.name;
  return 'Error';
}

function errorMessageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}

export class LambdaRegistry {
  readonly #handlers = new Map<string, LambdaHandler<unknown>>();
  /** The key a function's AWS calls are attributed to, when it is not its task or function name. */
  readonly #functionKeys = new Map<string, string>();
  readonly #injected = new Map<string, InjectedFailure[]>();
  readonly #invocations = new Map<string, number>();
  /** Handler runs not finished yet: a shutdown waits for them (drain) so none writes after it. */
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #region: string;
  readonly #accountId: string;
  readonly #timeoutMs: number;
  readonly #faults: FaultSource | undefined;

  constructor(options: LambdaRegistryOptions = {}) {
    this.#faults = options.faults;
    this.#region = options.region ?? 'us-east-1';
    this.#accountId = options.accountId ?? '000000000000';
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  /**
   * Registers a handler under a function name (the last segment of its ARN). `functionKey` names
   * it for call attribution (infra/function-access.ts) when that is neither a task nor the name.
   */
  register<Event>(name: string, handler: LambdaHandler<Event>, options: { functionKey?: string } = {}): this {
    if (!FUNCTION_NAME.test(name)) throw new Error(`Invalid Lambda function name: ${name}`);
    this.#handlers.set(name, handler as LambdaHandler<unknown>);
    if (options.functionKey !== undefined) this.#functionKeys.set(name, options.functionKey);
    return this;
  }

  has(arnOrName: string): boolean {
    const name = functionNameOf(arnOrName);
    return name !== undefined && this.#handlers.has(name);
  }

  functionArn(name: string): string {
    const partition = this.#region.startsWith('cn-') ? 'aws-cn' : 'aws';
    return `arn:${partition}:lambda:${this.#region}:${this.#accountId}:function:${name}`;
  }

  /** The next invocation of `name` fails with `errorName` (once per call of this method). */
  failNextInvocation(
    name: string,
    errorName = 'Lambda.ServiceException',
    options: InjectedFailureOptions = {},
  ): void {
    const queue = this.#injected.get(name) ?? [];
    queue.push({ errorName, afterHandler: options.afterHandler ?? false });
    this.#injected.set(name, queue);
  }

  /** How many times the handler of `name` actually ran. */
  invocationCount(name: string): number {
    return this.#invocations.get(name) ?? 0;
  }

  /**
   * Invokes a function synchronously (RequestResponse) with a JSON payload. Rejects with a
   * LambdaInvocationError whose name is the error type: the handler's error name, an injected
   * failure's name, or `Lambda.ResourceNotFoundException` for an unknown function.
   */
  async invoke(arnOrName: string, payload: unknown): Promise<unknown> {
    const name = functionNameOf(arnOrName);
    const handler = name === undefined ? undefined : this.#handlers.get(name);
    if (name === undefined || handler === undefined) {
      const message = `Function not found: ${arnOrName}`;
      throw new LambdaInvocationError('Lambda.ResourceNotFoundException', message, message);
    }
    const injected = this.#injected.get(name)?.shift() ?? this.#faults?.(name, payload);
    if (injected && !injected.afterHandler) throw this.#injectedError(name, injected);

    this.#invocations.set(name, this.invocationCount(name) + 1);
    let result: unknown;
    // A workflow task runs as its task name (how infra/function-access.ts names it); any other
    // registered function as its function name.
    const functionKey = this.#functionKeys.get(name) ?? taskForFunctionName(name) ?? name;
    const context = this.#context(name);
    // Each invocation in a scope of its own: the logger's context and keys are its own.
    const run = runAs(functionKey, () =>
      Promise.resolve().then(() =>
        inInvocation(context.awsRequestId, () => handler(overTheWire(payload), context)),
      ),
    );
    this.#inFlight.add(run);
    try {
      result = await run;
    } catch (error) {
      const errorType = errorTypeOf(error);
      const errorMessage = errorMessageOf(error);
      // The integration's Cause is the function's error document, as on AWS.
      const cause = JSON.stringify({ errorType, errorMessage });
      throw new LambdaInvocationError(errorType, errorMessage, cause);
    } finally {
      this.#inFlight.delete(run);
    }
    if (injected) throw this.#injectedError(name, injected);
    return overTheWire(result);
  }

  /** Resolves once no handler is running (including ones started while it waits). */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  #injectedError(name: string, injected: InjectedFailure): LambdaInvocationError {
    const message = `Injected ${injected.errorName} for ${name}`;
    return new LambdaInvocationError(injected.errorName, message, message);
  }

  #context(name: string): Context {
    const deadline = Date.now() + this.#timeoutMs;
    const requestId = randomUUID();
    const unsupported = (): never => {
      throw new Error('Callback-style completion is not supported; return a promise');
    };
    return {
      callbackWaitsForEmptyEventLoop: false,
      functionName: name,
      functionVersion: '$LATEST',
      invokedFunctionArn: this.functionArn(name),
      memoryLimitInMB: '1024',
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${name}`,
      logStreamName: `local/[$LATEST]${requestId.replaceAll('-', '')}`,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: unsupported,
      fail: unsupported,
      succeed: unsupported,
    };
  }
}
