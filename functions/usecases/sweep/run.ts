import { localDateIn, type LocalDate } from '../../../domain/dates.ts';
import { logger, type Log } from '../../observability/logger.ts';
import { enterprisePartition, applicationPartition, keys } from '../../ports/store/keys.ts';
import { ReadMeter } from '../../ports/store/read-meter.ts';
import type { Store, StoredItem } from '../../ports/store/store.ts';
import { sweepApplication } from './application.ts';
import type { ItemOutcome, SweepContext, SweepPorts } from './context.ts';
import { emptyCounts, type SweepCounts } from './counts.ts';
import { sweepEnterprise } from './enterprise.ts';
import { restartStalledExecutions } from './restarts.ts';

/**
 * The daily sweep (RULES.md §5): what time alone does. It reads only the sparse due index (and the
 * items it points to) and the open applications, so its cost follows what is due, never the number
 * of enterprises. Every duty is claimed before it is done (claims.ts), so any number of runs on a
 * day, overlapping or retried, does each duty once.
 *
 * A failing item is logged and counted; its due date stays, so the next run retries it, and the
 * other items go on. On AWS, EventBridge Scheduler invokes the handler (functions/schedule/sweep.ts)
 * daily at 02:00 Asia/Shanghai; on this machine the runtime's timer and POST /_local/sweep do.
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

/** Items processed at once: enough to overlap round trips, few enough to stay polite to the table. */
const CONCURRENCY = 8;
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

export async function runSweep(ports: SweepPorts, options: RunSweepOptions = {}): Promise<SweepCounts> {
  const now = options.now ?? ports.clock.now().toISOString();
  const today = options.today ?? localDateIn(now);
  // A store of its own for this run, so its read meter counts this run's reads and no one else's.
  const store = ports.store.withMeter(new ReadMeter());
  const ctx: SweepContext = {
    ...ports,
    store,
    today,
    now,
    log: options.log ?? logger,
    counts: emptyCounts(),
    restartExecutions: options.restartExecutions !== false,
  };

  const seen = new Set<string>();
  const outcomes: Record<ItemOutcome, number> = { SWEPT: 0, NOT_DUE: 0, IN_PROGRESS: 0 };
  let batch: StoredItem[] = [];
  const flush = async (): Promise<void> => {
    const items = batch;
    batch = [];
    await Promise.all(items.map(async (item) => (outcomes[await sweepItem(ctx, item)] += 1)));
  };
  for await (const item of (options.dueItems ?? dueIndexItems)(store, today)) {
    // An item whose due date moves within this run can show up again further on in the index.
    const id = `${item.pk}\u0000${item.sk}`;
    if (seen.has(id)) continue;
    seen.add(id);
    batch.push(item);
    if (batch.length >= CONCURRENCY) await flush();
  }
  await flush();

  // After the expiries, so an application that just ended is not restarted.
  if (ctx.restartExecutions) await restartStalledExecutions(ctx);

  ctx.counts.readUnits = store.meter.readUnits;
  ctx.log.info('sweep finished', { today, counts: ctx.counts, items: outcomes });
  return { ...ctx.counts };
}

/** One due item: an enterprise profile or an application. Failures are counted, never thrown. */
async function sweepItem(ctx: SweepContext, item: StoredItem): Promise<ItemOutcome | 'NOT_DUE'> {
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
