import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutCommand, QueryCommand, UpdateCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamodb/client.ts';
import { DUE_SHARDS, duePartition, dueAttributes, keys } from '../../functions/ports/store/keys.ts';
import { TABLE_SCHEMA } from '../../functions/ports/store/schema.ts';
import { LOCAL_TABLE_NAME, startRuntime, type Runtime } from '../../local/runtime.ts';
import { startDynalite, type RunningDynalite } from '../support/dynalite.ts';

/**
 * dynalite kept one index entry for two items with equal index keys whose table keys' md5 share
 * its first six hex digits (local/services/dynalite-index-keys.ts). These two enterprises are such
 * a pair (found among the 10,000 the sweep benchmark seeds): due the same day, they fall in one
 * due-index partition under one sort key.
 */
const COLLIDING = ['D000006889', 'D000008843'] as const;
const DAY = '2026-06-01';
const DUE_INDEX = TABLE_SCHEMA.globalSecondaryIndexes[2];
const { partitionKey, sortKey } = DUE_INDEX;

describe('secondary-index entries keyed by the whole table key', () => {
  let dynalite: RunningDynalite;

  beforeAll(async () => {
    dynalite = await startDynalite();
  });
  afterAll(() => dynalite.stop());

  const dueOn = async (shardOf: string, day: string) => {
    const { duePk } = dueAttributes(keys.enterprise(shardOf).pk, day) as { duePk: string };
    const out = await dynalite.doc.send(
      new QueryCommand({
        TableName: dynalite.tableName,
        IndexName: DUE_INDEX.indexName,
        KeyConditionExpression: `${partitionKey.name} = :pk AND ${sortKey.name} <= :day`,
        ExpressionAttributeValues: { ':pk': duePk, ':day': day },
      }),
    );
    return (out.Items ?? []).map((item) => String(item[TABLE_SCHEMA.partitionKey.name])).sort();
  };

  it('lists both of two items whose short keys collide, and keeps one when the other leaves', async () => {
    const [first, second] = COLLIDING.map((id) => keys.enterprise(id));
    expect(dueAttributes(first!.pk, DAY)).toEqual(dueAttributes(second!.pk, DAY));
    for (const key of [first!, second!]) {
      await dynalite.doc.send(
        new PutCommand({ TableName: dynalite.tableName, Item: { ...key, ...dueAttributes(key.pk, DAY) } }),
      );
    }
    expect(await dueOn(COLLIDING[0], DAY)).toEqual([first!.pk, second!.pk]);

    // Paging one item at a time resumes after each, also between the pair.
    const { duePk } = dueAttributes(first!.pk, DAY) as { duePk: string };
    const paged: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await dynalite.doc.send(
        new QueryCommand({
          TableName: dynalite.tableName,
          IndexName: DUE_INDEX.indexName,
          KeyConditionExpression: `${partitionKey.name} = :pk AND ${sortKey.name} <= :day`,
          ExpressionAttributeValues: { ':pk': duePk, ':day': DAY },
          Limit: 1,
          ExclusiveStartKey: start,
        }),
      );
      paged.push(...(out.Items ?? []).map((item) => String(item[TABLE_SCHEMA.partitionKey.name])));
      start = out.LastEvaluatedKey;
    } while (start);
    expect(paged.sort()).toEqual([first!.pk, second!.pk]);

    await dynalite.doc.send(new DeleteCommand({ TableName: dynalite.tableName, Key: first! }));
    expect(await dueOn(COLLIDING[0], DAY)).toEqual([second!.pk]);
  });
});

describe('a data folder written before the fix', () => {
  const fixture = fileURLToPath(new URL('../fixtures/data-2f9d549', import.meta.url));
  let dataDir: string;
  let runtime: Runtime;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'index-keys-'));
    await cp(fixture, dataDir, { recursive: true });
    runtime = await startRuntime({ dataDir, port: 0, quiet: true, sweepIntervalMs: 3_600_000 });
  });
  afterAll(async () => {
    await runtime.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Every due-index entry, as (table pk, sk, dueOn). */
  const dueEntries = async () => {
    const entries: { pk: string; sk: string; dueOn: string }[] = [];
    for (let shard = 0; shard < DUE_SHARDS; shard++) {
      const out = await documentClient().send(
        new QueryCommand({
          TableName: LOCAL_TABLE_NAME,
          IndexName: DUE_INDEX.indexName,
          KeyConditionExpression: `${partitionKey.name} = :pk`,
          ExpressionAttributeValues: { ':pk': duePartition(shard) },
        }),
      );
      for (const item of out.Items ?? []) {
        entries.push({
          pk: String(item[TABLE_SCHEMA.partitionKey.name]),
          sk: String(item[TABLE_SCHEMA.sortKey.name]),
          dueOn: String(item[sortKey.name]),
        });
      }
    }
    return entries;
  };

  it('reads its index entries, and an item that changes leaves no entry behind under its old key', async () => {
    const before = await dueEntries();
    expect(before.length).toBeGreaterThan(0);
    const moved = before[0]!;
    await documentClient().send(
      new UpdateCommand({
        TableName: LOCAL_TABLE_NAME,
        Key: { [TABLE_SCHEMA.partitionKey.name]: moved.pk, [TABLE_SCHEMA.sortKey.name]: moved.sk },
        UpdateExpression: 'SET #due = :due',
        ExpressionAttributeNames: { '#due': sortKey.name },
        ExpressionAttributeValues: { ':due': '2099-12-31' },
      }),
    );
    const after = await dueEntries();
    expect(after.filter((e) => e.pk === moved.pk && e.sk === moved.sk)).toEqual([
      { pk: moved.pk, sk: moved.sk, dueOn: '2099-12-31' },
    ]);
    expect(after).toHaveLength(before.length);
  });
});
