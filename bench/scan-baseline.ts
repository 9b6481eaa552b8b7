import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LocalDate } from '../domain/dates.ts';
import { consumedReads } from '../functions/adapters/dynamodb/reads.ts';
import type { Store, StoredItem } from '../functions/ports/store/store.ts';

/**
 * The baseline the sweep is measured against: find the due items by scanning the whole table, as a
 * sweep without the sparse index would. A filter expression does not reduce what a scan reads (and
 * bills), so its cost grows with the table. Benchmarks only: the store port has no Scan, so this
 * source reads the table with its own client and counts its reads on the sweep's meter.
 */
export const scanDueItems = (doc: DynamoDBDocumentClient, tableName: string) =>
  async function* (store: Store, today: LocalDate): AsyncIterable<StoredItem> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new ScanCommand({
          TableName: tableName,
          FilterExpression: 'attribute_exists(#dueOn) AND #dueOn <= :today',
          ExpressionAttributeNames: { '#dueOn': 'dueOn' },
          ExpressionAttributeValues: { ':today': today },
          ReturnConsumedCapacity: 'INDEXES',
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      store.meter.record(consumedReads(page.ConsumedCapacity));
      yield* (page.Items ?? []) as StoredItem[];
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  };
