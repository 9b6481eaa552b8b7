import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { addDays, addYears, type LocalDate } from '../domain/dates.ts';
import { createEnterprise, newEnterpriseItem } from '../functions/usecases/enterprises/register.ts';
import { keys } from '../functions/ports/store/keys.ts';
import { type Store } from '../functions/ports/store/store.ts';

/**
 * Data for the sweep's cost measurements: many enterprises with nothing due, written directly as
 * minimal profile items (setup, not a use case: 2,000 puts a second instead of a few hundred), and
 * a few enterprises registered through the use case whose certification notice falls due on one day.
 */

const BATCH = 25;
const PARALLEL_BATCHES = 8;

/** Enterprise ids `<prefix><n>` padded to the 10-character customs code. */
export const seedId = (prefix: string, n: number): string =>
  `${prefix}${String(n).padStart(10 - prefix.length, '0')}`;

export async function seedIdleEnterprises(
  doc: DynamoDBDocumentClient,
  tableName: string,
  count: number,
  createdAt: string,
): Promise<void> {
  const items = Array.from({ length: count }, (_, n) => {
    const id = seedId('Q', n);
    return {
      ...keys.enterprise(id),
      itemType: 'ENTERPRISE',
      id,
      name: `Idle enterprise ${n}`,
      contactEmail: `idle-${n}@example.test`,
      registeredTier: 'REGULAR',
      closures: [],
      createdAt,
      version: 1,
    };
  });
  await writeBatches(doc, tableName, items);
}

/** Writes items straight into the table, BATCH to a request, PARALLEL_BATCHES requests at once. */
export async function writeBatches(
  doc: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
  onProgress?: (written: number) => void,
): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += BATCH) batches.push(items.slice(i, i + BATCH));
  for (let i = 0; i < batches.length; i += PARALLEL_BATCHES) {
    await Promise.all(
      batches.slice(i, i + PARALLEL_BATCHES).map((batch) => writeBatch(doc, tableName, batch)),
    );
    onProgress?.(Math.min(items.length, (i + PARALLEL_BATCHES) * BATCH));
  }
}

/**
 * The profile items of `count` certified (CE) enterprises whose certification notice falls due on
 * `noticeOn`, exactly as registration writes them (due-index entry included), for writeBatches: the
 * fast way to put thousands of due items in a table.
 */
export function dueProfileItems(count: number, noticeOn: LocalDate, prefix = 'D'): Record<string, unknown>[] {
  const certifiedOn = addYears(addDays(noticeOn, 30), -3);
  const registeredAt = `${addDays(noticeOn, -1)}T02:00:00.000Z`;
  return Array.from({ length: count }, (_, n) => {
    const id = seedId(prefix, n);
    const { item } = newEnterpriseItem(
      {
        id,
        name: `Due enterprise ${n}`,
        contactEmail: `due-${n}@example.test`,
        tier: 'CERTIFIED',
        certifiedOn,
      },
      registeredAt,
    );
    // As the store's putNew writes it: the first version.
    return Object.fromEntries(Object.entries({ ...item, version: 1 }).filter(([, v]) => v !== undefined));
  });
}

async function writeBatch(
  doc: DynamoDBDocumentClient,
  tableName: string,
  batch: readonly Record<string, unknown>[],
): Promise<void> {
  let requests = batch.map((Item) => ({ PutRequest: { Item } }));
  // BatchWriteItem may hand some writes back unprocessed; they are sent again until none are left.
  while (requests.length > 0) {
    const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
    requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
  }
}

/**
 * `count` certified (CE) enterprises whose certification notice falls due on `noticeOn`: certified
 * 3 years before the review date, registered the day before the notice.
 */
export async function seedDueEnterprises(
  store: Store,
  count: number,
  noticeOn: LocalDate,
): Promise<string[]> {
  const certifiedOn = addYears(addDays(noticeOn, 30), -3);
  const registeredAt = `${addDays(noticeOn, -1)}T02:00:00.000Z`;
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const id = seedId('D', n);
    await createEnterprise(
      store,
      {
        id,
        name: `Due enterprise ${n}`,
        contactEmail: `due-${n}@example.test`,
        tier: 'CERTIFIED',
        certifiedOn,
      },
      registeredAt,
    );
    ids.push(id);
  }
  return ids;
}
