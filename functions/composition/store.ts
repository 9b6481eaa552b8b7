import { documentClient } from '../adapters/dynamodb/client.ts';
import { DynamoDbReader } from '../adapters/dynamodb/reads.ts';
import { DynamoDbStore } from '../adapters/dynamodb/store.ts';
import { DynamoDbWriter, writeItem } from '../adapters/dynamodb/writes.ts';
import { createItem } from '../adapters/item-store/create-item.ts';
import { ReadMeter } from '../ports/store/read-meter.ts';
import type { ItemCreator, Store, StoreReader, StoreWriter } from '../ports/store/store.ts';
import type { DynamoDbTable } from '../adapters/dynamodb/reads.ts';
import { clock } from './clock.ts';
import { requiredEnv, TABLE_NAME_ENV } from './environment.ts';
import { installedPort } from './installed.ts';

/**
 * The table of TABLE_NAME through the DynamoDB adapter (AWS_ENDPOINT_URL_DYNAMODB on this machine),
 * as much of the store port as the handler calls: the whole store, its item writes and reads, its
 * reads alone, or item creation alone. A handler's bundle holds only the adapter classes it asks for (esbuild keeps a
 * class whole, with every method). An installed store serves them all.
 */

/**
 * The adapter of each kind for the table TABLE_NAME names now, built on first use and again when
 * the name changes (a test may point it elsewhere). Built inside the getters, never at module
 * level, so a bundle keeps only the adapter classes its handler's getters name.
 */
const built = new Map<string, { readonly tableName: string; readonly adapter: unknown }>();
function adapterFor<T>(kind: string, build: (table: DynamoDbTable) => T): T {
  const tableName = requiredEnv(TABLE_NAME_ENV);
  let entry = built.get(kind);
  if (entry?.tableName !== tableName) {
    entry = { tableName, adapter: build({ tableName, client: documentClient, meter: new ReadMeter() }) };
    built.set(kind, entry);
  }
  return entry.adapter as T;
}

export const store = (): Store =>
  installedPort('store') ??
  adapterFor('store', ({ tableName }) => new DynamoDbStore({ tableName, clock: clock() }));

/** For a handler that writes items but neither sets due dates nor runs workflow steps. */
export const storeWriter = (): StoreWriter =>
  installedPort('store') ?? adapterFor('writer', (table) => new DynamoDbWriter(table));

/** For a handler that only reads. */
export const storeReader = (): StoreReader =>
  installedPort('store') ?? adapterFor('reader', (table) => new DynamoDbReader(table));

/** For a handler that only creates items (one conditional put). */
export const itemCreator = (): ItemCreator =>
  installedPort('store') ??
  adapterFor('creator', (table) => ({
    putNew: (item) => createItem((written) => writeItem(table, written, true), item),
  }));
