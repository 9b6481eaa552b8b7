import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { InvalidPageTokenError } from '../../ports/store/errors.ts';
import { asStartKey, decodePageToken, encodePageToken, type StartKey } from '../item-store/page-token.ts';
import { TABLE_SCHEMA } from '../../ports/store/schema.ts';
import type { StoredItem, TableRef } from './table.ts';

/**
 * Queries by key condition only. There is no Scan here, and no filter expression either: a filter
 * reads (and bills) what it throws away, so an access pattern that needs one gets a key or an index.
 */

export type IndexName = (typeof TABLE_SCHEMA.globalSecondaryIndexes)[number]['indexName'];

export type SortKeyCondition =
  | { readonly equals: string }
  | { readonly beginsWith: string }
  | { readonly between: readonly [string, string] }
  | { readonly lessOrEqual: string }
  | { readonly greaterOrEqual: string };

export interface QuerySpec {
  /** Omit for the table itself. */
  readonly index?: IndexName;
  /** Value of the (table or index) partition key. */
  readonly partition: string;
  readonly sortKey?: SortKeyCondition;
  /** Descending sort-key order (newest first when the sort key starts with a time). */
  readonly descending?: boolean;
  /** Items per page (DynamoDB's Limit). */
  readonly limit?: number;
  /** Strongly consistent; not available on global secondary indexes. */
  readonly consistent?: boolean;
}

export interface Page<T> {
  readonly items: T[];
  /** Present when more items may follow; pass back as `nextToken`. */
  readonly nextToken?: string;
  /** Read units this page consumed. */
  readonly readUnits: number;
}

interface KeyNames {
  readonly partition: string;
  readonly sort: string;
  /** The attributes of LastEvaluatedKey: the index keys plus the table keys. */
  readonly startKey: readonly string[];
}

export function keyNamesOf(index: IndexName | undefined): KeyNames {
  const tablePk = TABLE_SCHEMA.partitionKey.name;
  const tableSk = TABLE_SCHEMA.sortKey.name;
  if (index === undefined) return { partition: tablePk, sort: tableSk, startKey: [tablePk, tableSk] };
  const gsi = TABLE_SCHEMA.globalSecondaryIndexes.find((i) => i.indexName === index);
  if (!gsi) throw new Error(`unknown index ${index}`);
  return {
    partition: gsi.partitionKey.name,
    sort: gsi.sortKey.name,
    startKey: [gsi.partitionKey.name, gsi.sortKey.name, tablePk, tableSk],
  };
}

/** One page of a query. `nextToken` comes from a previous page of the same query. */
export async function queryPage<T extends StoredItem = StoredItem>(
  table: TableRef,
  spec: QuerySpec,
  nextToken?: string,
): Promise<Page<T>> {
  const names = keyNamesOf(spec.index);
  const startKey = nextToken === undefined ? undefined : parseStartKey(nextToken, spec, names);
  const { items, lastKey, readUnits } = await queryOnce<T>(table, spec, startKey);
  return lastKey ? { items, nextToken: encodePageToken(lastKey), readUnits } : { items, readUnits };
}

/** Every item a query matches, following pages. For bounded partitions (an application's items). */
export async function queryAll<T extends StoredItem = StoredItem>(
  table: TableRef,
  spec: QuerySpec,
): Promise<T[]> {
  const all: T[] = [];
  let startKey: StartKey | undefined;
  do {
    const page = await queryOnce<T>(table, spec, startKey);
    all.push(...page.items);
    startKey = page.lastKey;
  } while (startKey);
  return all;
}

export interface RawPage<T> {
  readonly items: T[];
  readonly lastKey?: StartKey;
  readonly readUnits: number;
}

/** The raw query step shared by the page, all-pages and due-index readers. */
export async function queryOnce<T extends StoredItem>(
  table: TableRef,
  spec: QuerySpec,
  startKey: StartKey | undefined,
): Promise<RawPage<T>> {
  const names = keyNamesOf(spec.index);
  const condition = sortKeyExpression(spec.sortKey);
  const out = await table.doc.send(
    new QueryCommand({
      TableName: table.tableName,
      ...(spec.index ? { IndexName: spec.index } : {}),
      KeyConditionExpression: condition ? `#p = :p AND ${condition.expression}` : '#p = :p',
      ExpressionAttributeNames: condition
        ? { '#p': names.partition, '#s': names.sort }
        : { '#p': names.partition },
      ExpressionAttributeValues: { ':p': spec.partition, ...condition?.values },
      ScanIndexForward: !spec.descending,
      ...(spec.limit ? { Limit: spec.limit } : {}),
      ...(spec.consistent && !spec.index ? { ConsistentRead: true } : {}),
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      ReturnConsumedCapacity: 'INDEXES',
    }),
  );
  const readUnits = table.meter.record(out.ConsumedCapacity);
  const items = (out.Items ?? []) as T[];
  return out.LastEvaluatedKey
    ? { items, lastKey: out.LastEvaluatedKey as StartKey, readUnits }
    : { items, readUnits };
}

function parseStartKey(token: string, spec: QuerySpec, names: KeyNames): StartKey {
  const key = asStartKey(decodePageToken(token), names.startKey);
  // A token from another partition would silently page through the wrong items, and one whose sort
  // key the query's condition excludes is refused by DynamoDB itself: both are a client's mistake.
  if (key[names.partition] !== spec.partition) throw new InvalidPageTokenError();
  const sort = key[names.sort];
  if (spec.sortKey && (typeof sort !== 'string' || !satisfies(sort, spec.sortKey))) {
    throw new InvalidPageTokenError();
  }
  return key;
}

/** Whether a sort-key value meets a condition (our keys are ASCII: code-unit order is DynamoDB byte order). */
function satisfies(value: string, condition: SortKeyCondition): boolean {
  if ('equals' in condition) return value === condition.equals;
  if ('beginsWith' in condition) return value.startsWith(condition.beginsWith);
  if ('between' in condition) return value >= condition.between[0] && value <= condition.between[1];
  if ('lessOrEqual' in condition) return value <= condition.lessOrEqual;
  return value >= condition.greaterOrEqual;
}

function sortKeyExpression(
  condition: SortKeyCondition | undefined,
): { expression: string; values: Record<string, string> } | undefined {
  if (!condition) return undefined;
  if ('equals' in condition) return { expression: '#s = :s', values: { ':s': condition.equals } };
  if ('beginsWith' in condition)
    return { expression: 'begins_with(#s, :s)', values: { ':s': condition.beginsWith } };
  if ('between' in condition) {
    return {
      expression: '#s BETWEEN :s AND :t',
      values: { ':s': condition.between[0], ':t': condition.between[1] },
    };
  }
  if ('lessOrEqual' in condition) return { expression: '#s <= :s', values: { ':s': condition.lessOrEqual } };
  return { expression: '#s >= :s', values: { ':s': condition.greaterOrEqual } };
}
