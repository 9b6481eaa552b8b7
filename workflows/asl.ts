/**
 * The shape of the Amazon States Language this project emits, and the walks over it that the
 * renderer, the diagram and the embedded engine share.
 */

export interface AslCatcher {
  readonly ErrorEquals: readonly string[];
  readonly Next: string;
  readonly ResultPath?: string | null;
}

export interface AslChoiceRule {
  readonly Next: string;
  readonly [field: string]: unknown;
}

export interface AslState {
  readonly Type: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Resource?: string;
  readonly Parameters?: Record<string, unknown>;
  readonly TimeoutSeconds?: number;
  readonly Retry?: readonly Record<string, unknown>[];
  readonly Catch?: readonly AslCatcher[];
  readonly Choices?: readonly AslChoiceRule[];
  readonly Default?: string;
  readonly ItemProcessor?: AslStateMachine;
  readonly Iterator?: AslStateMachine;
  readonly [field: string]: unknown;
}

export interface AslStateMachine {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, AslState>>;
  readonly [field: string]: unknown;
}

export const WAIT_FOR_TASK_TOKEN_SUFFIX = '.waitForTaskToken';

/** Every state, including those inside Map iterators, with the chain of Map states around it. */
export function* walkStates(
  machine: AslStateMachine,
  enclosing: readonly string[] = [],
): Generator<{ name: string; state: AslState; enclosing: readonly string[] }> {
  for (const [name, state] of Object.entries(machine.States)) {
    yield { name, state, enclosing };
    const inner = state.ItemProcessor ?? state.Iterator;
    if (inner) yield* walkStates(inner, [...enclosing, name]);
  }
}

/** The Lambda function ARN (or name) a Task state invokes, however it is integrated. */
export function invokedFunction(state: AslState): string | undefined {
  if (state.Type !== 'Task' || state.Resource === undefined) return undefined;
  if (/^arn:[^:]+:states:::lambda:invoke/.test(state.Resource)) {
    const name = state.Parameters?.FunctionName;
    return typeof name === 'string' ? name : undefined;
  }
  return state.Resource;
}

export const isCallbackTask = (state: AslState): boolean =>
  state.Type === 'Task' && (state.Resource?.endsWith(WAIT_FOR_TASK_TOKEN_SUFFIX) ?? false);
