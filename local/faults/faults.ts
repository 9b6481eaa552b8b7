/**
 * Transient faults on demand (issue 13): a named workflow task, or an AWS call of the handlers, fails
 * a given number of times with an error the deployed system can meet (Lambda's service errors and
 * timeouts, DynamoDB and EventBridge throttling, SES's sending rate, S3's SlowDown). The embedded
 * runtime takes them from `LOCAL_FAULTS` at start and from `/_local/faults` (local/controls.ts); the
 * Lambda registry, an SDK middleware (sdk-faults.ts) and the mailer (faulty-mailer.ts) consult them.
 * Nothing of this is deployed.
 *
 * Only faults worth retrying are offered: a task fails with an error its state's Retry names (read
 * from the state machine, so a callback task cannot be given States.Timeout, which is its wait's
 * deadline), an AWS call with the service's own throttling and availability errors.
 */
import * as z from 'zod';
import { invokedFunction, walkStates } from '../../workflows/asl.ts';
import { renderedAsl } from '../../workflows/rendered-asl.ts';
import { TASK_NAMES, taskForFunctionArn, type TaskName } from '../../workflows/task-names.ts';

/** What each AWS service can be made to answer, by the operations the handlers call. */
export const AWS_FAULTS = {
  dynamodb: {
    operations: [
      'GetItem',
      'PutItem',
      'UpdateItem',
      'DeleteItem',
      'Query',
      'BatchGetItem',
      'BatchWriteItem',
      'TransactWriteItems',
    ],
    errors: [
      'ProvisionedThroughputExceededException',
      'ThrottlingException',
      'RequestLimitExceeded',
      'InternalServerError',
    ],
  },
  s3: {
    operations: ['HeadObject', 'GetObject', 'PutObject', 'CopyObject'],
    errors: ['SlowDown', 'ServiceUnavailable', 'InternalError'],
  },
  ses: { operations: ['SendEmail'], errors: ['TooManyRequestsException'] },
  eventbridge: { operations: ['PutEvents'], errors: ['ThrottlingException', 'InternalException'] },
} as const;

export type AwsService = keyof typeof AWS_FAULTS;
const AWS_SERVICES = Object.keys(AWS_FAULTS) as AwsService[];

/** The errors a task's states retry, by task, read from the rendered state machine. */
let retriedByTask: ReadonlyMap<TaskName, ReadonlySet<string>> | undefined;
export function taskRetriedErrors(): ReadonlyMap<TaskName, ReadonlySet<string>> {
  if (retriedByTask) return retriedByTask;
  const map = new Map<TaskName, Set<string>>();
  for (const { state } of walkStates(renderedAsl('repairApplication'))) {
    const fn = invokedFunction(state);
    const task = fn === undefined ? undefined : taskForFunctionArn(fn);
    if (task === undefined) continue;
    const errors = map.get(task) ?? new Set<string>();
    for (const retrier of state.Retry ?? []) {
      for (const name of (retrier['ErrorEquals'] as string[] | undefined) ?? []) errors.add(name);
    }
    map.set(task, errors);
  }
  retriedByTask = map;
  return map;
}

/** Every error a fault may name; which fit which target is checked below. */
const TASK_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.TooManyRequestsException',
  'Lambda.Unknown',
  'Sandbox.Timedout',
  'States.Timeout',
] as const;
export const FAULT_ERRORS = [
  ...new Set<string>([...TASK_ERRORS, ...AWS_SERVICES.flatMap((service) => AWS_FAULTS[service].errors)]),
] as readonly string[];

export const MAX_FAULT_TIMES = 1000;
export const MAX_FAULTS = 100;

const times = z.int().min(1).max(MAX_FAULT_TIMES);

/**
 * A task fault: `before` the handler runs (the invocation never started) or `after` it (it did its
 * work and the answer was lost). Default `before`.
 */
const TaskFault = z.strictObject({
  target: z.enum(TASK_NAMES.map((task) => `task:${task}`) as [string, ...string[]]),
  error: z.enum(TASK_ERRORS),
  times,
  when: z.enum(['before', 'after']).optional(),
});

/**
 * A fault of one step of the sweep state machine (workflows/sweep.ts): `sweep:page` fails a page's
 * invocation, `before` or `after` it swept the page. Every step retries all of TASK_ERRORS.
 */
export const SWEEP_FAULT_STEPS = ['plan', 'page', 'finish'] as const;
const SweepFault = z.strictObject({
  target: z.enum(SWEEP_FAULT_STEPS.map((step) => `sweep:${step}`) as [string, ...string[]]),
  error: z.enum(TASK_ERRORS),
  times,
  when: z.enum(['before', 'after']).optional(),
});

/** An AWS-call fault; with `caller`, only for calls made by that function (a task or a route's handler export). */
const awsFault = (service: AwsService) =>
  z.strictObject({
    target: z.enum(AWS_FAULTS[service].operations.map((op) => `${service}:${op}`) as [string, ...string[]]),
    error: z.enum(AWS_FAULTS[service].errors as unknown as [string, ...string[]]),
    times,
    caller: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/)
      .optional(),
  });

/** POST /_local/faults and each entry of LOCAL_FAULTS. */
export const FaultRequest = z
  .union([TaskFault, SweepFault, ...AWS_SERVICES.map(awsFault)])
  .superRefine((fault, ctx) => {
    const [kind, name] = fault.target.split(':') as [string, string];
    if (kind !== 'task') return;
    const retried = taskRetriedErrors().get(name as TaskName);
    if (!retried?.has(fault.error)) {
      ctx.addIssue({
        code: 'custom',
        path: ['error'],
        message: `task ${name} does not retry ${fault.error}${
          fault.error === 'States.Timeout' ? ' (on a callback task it is the wait’s deadline)' : ''
        }; it retries ${[...(retried ?? [])].filter((e) => FAULT_ERRORS.includes(e)).join(', ')}`,
      });
    }
  });
export type FaultRequest = z.infer<typeof FaultRequest>;

/** LOCAL_FAULTS: a JSON array of fault requests, armed at start. */
export const FAULTS_ENV = 'LOCAL_FAULTS';
export const FaultList = z.array(FaultRequest).max(MAX_FAULTS);

export function parseFaultsEnv(text: string | undefined): FaultRequest[] {
  if (text === undefined || text.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${FAULTS_ENV} must be a JSON array of {target, error, times}`);
  }
  const parsed = FaultList.safeParse(value);
  if (!parsed.success) throw new Error(`${FAULTS_ENV}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** An armed fault as GET /_local/faults shows it. */
export type Fault = FaultRequest & {
  readonly id: string;
  /** Failures still to come. */
  remaining: number;
  /** Failures produced so far. */
  injected: number;
  readonly when?: 'before' | 'after' | undefined;
  readonly caller?: string | undefined;
};

export class TooManyFaultsError extends Error {
  constructor() {
    super(`at most ${MAX_FAULTS} faults may be armed at once`);
    this.name = 'TooManyFaultsError';
  }
}

/** The armed faults; each call that matches one takes one failure from it. */
export class FaultBook {
  readonly #faults: Fault[] = [];
  #next = 1;

  arm(request: FaultRequest): Fault {
    if (this.#faults.filter((f) => f.remaining > 0).length >= MAX_FAULTS) throw new TooManyFaultsError();
    const fault: Fault = { ...request, id: `fault-${this.#next++}`, remaining: request.times, injected: 0 };
    this.#faults.push(fault);
    return fault;
  }

  /** The first armed fault for `target` (and this caller), with one failure taken from it. */
  take(target: string, caller?: string): Fault | undefined {
    const fault = this.#faults.find(
      (f) => f.remaining > 0 && f.target === target && (f.caller === undefined || f.caller === caller),
    );
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    fault.injected += 1;
    return fault;
  }

  list(): readonly Fault[] {
    return this.#faults.map((f) => ({ ...f }));
  }

  /** Disarms every fault; returns how many were still armed. */
  clear(): number {
    const armed = this.#faults.filter((f) => f.remaining > 0).length;
    this.#faults.length = 0;
    return armed;
  }
}
