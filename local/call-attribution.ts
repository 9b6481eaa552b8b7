/**
 * Which deployed function the code running now belongs to. On AWS every function is its own
 * process, so nothing needs telling; the embedded runtime runs all of them in one process, so the
 * places that invoke a handler (LambdaRegistry.invoke, the gateway, the sweep's caller) run it inside
 * `runAs(functionKey, ...)`, and whatever the handler awaits inherits that key through
 * AsyncLocalStorage. Handlers never read it: tests do, to attribute each AWS SDK call to the function
 * whose IAM role would have to allow it (test/infra/grants-cover-calls.test.ts).
 *
 * A function key names a function as infra/function-access.ts does: the workflow task name, the
 * route handler's export name, or SWEEP_FUNCTION_KEY.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export const SWEEP_FUNCTION_KEY = 'sweep';

const current = new AsyncLocalStorage<string>();

/** Runs `body` as the function `functionKey`; calls nested in another function's run take the inner key. */
export function runAs<T>(functionKey: string, body: () => T): T {
  return current.run(functionKey, body);
}

/** The function the caller's code runs as, or undefined outside any handler invocation. */
export function currentFunctionKey(): string | undefined {
  return current.getStore();
}
