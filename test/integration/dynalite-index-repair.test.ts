import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamodb/client.ts';
import { DUE_SHARDS, dueAttributes, duePartition, keys } from '../../functions/ports/store/keys.ts';
import { TABLE_SCHEMA } from '../../functions/ports/store/schema.ts';
import { DATA_LAYOUT, LOCAL_TABLE_NAME, startRuntime } from '../../local/runtime.ts';
import {
  fullIndexKey,
  shortIndexKey,
  type Item,
  type Table,
} from '../../local/services/dynalite-index-keys.ts';
import { INDEX_KEYS_RECORD, openDynaliteLevel } from '../../local/services/dynalite-index-repair.ts';

/**
 * A data folder written before dynalite's index entries were keyed by the whole table key may have
 * lost an entry to a collision of the short keys (local/services/dynalite-index-keys.ts); the
 * embedded runtime rebuilds every index from the items the first time it opens such a folder
 * (local/services/dynalite-index-repair.ts).
 */

/** Two enterprises whose short due-index keys collide (found among the sweep benchmark's 10,000). */
const COLLIDING = ['D000006889', 'D000008843'] as const;
const DAY = '2026-06-01';
const DUE_INDEX = TABLE_SCHEMA.globalSecondaryIndexes[2];
const DUE_SUBLEVEL = `index-global~${LOCAL_TABLE_NAME}~${DUE_INDEX.indexName}~`;

const start = (dataDir: string) =>
  startRuntime({ dataDir, port: 0, quiet: true, demo: false, sweepIntervalMs: 3_600_000 });

/** The table keys of every item the due index lists, over all its partitions, sorted. */
/** The two profiles whose short index keys collide, due on DAY, written through the runtime. */
async function putCollidingPair(): Promise<void> {
  for (const id of COLLIDING) {
    const key = keys.enterprise(id);
    await documentClient().send(
      new PutCommand({ TableName: LOCAL_TABLE_NAME, Item: { ...key, ...dueAttributes(key.pk, DAY) } }),
    );
  }
}

async function dueItems(): Promise<string[]> {
  const listed: string[] = [];
  for (let shard = 0; shard < DUE_SHARDS; shard++) {
    const out = await documentClient().send(
      new QueryCommand({
        TableName: LOCAL_TABLE_NAME,
        IndexName: DUE_INDEX.indexName,
        KeyConditionExpression: `${DUE_INDEX.partitionKey.name} = :pk`,
        ExpressionAttributeValues: { ':pk': duePartition(shard) },
      }),
    );
    for (const item of out.Items ?? []) {
      listed.push(
        `${String(item[TABLE_SCHEMA.partitionKey.name])} ${String(item[TABLE_SCHEMA.sortKey.name])}`,
      );
    }
  }
  return listed.sort();
}

/**
 * What the keying before the fix left of the colliding pair: both items, and one due-index entry,
 * the later one's, under the short key.
 */
async function loseOneEntry(dataDir: string): Promise<void> {
  const db = await openDynaliteLevel(join(dataDir, DATA_LAYOUT.dynamodb));
  try {
    const table = (await db.get(`table~${LOCAL_TABLE_NAME}`)) as Table;
    const index = table.GlobalSecondaryIndexes!.find((i) => i.IndexName === DUE_INDEX.indexName)!;
    const items: Item[] = [];
    for (const id of COLLIDING) {
      const key = keys.enterprise(id);
      for await (const [, item] of db.iterator({
        gte: `item-${LOCAL_TABLE_NAME}~`,
        lt: `item-${LOCAL_TABLE_NAME}\x7f`,
      })) {
        const stored = item as Item;
        if (
          stored[TABLE_SCHEMA.partitionKey.name]?.S === key.pk &&
          stored[TABLE_SCHEMA.sortKey.name]?.S === key.sk
        ) {
          items.push(stored);
        }
      }
    }
    expect(items).toHaveLength(2);
    const [first, second] = items as [Item, Item];
    expect(shortIndexKey(first, table, index.KeySchema)).toBe(shortIndexKey(second, table, index.KeySchema));
    await db.batch([
      ...items.map((item) => ({
        type: 'del' as const,
        key: DUE_SUBLEVEL + fullIndexKey(item, table, index.KeySchema),
      })),
      { type: 'put', key: DUE_SUBLEVEL + shortIndexKey(second, table, index.KeySchema), value: second },
    ]);
  } finally {
    await db.close();
  }
}

describe('a data folder that lost an index entry before the fix', () => {
  let dataDir: string;
  const pair = COLLIDING.map((id) => keys.enterprise(id))
    .map((k) => `${k.pk} ${k.sk}`)
    .sort();

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'index-repair-'));
    const runtime = await start(dataDir);
    try {
      await putCollidingPair();
      expect(await dueItems()).toEqual(pair);
    } finally {
      await runtime.stop();
    }
    await loseOneEntry(dataDir);
    // A folder written before the fix has no marker.
    await rm(join(dataDir, DATA_LAYOUT.dynamodbIndexKeys), { force: true });
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('lists both items after a start, marks the folder, and a later start does not rebuild', async () => {
    const marker = join(dataDir, DATA_LAYOUT.dynamodbIndexKeys);
    let runtime = await start(dataDir);
    try {
      expect(await dueItems()).toEqual(pair);
    } finally {
      await runtime.stop();
    }
    expect(JSON.parse(await readFile(marker, 'utf8'))).toEqual(INDEX_KEYS_RECORD);
    const marked = await stat(marker);

    // Lost again behind the runtime's back: a marked folder is not rebuilt, so it stays lost.
    await loseOneEntry(dataDir);
    runtime = await start(dataDir);
    try {
      expect(await dueItems()).toHaveLength(1);
    } finally {
      await runtime.stop();
    }
    expect((await stat(marker)).mtimeMs).toBe(marked.mtimeMs);
  });
});

describe('a rebuild cut short', () => {
  let dataDir: string;
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('is done again by the next start: every entry comes back, then the folder is marked', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'index-repair-cut-'));
    const runtime = await start(dataDir);
    try {
      await putCollidingPair();
    } finally {
      await runtime.stop();
    }
    // What a rebuild leaves when it stops between clearing the entries and putting them back: no
    // due-index entry at all, and no marker.
    const db = await openDynaliteLevel(join(dataDir, DATA_LAYOUT.dynamodb));
    try {
      const cleared: { type: 'del'; key: string }[] = [];
      for await (const key of db.keys({ gte: DUE_SUBLEVEL, lt: `${DUE_SUBLEVEL.slice(0, -1)}\x7f` })) {
        cleared.push({ type: 'del', key });
      }
      expect(cleared).toHaveLength(2);
      await db.batch(cleared);
    } finally {
      await db.close();
    }
    await rm(join(dataDir, DATA_LAYOUT.dynamodbIndexKeys), { force: true });

    const restarted = await start(dataDir);
    try {
      expect(await dueItems()).toEqual(
        COLLIDING.map((id) => keys.enterprise(id))
          .map((k) => `${k.pk} ${k.sk}`)
          .sort(),
      );
    } finally {
      await restarted.stop();
    }
    expect(JSON.parse(await readFile(join(dataDir, DATA_LAYOUT.dynamodbIndexKeys), 'utf8'))).toEqual(
      INDEX_KEYS_RECORD,
    );
  });
});

describe('the rebuild on a copy of the data folder written by 2f9d549', () => {
  const fixture = fileURLToPath(new URL('../fixtures/data-2f9d549', import.meta.url));
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'index-repair-2f9d549-'));
    await cp(fixture, dataDir, { recursive: true });
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('gives every item with due keys its one due-index entry, and marks the folder', async () => {
    const runtime = await start(dataDir);
    try {
      const scanned = await documentClient().send(new ScanCommand({ TableName: LOCAL_TABLE_NAME }));
      const due = (scanned.Items ?? [])
        .filter((item) => item[DUE_INDEX.partitionKey.name] !== undefined)
        .map(
          (item) =>
            `${String(item[TABLE_SCHEMA.partitionKey.name])} ${String(item[TABLE_SCHEMA.sortKey.name])}`,
        )
        .sort();
      expect(due.length).toBeGreaterThan(0);
      expect(await dueItems()).toEqual(due);
    } finally {
      await runtime.stop();
    }
    expect(JSON.parse(await readFile(join(dataDir, DATA_LAYOUT.dynamodbIndexKeys), 'utf8'))).toEqual(
      INDEX_KEYS_RECORD,
    );
  });
});
