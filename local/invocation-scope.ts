import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Each invocation's own logger state, as Lambda gives a function that runs several invocations at
 * once in one environment. The embedded runtime is such an environment: every handler runs in this
 * one process, interleaved. The shared logger (functions/observability/logger.ts) keeps its Lambda
 * context and its temporary keys (the application's correlation id) per invocation when
 * `AWS_LAMBDA_MAX_CONCURRENCY` is set and `globalThis.awslambda.InvokeStore` holds the invocation
 * running now, which is what Lambda's runtime provides; without them one handler's lines carried
 * whatever context the handler before it had set (the sweep's lines named an API function).
 *
 * This installs that store, backed by AsyncLocalStorage, and runs each invocation in its own scope.
 */

export const MAX_CONCURRENCY_ENV = 'AWS_LAMBDA_MAX_CONCURRENCY';

/** The keys Lambda's runtime sets and no handler may change (as the runtime's own store). */
const REQUEST_ID = Symbol.for('_AWS_LAMBDA_REQUEST_ID');
const PROTECTED = new Set<PropertyKey>([
  REQUEST_ID,
  Symbol.for('_AWS_LAMBDA_X_RAY_TRACE_ID'),
  Symbol.for('_AWS_LAMBDA_TENANT_ID'),
  Symbol.for('_AWS_LAMBDA_TRACEPARENT'),
  Symbol.for('_AWS_LAMBDA_TRACESTATE'),
  Symbol.for('_AWS_LAMBDA_BAGGAGE'),
]);

type Scope = Record<PropertyKey, unknown>;
const scopes = new AsyncLocalStorage<Scope>();

/** The store's interface as Powertools and the SDK read it. */
const invokeStore = {
  hasContext: (): boolean => scopes.getStore() !== undefined,
  getContext: (): Scope | undefined => scopes.getStore(),
  get: (key: PropertyKey): unknown => scopes.getStore()?.[key],
  set(key: PropertyKey, value: unknown): void {
    if (PROTECTED.has(key)) throw new Error(`Cannot modify protected Lambda context field: ${String(key)}`);
    const scope = scopes.getStore();
    if (scope === undefined) throw new Error('No context available');
    scope[key] = value;
  },
  run: <T>(scope: Scope, fn: () => T): T => scopes.run(scope, fn),
  getRequestId: (): string => (scopes.getStore()?.[REQUEST_ID] as string | undefined) ?? '-',
  // No tracing here: no trace ids to hand on.
  getXRayTraceId: (): undefined => undefined,
  getTenantId: (): undefined => undefined,
  getTraceparent: (): undefined => undefined,
  getTracestate: (): undefined => undefined,
  getBaggage: (): undefined => undefined,
};

interface LambdaGlobal {
  awslambda?: { InvokeStore?: unknown };
}

/** Makes this process's invocation store the one Powertools reads (idempotent). */
export function installInvocationScopes(): void {
  const global = globalThis as LambdaGlobal;
  global.awslambda ??= {};
  global.awslambda.InvokeStore = invokeStore;
}

/** Runs one invocation in a scope of its own. */
export function inInvocation<T>(requestId: string, fn: () => T): T {
  return scopes.run({ [REQUEST_ID]: requestId }, fn);
}
