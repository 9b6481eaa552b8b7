import { localDateIn, type LocalDate } from '../../../domain/dates.ts';
import { logger, type Log } from '../../observability/logger.ts';
import type { Store, StoredItem } from '../../ports/store/store.ts';
import type { ItemOutcome, SweepPorts } from './context.ts';
import type { SweepCounts } from './counts.ts';
import { addCounts, sweepContext, sweepKeys, type DueKey, type SweepRun } from './pages.ts';
import { restartStalledExecutions } from './restarts.ts';

/**
 * The daily sweep (RULES.md §5): what time alone does. It reads only the sparse due index (and the
 * items it points to) and the open applications, so its cost follows what is due, never the number
 * of enterprises. Every duty is claimed before it is done (claims.ts), so any number of runs on a
 * day, overlapping or retried, does each duty once.
 *
 * A failing item is logged and counted; its due date stays, so the next run retries it, and the
 * other items go on. The steps of a run (plan, pages, finish: pages.ts and finishSweep below) are
 * what the sweep state machine (workflows/sweep.ts) invokes; EventBridge Scheduler starts it daily
 * at 02:00 Asia/Shanghai, and on this machine the runtime's timer and POST /_local/sweep do.
 */

export interface RunSweepOptions {
  /** The day to sweep (Asia/Shanghai); the date of `now` when absent. */
  readonly today?: LocalDate;
  /** The run's instant (ISO 8601); the clock port's time when absent. */
  readonly now?: string;
  readonly log?: Log;
  /**
   * Where the due items come from; the due index unless given. A benchmark passes a Scan-based
   * source here to compare with it; nothing in functions/ ever scans.
   */
  readonly dueItems?: (store: Store, today: LocalDate) => AsyncIterable<StoredItem>;
  /** False skips §5.6 (restarting executions): for a store with no workflow behind it. Default true. */
  readonly restartExecutions?: boolean;
}

const DUE_PAGE_SIZE = 100;

/** The due index up to `today`, shard after shard, page after page. */
export async function* dueIndexItems(store: Store, today: LocalDate): AsyncIterable<StoredItem> {
  let nextToken: string | undefined;
  do {
    const page = await store.queryDue(today, nextToken, { limit: DUE_PAGE_SIZE });
    yield* page.items;
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
}

/**
 * The whole sweep in one invocation: the due items in pages of DUE_PAGE_SIZE, one after the other.
 * The deployed and embedded runtimes fan the same pages out through the sweep state machine
 * (workflows/sweep.ts); this sequential form serves tests and the benchmark's baseline.
 */
export async function runSweep(ports: SweepPorts, options: RunSweepOptions = {}): Promise<SweepCounts> {
  const now = options.now ?? ports.clock.now().toISOString();
  const today = options.today ?? localDateIn(now);
  const run = { today, now, log: options.log ?? logger };
  const ctx = sweepContext(ports, run, { restartExecutions: options.restartExecutions !== false });

  const seen = new Set<string>();
  const outcomes: Record<ItemOutcome, number> = { SWEPT: 0, NOT_DUE: 0, IN_PROGRESS: 0 };
  let batch: DueKey[] = [];
  const flush = async (): Promise<void> => {
    const done = await sweepKeys(ctx, batch);
    batch = [];
    for (const outcome of Object.keys(done) as ItemOutcome[]) outcomes[outcome] += done[outcome];
  };
  for await (const item of (options.dueItems ?? dueIndexItems)(ctx.store, today)) {
    // An item whose due date moves within this run can show up again further on in the index.
    const id = `${item.pk}\u0000${item.sk}`;
    if (seen.has(id)) continue;
    seen.add(id);
    batch.push({ pk: item.pk, sk: item.sk });
    if (batch.length >= DUE_PAGE_SIZE) await flush();
  }
  await flush();

  const counts = await finishSweep(ports, run, ctx.counts, {
    restartExecutions: options.restartExecutions !== false,
  });
  const total = addCounts(counts, { readUnits: ctx.store.meter.readUnits });
  run.log.info('sweep finished', { today, counts: total, items: outcomes });
  return total;
}

/**
 * The end of a run, after every page: §5.6 (restarting stalled executions), after the expiries so
 * an application that just ended is not restarted. Returns the run's totals with its own reads.
 */
export async function finishSweep(
  ports: SweepPorts,
  run: SweepRun,
  totals: Partial<SweepCounts>,
  options: { readonly restartExecutions?: boolean } = {},
): Promise<SweepCounts> {
  const ctx = sweepContext(ports, run, options);
  if (ctx.restartExecutions) await restartStalledExecutions(ctx);
  return addCounts(totals, { ...ctx.counts, readUnits: ctx.store.meter.readUnits });
}
