import { DynamoDbStore } from '../adapters/dynamodb/store.ts';
import { TABLE_NAME_ENV } from '../ports/store/schema.ts';
import type { Store } from '../ports/store/store.ts';
import { now } from './clock.ts';
import { requiredEnv } from './environment.ts';

let built: { readonly tableName: string; readonly store: Store } | undefined;

/** The table of TABLE_NAME through the DynamoDB adapter (AWS_ENDPOINT_URL_DYNAMODB on this machine). */
export function store(): Store {
  const tableName = requiredEnv(TABLE_NAME_ENV);
  if (built?.tableName !== tableName) {
    built = { tableName, store: new DynamoDbStore({ tableName, clock: { now } }) };
  }
  return built.store;
}
