import type { LocalDate } from '../../../domain/dates.ts';
import { logger, type Log } from '../../observability/logger.ts';
import { enterprisePartition, applicationPartition, keys } from '../../ports/store/keys.ts';
import { ReadMeter } from '../../ports/store/read-meter.ts';
import type { Store } from '../../ports/store/store.ts';
import { sweepApplication } from './application.ts';
import type { ItemOutcome, SweepContext, SweepPorts } from './context.ts';
import { emptyCounts, type SweepCounts } from './counts.ts';
import { sweepEnterprise } from './enterprise.ts';

/**
 * The sweep in pages (docs/architecture.md, "The sweep fans out"): a plan reads a slice of the due
 * index and cuts its keys into pages; each page is swept on its own, in parallel with the others;
 * the plan resumes from its cursor until the index is walked. Nothing here makes a duty happen
 * once: the duty claims do (claims.ts), so a page run twice, or two pages holding the same item
 * (its due date moved within the run), still do each duty once.
 */

/** A due item by its table key: an enterprise profile or an application. */
export interface DueKey {
  readonly pk: string;
  readonly sk: string;
}

export interface PageLimits {
  /** Items per page: what one invocation sweeps. */
  readonly pageSize: number;
  /** Pages per plan: bounds the plan's output (the state machine's 256 KB payload limit). */
  readonly pagesPerPlan: number;
}

/**
 * Defaults: a page of 100 items takes seconds (8 at a time, a few round trips each), far inside
 * a Lambda's timeout; 10 pages of about 70-byte keys are about 70 KB of state, far inside 256 KB.
 */
export const DEFAULT_PAGE_LIMITS: PageLimits = { pageSize: 100, pagesPerPlan: 10 };
/** A plan never holds more keys than this, whatever the knobs say (about 140 KB of state). */
export const MAX_KEYS_PER_PLAN = 2_000;

export interface SweepPlan {
  readonly pages: DueKey[][];
  /** Where the next plan resumes in the due index; absent when the index is walked. */
  readonly cursor?: string;
  readonly readUnits: number;
}

/** The next slice of the due index (from `cursor`), cut into pages of distinct keys. */
export async function planSweepPages(
  ports: Pick<SweepPorts, 'store'>,
  options: { readonly today: LocalDate; readonly cursor?: string | undefined; readonly limits?: PageLimits },
): Promise<SweepPlan> {
  const { pageSize, pagesPerPlan } = options.limits ?? DEFAULT_PAGE_LIMITS;
  if (!Number.isInteger(pageSize) || pageSize < 1 || !Number.isInteger(pagesPerPlan) || pagesPerPlan < 1) {
    throw new Error(`invalid sweep page limits ${pageSize} x ${pagesPerPlan}`);
  }
  const wanted = Math.min(pageSize * pagesPerPlan, MAX_KEYS_PER_PLAN);
  const store = ports.store.withMeter(new ReadMeter());
  const seen = new Set<string>();
  const found: DueKey[] = [];
  let cursor = options.cursor;
  do {
    const page = await store.queryDue(options.today, cursor, { limit: wanted - found.length });
    for (const { pk, sk } of page.items) {
      // An item whose due date moved within the slice can show up twice.
      const id = `${pk}\u0000${sk}`;
      if (seen.has(id)) continue;
      seen.add(id);
      found.push({ pk, sk });
    }
    cursor = page.nextToken;
  } while (cursor !== undefined && found.length < wanted);

  const pages: DueKey[][] = [];
  for (let i = 0; i < found.length; i += pageSize) pages.push(found.slice(i, i + pageSize));
  return { pages, ...(cursor === undefined ? {} : { cursor }), readUnits: store.meter.readUnits };
}

/** Items of a page processed at once: enough to overlap round trips, few enough to stay polite. */
const CONCURRENCY = 8;

export interface SweepRun {
  readonly today: LocalDate;
  /** The run's instant (ISO 8601): every page of a run uses the plan's, so claim leases agree. */
  readonly now: string;
  readonly log?: Log;
}

/** A fresh context for one step of a run, with a read meter of its own. */
export function sweepContext(
  ports: SweepPorts,
  run: SweepRun,
  options: { readonly restartExecutions?: boolean } = {},
): SweepContext & { readonly store: Store & { readonly meter: ReadMeter } } {
  return {
    ...ports,
    store: ports.store.withMeter(new ReadMeter()),
    today: run.today,
    now: run.now,
    log: run.log ?? logger,
    counts: emptyCounts(),
    restartExecutions: options.restartExecutions !== false,
  };
}

/** Sweeps a page's items into `ctx.counts`, CONCURRENCY at a time; returns how each item ended. */
export async function sweepKeys(
  ctx: SweepContext,
  items: readonly DueKey[],
): Promise<Record<ItemOutcome, number>> {
  const outcomes: Record<ItemOutcome, number> = { SWEPT: 0, NOT_DUE: 0, IN_PROGRESS: 0 };
  for (let i = 0; i < items.length; i += CONCURRENCY) {
    await Promise.all(
      items.slice(i, i + CONCURRENCY).map(async (item) => (outcomes[await sweepItem(ctx, item)] += 1)),
    );
  }
  return outcomes;
}

/** One page of a run, as its own invocation: the page's counts, its read units included. */
export async function sweepPage(
  ports: SweepPorts,
  run: SweepRun,
  items: readonly DueKey[],
): Promise<SweepCounts> {
  const ctx = sweepContext(ports, run);
  const outcomes = await sweepKeys(ctx, items);
  ctx.counts.readUnits = ctx.store.meter.readUnits;
  ctx.log.info('sweep page finished', { today: run.today, counts: ctx.counts, items: outcomes });
  return { ...ctx.counts };
}

/** `a + b`, counter by counter. */
export function addCounts(a: Partial<SweepCounts>, b: Partial<SweepCounts>): SweepCounts {
  const sum = emptyCounts();
  for (const name of Object.keys(sum) as (keyof SweepCounts)[]) sum[name] = (a[name] ?? 0) + (b[name] ?? 0);
  return sum;
}

/** One due item: an enterprise profile or an application. Failures are counted, never thrown. */
async function sweepItem(ctx: SweepContext, item: DueKey): Promise<ItemOutcome | 'NOT_DUE'> {
  ctx.counts.itemsRead += 1;
  try {
    const enterprisePrefix = enterprisePartition('');
    const applicationPrefix = applicationPartition('');
    if (item.sk === keys.enterprise('').sk && item.pk.startsWith(enterprisePrefix)) {
      return await sweepEnterprise(ctx, item.pk.slice(enterprisePrefix.length));
    }
    if (item.sk === keys.application('').sk && item.pk.startsWith(applicationPrefix)) {
      return await sweepApplication(ctx, item.pk.slice(applicationPrefix.length));
    }
    ctx.log.warn('the due index points at an item the sweep does not know', { pk: item.pk, sk: item.sk });
    return 'NOT_DUE';
  } catch (error) {
    ctx.counts.failed += 1;
    ctx.log.error('sweeping an item failed; it stays due for the next run', {
      pk: item.pk,
      sk: item.sk,
      error,
    });
    return 'NOT_DUE';
  }
}
