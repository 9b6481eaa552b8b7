import {
  array,
  discriminatedUnion,
  iso,
  literal,
  looseObject,
  nullish,
  number,
  object,
  optional,
  record,
  string,
  schema,
} from '../../domain/zod.ts';
import type { Context } from 'aws-lambda';
import { localDateIn, type LocalDate } from '../../domain/dates.ts';
import { clock } from '../composition/clock.ts';
import { reviewBaseUrl, SWEEP_PAGE_ENV } from '../composition/environment.ts';
import { linkSecret } from '../composition/link-secret.ts';
import { listingEvents } from '../composition/events.ts';
import { mailer } from '../composition/mailer.ts';
import { store } from '../composition/store.ts';
import { workflow } from '../composition/workflow.ts';
import { publishCounts } from '../observability/metrics.ts';
import { logger } from '../observability/logger.ts';
import type { SweepCounts } from '../usecases/sweep/counts.ts';
import {
  addCounts,
  DEFAULT_PAGE_LIMITS,
  planSweepPages,
  sweepPage,
  type DueKey,
  type PageLimits,
} from '../usecases/sweep/pages.ts';
import { finishSweep } from '../usecases/sweep/run.ts';

/**
 * The daily sweep's function: the three steps the sweep state machine (workflows/sweep.ts) invokes.
 * `plan` reads the next slice of the due index and cuts it into pages, `page` sweeps one page,
 * `finish` restarts stalled executions and publishes the run's counts as metrics. EventBridge
 * Scheduler starts the state machine daily at 02:00 Asia/Shanghai; on this machine the runtime's
 * timer and POST /_local/sweep start the same state machine in the embedded engine.
 */

/**
 * The run's start: EventBridge Scheduler's input carries `<aws.scheduler.scheduled-time>` as
 * `scheduledTime`, so a retry later in the day (or the next morning) still sweeps the scheduled day;
 * a plain EventBridge scheduled event carries `time`. Anything else sweeps the clock's today.
 */
export const ScheduledSweepEvent = /* @__PURE__ */ schema(() =>
  nullish(
    looseObject({
      scheduledTime: optional(iso.datetime({ offset: true })),
      time: optional(iso.datetime({ offset: true })),
    }),
  ),
);

export function sweepDayOf(event: unknown): LocalDate | undefined {
  const parsed = ScheduledSweepEvent.parse(event);
  const at = parsed?.scheduledTime ?? parsed?.time;
  return at === undefined ? undefined : localDateIn(at);
}

const Counts = /* @__PURE__ */ schema(() => record(string(), number()));
const Key = /* @__PURE__ */ schema(() => object({ pk: string(), sk: string() }));
/** What the state carries between steps once the plan has fixed the run's day and instant. */
const RunState = /* @__PURE__ */ schema(() => ({
  today: iso.date(),
  now: iso.datetime({ offset: true }),
  cursor: nullish(string()),
  totals: optional(Counts),
  /** The last Map's results: one count set per page. */
  pageCounts: optional(array(Counts)),
}));

export const SweepStepEvent = /* @__PURE__ */ schema(() =>
  discriminatedUnion('step', [
    object({
      step: literal('plan'),
      run: looseObject({
        scheduledTime: optional(iso.datetime({ offset: true })),
        time: optional(iso.datetime({ offset: true })),
        today: optional(iso.date()),
        now: optional(iso.datetime({ offset: true })),
        cursor: nullish(string()),
        pass: optional(number()),
        totals: optional(Counts),
        pageCounts: optional(array(Counts)),
      }),
    }),
    object({
      step: literal('page'),
      today: iso.date(),
      now: iso.datetime({ offset: true }),
      keys: array(Key),
    }),
    object({ step: literal('finish'), run: looseObject(RunState) }),
  ]),
);

/** The plan's answer: the state the Map fans out over and the next plan resumes from. */
export interface PlanResult {
  readonly today: LocalDate;
  readonly now: string;
  readonly pages: DueKey[][];
  /** null once the due index is walked; '' to walk it again from the start (the second pass). */
  readonly cursor: string | null;
  readonly pass: number;
  readonly totals: SweepCounts;
}

const ports = () => ({
  store: store(),
  clock: clock(),
  mailer: mailer(),
  workflow: workflow(),
  events: listingEvents(),
  linkSecret: linkSecret(),
  reviewBaseUrl: reviewBaseUrl(),
});

/** The page limits from the environment (tests and the benchmark set small ones). */
export function pageLimits(): PageLimits {
  const read = (name: string, fallback: number): number => {
    const text = process.env[name];
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
    return value;
  };
  return {
    pageSize: read(SWEEP_PAGE_ENV.pageSize, DEFAULT_PAGE_LIMITS.pageSize),
    pagesPerPlan: read(SWEEP_PAGE_ENV.pagesPerPlan, DEFAULT_PAGE_LIMITS.pagesPerPlan),
  };
}

const sumPages = (totals: Partial<SweepCounts> | undefined, pages: readonly Partial<SweepCounts>[] = []) =>
  pages.reduce<SweepCounts>((sum, page) => addCounts(sum, page), addCounts(totals ?? {}, {}));

/** The Lambda entry point: one step of the sweep state machine. */
export async function handler(event: unknown, context?: Context): Promise<PlanResult | SweepCounts> {
  // The lines of this invocation name this function and request (the API handlers' middleware
  // does the same for theirs).
  if (context !== undefined) logger.addContext(context);
  const parsed = SweepStepEvent.parse(event);
  switch (parsed.step) {
    case 'plan': {
      const { run } = parsed;
      const at = run.scheduledTime ?? run.time;
      const now = run.now ?? clock().now().toISOString();
      const today = run.today ?? (at === undefined ? localDateIn(now) : localDateIn(at));
      const pass = run.pass ?? 1;
      const plan = await planSweepPages(
        { store: store() },
        { today, cursor: run.cursor || undefined, limits: pageLimits() },
      );
      const totals = addCounts(sumPages(run.totals, run.pageCounts), { readUnits: plan.readUnits });
      // At the end of the first pass, one more walk from the start takes what the first one could
      // not see: items the index showed late (it is eventually consistent), items whose due date a
      // write of this run moved to today, and (on the embedded store) any a resumed page skipped.
      // What it finds was not done: the claims make sweeping it again safe.
      const again = plan.cursor === undefined && pass === 1;
      const cursor = plan.cursor ?? (again ? '' : null);
      return { today, now, pages: plan.pages, cursor, pass: again ? 2 : pass, totals };
    }
    case 'page':
      return sweepPage(ports(), { today: parsed.today, now: parsed.now }, parsed.keys);
    case 'finish': {
      const { run } = parsed;
      const counts = await finishSweep(
        ports(),
        { today: run.today, now: run.now },
        sumPages(run.totals, run.pageCounts),
      );
      publishCounts(counts);
      return counts;
    }
  }
}
