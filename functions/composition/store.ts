import { documentClient } from '../adapters/dynamodb/client.ts';
import { DynamoDbReader } from '../adapters/dynamodb/reads.ts';
import { DynamoDbStore } from '../adapters/dynamodb/store.ts';
import { ReadMeter } from '../ports/store/read-meter.ts';
import type { Store, StoreReader } from '../ports/store/store.ts';
import { clock } from './clock.ts';
import { requiredEnv, TABLE_NAME_ENV } from './environment.ts';
import { installedPort } from './installed.ts';

let built: { readonly tableName: string; readonly store: Store } | undefined;

/** The table of TABLE_NAME through the DynamoDB adapter (AWS_ENDPOINT_URL_DYNAMODB on this machine). */
export function store(): Store {
  const installed = installedPort('store');
  if (installed !== undefined) return installed;
  const tableName = requiredEnv(TABLE_NAME_ENV);
  if (built?.tableName !== tableName) {
    built = { tableName, store: new DynamoDbStore({ tableName, clock: clock() }) };
  }
  return built.store;
}

let builtReader: { readonly tableName: string; readonly reader: StoreReader } | undefined;

/**
 * The same table for a handler that only reads: the store's reads without its writes, so that
 * handler's bundle carries none of them. An installed store serves both.
 */
export function storeReader(): StoreReader {
  const installed = installedPort('store');
  if (installed !== undefined) return installed;
  const tableName = requiredEnv(TABLE_NAME_ENV);
  if (builtReader?.tableName !== tableName) {
    const table = { tableName, client: documentClient, meter: new ReadMeter() };
    builtReader = { tableName, reader: new DynamoDbReader(table) };
  }
  return builtReader.reader;
}
