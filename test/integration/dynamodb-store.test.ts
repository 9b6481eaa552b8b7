import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTable } from '../../functions/adapters/dynamodb/create-table.ts';
import { DynamoDbReader } from '../../functions/adapters/dynamodb/reads.ts';
import { DynamoDbWriter } from '../../functions/adapters/dynamodb/writes.ts';
import {
  itemCreator,
  store as storePort,
  storeReader,
  storeWriter,
} from '../../functions/composition/store.ts';
import { ConflictError, InvalidPageTokenError } from '../../functions/ports/store/errors.ts';
import { dueAttributes, keys } from '../../functions/ports/store/keys.ts';
import { ReadMeter } from '../../functions/ports/store/read-meter.ts';
import type { Store } from '../../functions/ports/store/store.ts';
import { useAwsEnv } from '../support/aws-env.ts';
import { startDynalite, storeOn, type RunningDynalite } from '../support/dynalite.ts';
import { describeStoreContract } from '../support/store-contract.ts';

/** The DynamoDB adapter on dynalite: the store contract, and what only a real table can show. */

describeStoreContract('DynamoDB (dynalite)', async () => {
  const db = await startDynalite();
  return {
    fresh: async () => {
      const tableName = `contract-${randomUUID().slice(0, 8)}`;
      await createTable(db.client, tableName, { pollMs: 5 });
      return storeOn(db.doc, tableName);
    },
    stop: () => db.stop(),
  };
});

describe('the DynamoDB store', () => {
  let db: RunningDynalite;
  let store: Store;

  beforeAll(async () => {
    db = await startDynalite();
    store = storeOn(db.doc, db.tableName);
  });

  afterAll(async () => {
    await db.stop();
  });

  it('reads the due items for a fraction of what a Scan of the table costs', async () => {
    for (let i = 0; i < 300; i++) {
      const key = keys.enterprise(`S${String(i).padStart(9, '0')}`);
      await store.putNew({
        ...key,
        filler: 'x'.repeat(200),
        ...(i < 12 ? dueAttributes(key.pk, '2026-06-01') : {}),
      });
    }
    store.meter.reset();
    const page = await store.queryDue('2026-06-30');
    expect(page.items).toHaveLength(12);
    // What a Scan-based sweep would pay on the same table (Scan only ever appears in tests).
    const scan = await db.doc.send(
      new ScanCommand({ TableName: db.tableName, ReturnConsumedCapacity: 'TOTAL' }),
    );
    expect(scan.Count).toBe(300);
    expect(page.readUnits * 4).toBeLessThan(scan.ConsumedCapacity?.CapacityUnits ?? 0);
  });

  it('is the table the functions reach through AWS_ENDPOINT_URL_DYNAMODB and TABLE_NAME alone', async () => {
    const restore = useAwsEnv({ AWS_ENDPOINT_URL_DYNAMODB: db.endpoint, TABLE_NAME: db.tableName });
    try {
      const key = keys.reviewer('TAX');
      await storePort().putNew({ ...key, name: 'Tax reviewer' });
      expect(await store.get(key)).toMatchObject({ name: 'Tax reviewer', version: 1 });
    } finally {
      restore();
    }
  });

  it('has a reader of its own for functions that only read: the same items, pages, tokens and read units', async () => {
    const partition = `ENT#R${randomUUID().slice(0, 8)}`;
    for (let i = 0; i < 5; i++) await store.putNew({ pk: partition, sk: `FACT#${i}`, n: i });
    const meter = new ReadMeter();
    const reader = new DynamoDbReader({ tableName: db.tableName, client: () => db.doc, meter });
    const spec = { partition, sortKey: { beginsWith: 'FACT#' }, limit: 2, consistent: true } as const;

    expect(await reader.get({ pk: partition, sk: 'FACT#3' })).toEqual(
      await store.get({ pk: partition, sk: 'FACT#3' }),
    );
    expect(await reader.get({ pk: partition, sk: 'FACT#9' })).toBeUndefined();
    expect(await reader.queryAll(spec)).toEqual(await store.queryAll(spec));
    // A page token of one serves the other: clients keep theirs whichever function answers.
    const first = await store.queryPage(spec);
    const second = await reader.queryPage(spec, first.nextToken);
    expect(second.items.map((item) => item.sk)).toEqual(['FACT#2', 'FACT#3']);
    expect((await store.queryPage(spec, second.nextToken)).items.map((item) => item.sk)).toEqual(['FACT#4']);
    await expect(reader.queryPage({ ...spec, partition: 'ENT#OTHER' }, first.nextToken)).rejects.toThrow(
      InvalidPageTokenError,
    );
    expect(meter.readRequests).toBe(6); // two gets, three pages of queryAll, one queryPage
    expect(meter.readUnits).toBeGreaterThan(0);
    expect(reader).not.toHaveProperty('putNew');
  });

  it('is the table the read-only functions reach through AWS_ENDPOINT_URL_DYNAMODB and TABLE_NAME alone', async () => {
    const restore = useAwsEnv({ AWS_ENDPOINT_URL_DYNAMODB: db.endpoint, TABLE_NAME: db.tableName });
    try {
      const key = keys.reviewer('CUSTOMS');
      await store.putNew({ ...key, name: 'Customs reviewer' });
      expect(await storeReader().get(key)).toMatchObject({ name: 'Customs reviewer', version: 1 });
    } finally {
      restore();
    }
  });

  it('has a writer of its own for functions that write items: the same writes, conflicts and events', async () => {
    const writer = new DynamoDbWriter({
      tableName: db.tableName,
      client: () => db.doc,
      meter: new ReadMeter(),
    });
    const key = { pk: `ENT#W${randomUUID().slice(0, 8)}`, sk: 'PROFILE' };
    expect(await writer.putNew({ ...key, name: 'a' })).toEqual({ ...key, name: 'a', version: 1 });
    await expect(writer.putNew({ ...key, name: 'b' })).rejects.toThrow(ConflictError);
    expect(await writer.updateVersioned(key, 1, { name: 'c', gone: undefined })).toEqual({
      ...key,
      name: 'c',
      version: 2,
    });
    await expect(writer.updateVersioned(key, 1, { name: 'd' })).rejects.toThrow(ConflictError);
    expect(await writer.updateIf(key, { name: { equals: 'x' } }, { name: 'e' })).toBeUndefined();
    expect(
      await writer.updateIf(key, { name: { equals: 'c' } }, { name: 'e' }, { bumpVersion: true }),
    ).toEqual({
      ...key,
      name: 'e',
      version: 3,
    });
    const event = { sk: 'EVT#2026-01-01T00:00:00.000Z#1', type: 'X' };
    expect(await writer.appendEvent(key.pk, event)).toEqual({ written: true });
    expect(await writer.appendEvent(key.pk, event)).toEqual({ written: false });
    await expect(writer.appendEvent(key.pk, { ...event, type: 'Y' })).rejects.toThrow(ConflictError);
    // The whole store sees exactly what the writer wrote.
    expect(await store.get(key)).toEqual({ ...key, name: 'e', version: 3 });
    expect(writer).not.toHaveProperty('setDue');
    expect(writer).not.toHaveProperty('memoizedStep');
  });

  it('is the table the item-writing functions reach through AWS_ENDPOINT_URL_DYNAMODB and TABLE_NAME alone', async () => {
    const restore = useAwsEnv({ AWS_ENDPOINT_URL_DYNAMODB: db.endpoint, TABLE_NAME: db.tableName });
    try {
      const key = keys.reviewer('MARKET_REGULATION');
      await storeWriter().putNew({ ...key, name: 'Market reviewer' });
      expect(await store.get(key)).toMatchObject({ name: 'Market reviewer', version: 1 });
    } finally {
      restore();
    }
  });

  it('creates items alone for a function that only registers: version 1, a typed conflict on a taken key', async () => {
    const restore = useAwsEnv({ AWS_ENDPOINT_URL_DYNAMODB: db.endpoint, TABLE_NAME: db.tableName });
    try {
      const key = { pk: `ENT#C${randomUUID().slice(0, 8)}`, sk: 'PROFILE' };
      expect(await itemCreator().putNew({ ...key, name: 'a' })).toEqual({ ...key, name: 'a', version: 1 });
      await expect(itemCreator().putNew({ ...key, name: 'b' })).rejects.toMatchObject({
        kind: 'ALREADY_EXISTS',
      });
      expect(await store.get(key)).toEqual({ ...key, name: 'a', version: 1 });
      expect(Object.keys(itemCreator())).toEqual(['putNew']);
    } finally {
      restore();
    }
  });
});
