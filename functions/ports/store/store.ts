import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReadMeter } from './read-meter.ts';
import { dueAttributes, queryDue, setDue, type DuePage } from '../../adapters/dynamodb/due-index.ts';
import type { ItemKey } from './keys.ts';
import { queryAll, queryPage, type Page, type QuerySpec } from '../../adapters/dynamodb/query.ts';
import { memoizedStep, recordedStep } from '../../adapters/dynamodb/steps.ts';
import { tableFromEnv, tableRef, type StoredItem, type TableRef } from '../../adapters/dynamodb/table.ts';
import {
  appendEvent,
  getItem,
  putNew,
  updateVersioned,
  type AppendResult,
} from '../../adapters/dynamodb/writes.ts';

export { ConflictError, InvalidPageTokenError, type ConflictKind } from './errors.ts';
export { ReadMeter } from './read-meter.ts';
export { expiresAfter, RETENTION_DAYS } from './expiry.ts';
export * from './keys.ts';
export type { StoredItem, TableRef } from '../../adapters/dynamodb/table.ts';
export type { Page, QuerySpec, SortKeyCondition, IndexName } from '../../adapters/dynamodb/query.ts';
export type { DuePage } from '../../adapters/dynamodb/due-index.ts';
export type { AppendResult } from '../../adapters/dynamodb/writes.ts';
export { dueAttributes };

/**
 * The store primitives bound to one table. Handlers get one from `storeFromEnv()`; tests and the
 * embedded runtime build one over their own client with `createStore`.
 */
export interface Store {
  readonly table: TableRef;
  readonly meter: ReadMeter;
  get<T extends StoredItem = StoredItem>(
    key: ItemKey,
    options?: { consistent?: boolean },
  ): Promise<T | undefined>;
  putNew<T extends StoredItem>(item: T): Promise<T & { version: number }>;
  updateVersioned<T extends StoredItem = StoredItem>(
    key: ItemKey,
    expectedVersion: number,
    changes: Readonly<Record<string, unknown>>,
  ): Promise<T>;
  appendEvent(
    parentPk: string,
    event: Readonly<Record<string, unknown>> & { sk: string },
  ): Promise<AppendResult>;
  queryPage<T extends StoredItem = StoredItem>(spec: QuerySpec, nextToken?: string): Promise<Page<T>>;
  queryAll<T extends StoredItem = StoredItem>(spec: QuerySpec): Promise<T[]>;
  setDue(key: ItemKey, dueOn: string | null): Promise<void>;
  queryDue<T extends StoredItem = StoredItem>(
    today: string,
    nextToken?: string,
    options?: { limit?: number },
  ): Promise<DuePage<T>>;
  memoizedStep<T>(applicationId: string, step: string, round: number, fn: () => Promise<T>): Promise<T>;
  recordedStep<T>(applicationId: string, step: string, round: number): Promise<T | undefined>;
}

export function createStore(table: TableRef): Store;
export function createStore(doc: DynamoDBDocumentClient, tableName: string): Store;
export function createStore(tableOrDoc: TableRef | DynamoDBDocumentClient, tableName?: string): Store {
  const table =
    tableName === undefined
      ? (tableOrDoc as TableRef)
      : tableRef(tableOrDoc as DynamoDBDocumentClient, tableName);
  return {
    table,
    meter: table.meter,
    get: (key, options) => getItem(table, key, options),
    putNew: (item) => putNew(table, item),
    updateVersioned: (key, expectedVersion, changes) => updateVersioned(table, key, expectedVersion, changes),
    appendEvent: (parentPk, event) => appendEvent(table, parentPk, event),
    queryPage: (spec, nextToken) => queryPage(table, spec, nextToken),
    queryAll: (spec) => queryAll(table, spec),
    setDue: (key, dueOn) => setDue(table, key, dueOn),
    queryDue: (today, nextToken, options) => queryDue(table, today, nextToken, options),
    memoizedStep: (applicationId, step, round, fn) => memoizedStep(table, applicationId, step, round, fn),
    recordedStep: (applicationId, step, round) => recordedStep(table, applicationId, step, round),
  };
}

let shared: Store | undefined;

/** The store over TABLE_NAME with the shared document client, built on first use. */
export function storeFromEnv(): Store {
  shared ??= createStore(tableFromEnv());
  return shared;
}

/** Forgets the shared store (with resetAwsClients, when the environment changes under a test). */
export function resetStoreFromEnv(): void {
  shared = undefined;
}
