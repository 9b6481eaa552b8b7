import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalDate } from '../domain/dates.ts';
import type { Store, StoredItem } from '../functions/ports/store/store.ts';

/**
 * The baseline the sweep is measured against: find the due items by scanning the whole table, as a
 * sweep without the sparse index would. A filter expression does not reduce what a scan reads (and
 * bills), so its cost grows with the table. Benchmarks only: nothing in functions/ scans.
 */
export async function* scanDueItems(store: Store, today: LocalDate): AsyncIterable<StoredItem> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await store.table.doc.send(
      new ScanCommand({
        TableName: store.table.tableName,
        FilterExpression: 'attribute_exists(#dueOn) AND #dueOn <= :today',
        ExpressionAttributeNames: { '#dueOn': 'dueOn' },
        ExpressionAttributeValues: { ':today': today },
        ReturnConsumedCapacity: 'INDEXES',
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    store.meter.record(page.ConsumedCapacity);
    yield* (page.Items ?? []) as StoredItem[];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}
