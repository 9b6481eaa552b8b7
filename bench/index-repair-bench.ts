import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../functions/adapters/dynamodb/client.ts';
import { dueAttributes, keys } from '../functions/ports/store/keys.ts';
import { DATA_LAYOUT, LOCAL_TABLE_NAME, startRuntime } from '../local/runtime.ts';
import { openDynaliteLevel, repairIndexEntries } from '../local/services/dynalite-index-repair.ts';
import type { BenchLine } from './line.ts';
import { progress } from './progress.ts';

/**
 * What the one-time rebuild of dynalite's index entries costs the first start on a data folder
 * written before they were keyed in full (local/services/dynalite-index-repair.ts), at 10,000 and
 * 100,000 enterprises due on one day. Baseline: reading every item of the folder's LevelDB once in
 * the same run, the floor of any rebuild from the items (`ratio` = baseline / rebuild). A start on
 * a marked folder is reported too (`params.markedStartMs`): it reads the marker only.
 */
export const INDEX_REBUILD_MS = 'store.index_rebuild_ms';

const BATCH = 25;

async function seededFolder(enterprises: number): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'index-repair-bench-'));
  const runtime = await startRuntime({
    dataDir,
    port: 0,
    quiet: true,
    demo: false,
    sweepIntervalMs: 3_600_000,
  });
  try {
    for (let i = 0; i < enterprises; i += BATCH) {
      const items = Array.from({ length: Math.min(BATCH, enterprises - i) }, (_, j) => {
        const key = keys.enterprise(`R${String(i + j).padStart(9, '0')}`);
        return { PutRequest: { Item: { ...key, ...dueAttributes(key.pk, '2026-06-01') } } };
      });
      await documentClient().send(new BatchWriteCommand({ RequestItems: { [LOCAL_TABLE_NAME]: items } }));
    }
  } finally {
    await runtime.stop();
  }
  // As a folder written before the fix: no marker.
  await rm(join(dataDir, DATA_LAYOUT.dynamodbIndexKeys));
  return dataDir;
}

async function readEveryItem(path: string): Promise<number> {
  const db = await openDynaliteLevel(path);
  let items = 0;
  try {
    for await (const entry of db.iterator({
      gte: `item-${LOCAL_TABLE_NAME}~`,
      lt: `item-${LOCAL_TABLE_NAME}\x7f`,
    })) {
      if (entry) items++;
    }
  } finally {
    await db.close();
  }
  return items;
}

export async function* indexRepairBench(options: { quick: boolean }): AsyncIterable<BenchLine> {
  for (const enterprises of options.quick ? [10_000] : [10_000, 100_000]) {
    progress(`index repair: seeding ${enterprises} enterprises`);
    const dataDir = await seededFolder(enterprises);
    try {
      const path = join(dataDir, DATA_LAYOUT.dynamodb);
      const marker = join(dataDir, DATA_LAYOUT.dynamodbIndexKeys);
      const readStart = performance.now();
      const items = await readEveryItem(path);
      const readMs = performance.now() - readStart;
      const rebuildStart = performance.now();
      const repair = await repairIndexEntries({ path, marker });
      const rebuildMs = performance.now() - rebuildStart;
      const markedStart = performance.now();
      const again = await repairIndexEntries({ path, marker });
      const markedStartMs = performance.now() - markedStart;
      yield {
        name: INDEX_REBUILD_MS,
        value: Math.round(rebuildMs),
        unit: 'ms',
        baseline: Math.round(readMs),
        ratio: Number((readMs / rebuildMs).toFixed(3)),
        params: {
          enterprises,
          items,
          rebuiltItems: repair.items,
          entries: repair.entries,
          markedStartMs: Number(markedStartMs.toFixed(2)),
          rebuiltAgain: again.rebuilt,
          baseline: 'reading every item of the same LevelDB once, same run',
        },
      };
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
}
