import { mkdtemp, rm } from 'node:fs/promises';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, localDateIn } from '../domain/dates.ts';
import { documentClient } from '../functions/adapters/dynamodb/client.ts';
import { requiredEnv, TABLE_NAME_ENV } from '../functions/composition/environment.ts';
import { DEFAULT_PAGE_LIMITS } from '../functions/usecases/sweep/pages.ts';
import { DUE_SHARDS, duePartition } from '../functions/ports/store/keys.ts';
import { TABLE_SCHEMA } from '../functions/ports/store/schema.ts';
import { startRuntime } from '../local/runtime.ts';
import { SWEEP_MAX_CONCURRENCY, sweepFunctionNameFor } from '../workflows/sweep.ts';
import type { BenchLine } from './line.ts';
import { progress } from './progress.ts';
import { dueProfileItems, seedIdleEnterprises, writeBatches } from './seed.ts';

/**
 * `sweep.items_per_s`: a day with 10,000 items due among 100,000 enterprises, swept on the embedded
 * runtime through the fan-out (the Sweep state machine in the local engine: plans, a Map of pages,
 * the sweep function per page), every duty doing its real work (claim, email to the outbox folder,
 * audit event, due date moved). The baseline, measured in the same run on the same table, is the
 * store's own write rate for the same number of items: the batch writes that seeded the due
 * profiles (25 to a request, 8 requests at once). Each swept item costs several conditional writes
 * and reads, so the ratio says how many raw item writes one swept item is worth here.
 */

export const SWEEP_ITEMS_PER_S = 'sweep.items_per_s';

const DUE_INDEX = TABLE_SCHEMA.globalSecondaryIndexes[2];

/** Items the due index lists on or before `day`, over every shard (COUNT queries: keys only). */
async function countDue(table: string, day: string): Promise<number> {
  let total = 0;
  for (let shard = 0; shard < DUE_SHARDS; shard++) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await documentClient().send(
        new QueryCommand({
          TableName: table,
          IndexName: DUE_INDEX.indexName,
          KeyConditionExpression: `${DUE_INDEX.partitionKey.name} = :pk AND ${DUE_INDEX.sortKey.name} <= :day`,
          ExpressionAttributeValues: { ':pk': duePartition(shard), ':day': day },
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      total += out.Count ?? 0;
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }
  return total;
}

export async function* sweepFanOutBench(options: { quick: boolean }): AsyncIterable<BenchLine> {
  const enterprises = options.quick ? 10_000 : 100_000;
  const due = options.quick ? 1_000 : 10_000;
  const dataDir = await mkdtemp(join(tmpdir(), 'sweep-fan-out-bench-'));
  const runtime = await startRuntime({
    dataDir,
    port: 0,
    quiet: true,
    demo: false,
    sweepIntervalMs: 86_400_000,
  });
  try {
    const doc = documentClient();
    const table = requiredEnv(TABLE_NAME_ENV);
    const day = addDays(localDateIn(runtime.clock.now()), 1);

    progress(`sweep fan-out: seeding ${enterprises - due} enterprises with nothing due`);
    await seedIdleEnterprises(doc, table, enterprises - due, runtime.clock.now().toISOString());

    progress(`sweep fan-out: seeding ${due} enterprises whose certification notice is due on ${day}`);
    const items = dueProfileItems(due, day);
    const seedStarted = performance.now();
    await writeBatches(doc, table, items, (written) => {
      if (written % 2_000 === 0) progress(`sweep fan-out: ${written} of ${due} due profiles written`);
    });
    const writeRate = due / ((performance.now() - seedStarted) / 1000);

    await runtime.clock.moveTo(new Date(`${day}T02:00:00.000Z`));
    // What the due index lists for the day: the sweep must do every one of these, and the index
    // must list every seeded profile (dynalite once kept one entry for two items whose short index
    // keys collided: local/services/dynalite-index-keys.ts); a difference is reported, not hidden.
    const indexed = await countDue(table, day);
    progress(`sweep fan-out: the due index lists ${indexed} items for ${day} (${due} seeded)`);
    const { pageSize, pagesPerPlan } = DEFAULT_PAGE_LIMITS;
    progress(
      `sweep fan-out: sweeping ${day}: pages of ${pageSize}, ${pagesPerPlan} pages per plan, ${SWEEP_MAX_CONCURRENCY} at once`,
    );
    const ticker = setInterval(() => {
      const done = runtime.lambda.invocationCount(sweepFunctionNameFor());
      progress(`sweep fan-out: ${done} sweep invocations so far`);
    }, 10_000);
    const started = performance.now();
    let counts;
    try {
      counts = await runtime.runSweep();
    } finally {
      clearInterval(ticker);
    }
    const seconds = (performance.now() - started) / 1000;
    if (counts.certificationNotices < indexed || counts.failed !== 0) {
      throw new Error(`the sweep did not do the ${indexed} indexed duties: ${JSON.stringify(counts)}`);
    }
    const swept = counts.certificationNotices;
    const rate = swept / seconds;
    progress(`sweep fan-out: ${swept} items in ${seconds.toFixed(1)} s`);
    yield {
      name: SWEEP_ITEMS_PER_S,
      value: Number(rate.toFixed(1)),
      unit: 'items/s',
      baseline: Number(writeRate.toFixed(1)),
      ratio: Number((writeRate / rate).toFixed(2)),
      params: {
        enterprises,
        due,
        indexed,
        swept,
        seconds: Number(seconds.toFixed(1)),
        pageSize,
        pagesPerPlan,
        maxConcurrency: SWEEP_MAX_CONCURRENCY,
        readUnits: counts.readUnits,
        baseline: 'batch writes of the same number of items into the same table, same run (items/s)',
      },
    };
  } finally {
    await runtime.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
