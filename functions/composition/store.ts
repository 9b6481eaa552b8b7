import { DynamoDbStore } from '../adapters/dynamodb/store.ts';
import type { Store } from '../ports/store/store.ts';
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
