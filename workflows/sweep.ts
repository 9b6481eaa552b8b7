import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { TRANSIENT_TASK_ERRORS } from './repair-application.ts';

/**
 * The Sweep state machine (docs/architecture.md, "The sweep fans out"): Plan reads the next slice
 * of the due index and cuts it into pages; SweepPages, an inline Map, sweeps the pages in parallel,
 * one invocation each; the loop goes back to Plan while the index has more, and walks it a second
 * time from the start (the plan's second pass) for what the first could not see; Finish restarts stalled
 * executions and returns the run's counts. Built once here, deployed by the CDK app and rendered to
 * ASL for the embedded engine. Every step runs in the one sweep function (functions/schedule/sweep.ts),
 * told which by `step`.
 *
 * State between the steps: `{ today, now, cursor, pass, totals, pageCounts? }`, plus the plan's `pages`
 * until the Map has run; the Tally state drops them, so no loop carries more than one plan's keys.
 */

export { SWEEP_MODULE, SWEEP_STATE_MACHINE_ID, sweepFunctionNameFor } from './state-machine-names.ts';

/** The state names the tests and docs refer to. */
export const SWEEP_STATES = {
  plan: 'Plan',
  pages: 'SweepPages',
  page: 'SweepPage',
  pageAbandoned: 'PageAbandoned',
  tally: 'Tally',
  more: 'MorePages',
  finish: 'Finish',
} as const;

/** Pages swept at once: bounds the load on the table, SES and EventBridge, not correctness. */
export const SWEEP_MAX_CONCURRENCY = 10;

/** What the sweep function gets per invocation: a page is 100 items, seconds of work. */
export const SWEEP_FUNCTION_TIMEOUT_SECONDS = 300;

/**
 * A page retried: Lambda's transient errors and a timed-out invocation. Sweeping a page again is
 * safe: every duty is claimed (functions/usecases/sweep/claims.ts), so a retry redoes nothing done.
 */
const PAGE_RETRY = {
  errors: [...TRANSIENT_TASK_ERRORS, sfn.Errors.TIMEOUT],
  interval: Duration.seconds(5),
  maxAttempts: 4,
  backoffRate: 2,
  maxDelay: Duration.minutes(2),
  jitterStrategy: sfn.JitterType.FULL,
} as const satisfies sfn.RetryProps;

export function buildSweepDefinition(scope: Construct, sweep: IFunction): sfn.IChainable {
  const s = new Construct(scope, 'SweepStates');
  const invoke = (id: string, payload: Record<string, unknown>, resultPath?: string): tasks.LambdaInvoke =>
    new tasks.LambdaInvoke(s, id, {
      stateName: id,
      lambdaFunction: sweep,
      payload: sfn.TaskInput.fromObject(payload),
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      taskTimeout: sfn.Timeout.duration(Duration.seconds(2 * SWEEP_FUNCTION_TIMEOUT_SECONDS)),
      ...(resultPath === undefined ? {} : { resultPath }),
    });

  const plan = invoke(SWEEP_STATES.plan, { step: 'plan', run: sfn.JsonPath.entirePayload }).addRetry(
    PAGE_RETRY,
  );

  const page = invoke(SWEEP_STATES.page, {
    step: 'page',
    today: sfn.JsonPath.stringAt('$.today'),
    now: sfn.JsonPath.stringAt('$.now'),
    keys: sfn.JsonPath.listAt('$.keys'),
  }).addRetry(PAGE_RETRY);
  // A page that still fails is counted as failed, item by item; its items stay due, so the next
  // run takes them, and the other pages go on (as one failing item does within a page).
  const abandoned = new sfn.Pass(s, SWEEP_STATES.pageAbandoned, {
    stateName: SWEEP_STATES.pageAbandoned,
    parameters: { 'failed.$': 'States.ArrayLength($.keys)' },
  });
  page.addCatch(abandoned, { errors: [sfn.Errors.ALL], resultPath: '$.error' });

  const pages = new sfn.Map(s, SWEEP_STATES.pages, {
    stateName: SWEEP_STATES.pages,
    itemsPath: '$.pages',
    itemSelector: {
      today: sfn.JsonPath.stringAt('$.today'),
      now: sfn.JsonPath.stringAt('$.now'),
      keys: sfn.JsonPath.stringAt('$$.Map.Item.Value'),
    },
    maxConcurrency: SWEEP_MAX_CONCURRENCY,
    resultPath: '$.pageCounts',
  });
  pages.itemProcessor(page);

  const tally = new sfn.Pass(s, SWEEP_STATES.tally, {
    stateName: SWEEP_STATES.tally,
    parameters: {
      today: sfn.JsonPath.stringAt('$.today'),
      now: sfn.JsonPath.stringAt('$.now'),
      cursor: sfn.JsonPath.stringAt('$.cursor'),
      pass: sfn.JsonPath.numberAt('$.pass'),
      totals: sfn.JsonPath.objectAt('$.totals'),
      pageCounts: sfn.JsonPath.listAt('$.pageCounts'),
    },
  });
  const finish = invoke(SWEEP_STATES.finish, { step: 'finish', run: sfn.JsonPath.entirePayload }).addRetry(
    PAGE_RETRY,
  );
  const more = new sfn.Choice(s, SWEEP_STATES.more, { stateName: SWEEP_STATES.more })
    .when(sfn.Condition.isString('$.cursor'), plan)
    .otherwise(finish);

  return plan.next(pages).next(tally).next(more);
}
