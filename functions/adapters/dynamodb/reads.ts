import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ItemKey } from '../../ports/store/keys.ts';
import type { ConsumedReads, ReadMeter } from '../../ports/store/read-meter.ts';
import type { QuerySpec, SortKeyCondition, StoredItem } from '../../ports/store/store.ts';
import type { StartKey } from '../../ports/store/page-token.ts';
import { ItemReader, keyNamesOf, type RawPage } from '../item-store/item-reader.ts';

/**
 * The read primitives on DynamoDB, one request each, asking for its consumed capacity
 * (ReturnConsumedCapacity INDEXES) for the read meter. The whole store (store.ts) and the reader
 * of a function that only reads (`DynamoDbReader`) both read through these.
 */

/** One table as a store or reader reaches it. */
export interface DynamoDbTable {
  readonly tableName: string;
  readonly client: () => DynamoDBDocumentClient;
  readonly meter: ReadMeter;
}

/** DynamoDB's consumed capacity as the read meter counts it. */
export function consumedReads(consumed: ConsumedCapacity | undefined): ConsumedReads | undefined {
  if (!consumed) return undefined;
  const byTarget: Record<string, number> = {};
  if (consumed.Table?.CapacityUnits !== undefined) byTarget['table'] = consumed.Table.CapacityUnits;
  for (const [name, capacity] of Object.entries(consumed.GlobalSecondaryIndexes ?? {})) {
    if (capacity.CapacityUnits !== undefined) byTarget[`index:${name}`] = capacity.CapacityUnits;
  }
  return { units: consumed.CapacityUnits ?? 0, byTarget };
}

export async function readItem(
  table: DynamoDbTable,
  key: ItemKey,
  consistent: boolean,
): Promise<StoredItem | undefined> {
  const out = await table.client().send(
    new GetCommand({
      TableName: table.tableName,
      Key: { pk: key.pk, sk: key.sk },
      ConsistentRead: consistent,
      ReturnConsumedCapacity: 'INDEXES',
    }),
  );
  table.meter.record(consumedReads(out.ConsumedCapacity));
  return out.Item as StoredItem | undefined;
}

export async function queryItems(
  table: DynamoDbTable,
  spec: QuerySpec,
  startKey: StartKey | undefined,
): Promise<RawPage> {
  const names = keyNamesOf(spec.index);
  const condition = sortKeyExpression(spec.sortKey);
  const out = await table.client().send(
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
  const readUnits = table.meter.record(consumedReads(out.ConsumedCapacity));
  const items = (out.Items ?? []) as StoredItem[];
  return out.LastEvaluatedKey
    ? { items, lastKey: out.LastEvaluatedKey as StartKey, readUnits }
    : { items, readUnits };
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

/** The reads of the store port on a DynamoDB table, for a function that writes nothing. */
export class DynamoDbReader extends ItemReader {
  readonly #table: DynamoDbTable;

  constructor(table: DynamoDbTable) {
    super(table.meter);
    this.#table = table;
  }

  protected read(key: ItemKey, consistent: boolean): Promise<StoredItem | undefined> {
    return readItem(this.#table, key, consistent);
  }

  protected query(spec: QuerySpec, startKey: StartKey | undefined): Promise<RawPage> {
    return queryItems(this.#table, spec, startKey);
  }
}
