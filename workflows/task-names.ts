/**
 * The one list of the RepairApplication workflow's task functions. The CDK app deploys one Lambda
 * per entry under `functionNameFor(task, prefix)`; the embedded engine reads the function name back
 * out of a rendered ASL Resource/FunctionName and loads the same handler module in-process.
 */

export const WORKFLOW_TASKS = {
  checkEligibility: { module: 'functions/workflow/check-eligibility.ts', slug: 'check-eligibility' },
  awaitEvidence: { module: 'functions/workflow/await-evidence.ts', slug: 'await-evidence' },
  openReview: { module: 'functions/workflow/open-review.ts', slug: 'open-review' },
  tally: { module: 'functions/workflow/tally.ts', slug: 'tally' },
  recordOutcome: { module: 'functions/workflow/record-outcome.ts', slug: 'record-outcome' },
  upgradeTier: { module: 'functions/workflow/upgrade-tier.ts', slug: 'upgrade-tier' },
  publishListingChange: {
    module: 'functions/workflow/publish-listing-change.ts',
    slug: 'publish-listing-change',
  },
  notify: { module: 'functions/workflow/notify.ts', slug: 'notify' },
} as const satisfies Record<string, { module: string; slug: string }>;

export type TaskName = keyof typeof WORKFLOW_TASKS;

export const TASK_NAMES = Object.keys(WORKFLOW_TASKS) as TaskName[];

/** Every task module exports its Lambda handler under this name. */
export const HANDLER_EXPORT = 'handler';

/** Prefix of deployed function names when the CDK context gives none. */
export const DEFAULT_FUNCTION_PREFIX = 'credit-repair';

/**
 * Lambda timeout of every task function. The state machine gives each plain invoke twice this,
 * so a Lambda timeout surfaces as the function's own error rather than as States.Timeout.
 */
export const TASK_FUNCTION_TIMEOUT_SECONDS = 30;

/** Lambda caps function names at 64 characters. */
const MAX_FUNCTION_NAME_LENGTH = 64;

const isTaskName = (value: string): value is TaskName => Object.hasOwn(WORKFLOW_TASKS, value);

export function functionNameFor(task: TaskName, prefix: string = DEFAULT_FUNCTION_PREFIX): string {
  const name = `${prefix}-${WORKFLOW_TASKS[task].slug}`;
  if (!/^[A-Za-z0-9_-]+$/.test(name) || name.length > MAX_FUNCTION_NAME_LENGTH) {
    throw new Error(`invalid Lambda function name "${name}" (prefix "${prefix}")`);
  }
  return name;
}

/**
 * The task a deployed function name belongs to, whatever prefix it was deployed with. The longest
 * matching slug wins, so a slug that ends another (none does today) cannot steal its name.
 */
export function taskForFunctionName(name: string): TaskName | undefined {
  let best: TaskName | undefined;
  let bestLength = -1;
  for (const task of TASK_NAMES) {
    const { slug } = WORKFLOW_TASKS[task];
    const matches = name === slug || name.endsWith(`-${slug}`);
    if (matches && slug.length > bestLength) {
      best = task;
      bestLength = slug.length;
    }
  }
  return best;
}

/**
 * The task a Lambda ARN (`arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]`)
 * or a bare function name belongs to.
 */
export function taskForFunctionArn(arnOrName: string): TaskName | undefined {
  const parts = arnOrName.split(':');
  if (parts.length < 7 || parts[0] !== 'arn') return taskForFunctionName(arnOrName);
  if (parts[2] !== 'lambda' || parts[5] !== 'function') return undefined;
  const name = parts[6];
  return name === undefined ? undefined : taskForFunctionName(name);
}

export function moduleForTask(task: string): string {
  if (!isTaskName(task)) throw new Error(`unknown workflow task "${task}"`);
  return WORKFLOW_TASKS[task].module;
}
