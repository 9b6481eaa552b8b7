/**
 * Loads an ASL definition for the embedded engine: finds every Task state and how to run it, and
 * rewrites the timeouts the library could not honour.
 *
 * Why the timeouts are rewritten: aws-local-stepfunctions enforces TimeoutSeconds with setTimeout,
 * and Node clamps any delay above 2^31-1 ms (about 24.8 days) to 1 ms, so a 30- or 60-day callback
 * timeout would fail the task with States.Timeout at once. A Task without TimeoutSeconds would get
 * the library's 60-second default, where AWS waits 99,999,999 seconds. So every Task gets
 * TimeoutSeconds = min(declared or AWS default, 2^31-1 ms), and a top-level TimeoutSeconds above
 * the limit is dropped. Deadlines longer than that are not enforced by timers on this machine at
 * all: they follow the simulated clock, and the daily sweep expires what is overdue by sending
 * SendTaskFailure with the error `Deadline.Expired`, which the state machine catches as it would
 * on AWS. TimeoutSecondsPath is replaced the same way, since its value is only known at run time.
 */
import { StateMachine } from 'aws-local-stepfunctions';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { functionNameOf } from '../lambda-registry.ts';
import { StepFunctionsError } from './errors.ts';

/** Node's largest timer delay, in whole seconds. */
export const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
/** What AWS uses when a Task declares no TimeoutSeconds. */
export const AWS_DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;

export type TaskKind = 'lambda-invoke' | 'lambda-callback' | 'lambda-function';

export interface TaskPlan {
  readonly stateName: string;
  readonly kind: TaskKind;
  readonly resource: string;
  /** For a Task whose Resource is a function ARN. */
  readonly functionName?: string;
  /** The callback timeout the engine itself enforces on a task token; absent above the timer limit. */
  readonly tokenTimeoutSeconds?: number;
  /** The Map/Parallel states this task runs inside, outermost first. */
  readonly containers: readonly string[];
}

export interface PreparedDefinition {
  readonly machine: StateMachine;
  readonly definition: StateMachineDefinition;
  readonly tasks: ReadonlyMap<string, TaskPlan>;
  /** States with a Retry field, so a test run can shorten their pauses. */
  readonly retryingStates: readonly string[];
}

type Json = Record<string, unknown>;

const LAMBDA_INVOKE = /^arn:aws[a-z-]*:states:::lambda:invoke$/;
const LAMBDA_INVOKE_CALLBACK = /^arn:aws[a-z-]*:states:::lambda:invoke\.waitForTaskToken$/;
const LAMBDA_FUNCTION = /^arn:aws[a-z-]*:lambda:/;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function invalid(message: string): StepFunctionsError {
  return new StepFunctionsError('InvalidDefinition', message);
}

function planTask(stateName: string, state: Json, containers: readonly string[]): TaskPlan {
  const resource = state['Resource'];
  if (typeof resource !== 'string') throw invalid(`State ${stateName}: Resource must be a string`);

  let declared = AWS_DEFAULT_TASK_TIMEOUT_SECONDS;
  if (typeof state['TimeoutSeconds'] === 'number') declared = state['TimeoutSeconds'];
  delete state['TimeoutSecondsPath'];
  state['TimeoutSeconds'] = Math.min(declared, MAX_TIMER_SECONDS);
  const tokenTimeout = declared <= MAX_TIMER_SECONDS ? { tokenTimeoutSeconds: declared } : {};

  if (LAMBDA_INVOKE.test(resource)) return { stateName, kind: 'lambda-invoke', resource, containers };
  if (LAMBDA_INVOKE_CALLBACK.test(resource)) {
    return { stateName, kind: 'lambda-callback', resource, containers, ...tokenTimeout };
  }
  const functionName = LAMBDA_FUNCTION.test(resource) ? functionNameOf(resource) : undefined;
  if (functionName) return { stateName, kind: 'lambda-function', resource, functionName, containers };
  throw invalid(`State ${stateName}: unsupported Resource ${resource} (the engine runs Lambda tasks only)`);
}

function walk(
  definition: unknown,
  containers: readonly string[],
  tasks: Map<string, TaskPlan>,
  retrying: string[],
): void {
  if (!isObject(definition) || !isObject(definition['States'])) throw invalid('A definition needs States');
  for (const [stateName, state] of Object.entries(definition['States'])) {
    if (!isObject(state)) throw invalid(`State ${stateName} must be an object`);
    if (tasks.has(stateName)) throw invalid(`State name ${stateName} is used twice`);
    if (Array.isArray(state['Retry'])) retrying.push(stateName);
    switch (state['Type']) {
      case 'Task':
        tasks.set(stateName, planTask(stateName, state, containers));
        break;
      case 'Map':
        walk(state['ItemProcessor'] ?? state['Iterator'], [...containers, stateName], tasks, retrying);
        break;
      case 'Parallel':
        if (!Array.isArray(state['Branches'])) throw invalid(`State ${stateName}: Branches must be an array`);
        for (const branch of state['Branches']) walk(branch, [...containers, stateName], tasks, retrying);
        break;
      default:
        break;
    }
  }
}

/** Parses (if text), copies, rewrites and validates a definition; throws InvalidDefinition. */
export function prepareDefinition(source: string | object): PreparedDefinition {
  let parsed: unknown;
  try {
    parsed = typeof source === 'string' ? JSON.parse(source) : structuredClone(source);
  } catch {
    throw invalid('The definition is not valid JSON');
  }
  if (!isObject(parsed)) throw invalid('The definition must be a JSON object');
  if (typeof parsed['TimeoutSeconds'] === 'number' && parsed['TimeoutSeconds'] > MAX_TIMER_SECONDS) {
    delete parsed['TimeoutSeconds'];
  }
  const tasks = new Map<string, TaskPlan>();
  const retryingStates: string[] = [];
  walk(parsed, [], tasks, retryingStates);

  const definition = parsed as unknown as StateMachineDefinition;
  let machine: StateMachine;
  try {
    machine = new StateMachine(definition, { validationOptions: { checkPaths: true, checkArn: true } });
  } catch (error) {
    throw invalid(error instanceof Error ? error.message : String(error));
  }
  return { machine, definition, tasks, retryingStates };
}
