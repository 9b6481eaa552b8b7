import { InvalidPageTokenError } from '../../ports/store/errors.ts';
import { duePartition, dueShardOf, DUE_SHARDS, type ItemKey } from '../../ports/store/keys.ts';
import { asStartKey, decodePageToken, encodePageToken, type StartKey } from '../item-store/page-token.ts';
import { keyNamesOf, queryOnce, type QuerySpec, type RawPage } from './query.ts';
import type { StoredItem, TableRef } from './table.ts';
import { updateExisting } from './writes.ts';

/**
 * The sparse due index (schema.ts `dueIndex`): an item carries `duePk`/`dueOn` only while the sweep
 * has something to do for it on or after `dueOn`. The sweep reads the index up to today, so its cost
 * follows what is due, not the size of the table. Whoever acts on a due item re-reads the base item
 * (the index is eventually consistent), does the duty with a conditional write, then sets the next
 * due date or clears it.
 */

const DUE_INDEX = 'dueIndex';

/**
 * The index attributes for an item with pk `pk`: spread them into a putNew item or an
 * updateVersioned change so the due date moves in the same write as the state it follows from.
 * `null` yields undefined values, which updateVersioned turns into REMOVE.
 */
export function dueAttributes(
  pk: string,
  dueOn: string | null,
): { duePk: string; dueOn: string } | { duePk: undefined; dueOn: undefined } {
  if (dueOn === null) return { duePk: undefined, dueOn: undefined };
  assertLocalDate(dueOn);
  return { duePk: duePartition(dueShardOf(pk)), dueOn };
}

/**
 * Sets (or with null clears) the due date of an existing item, without touching its version: the due
 * date is a pointer for the sweep, not a decision. Throws ConflictError when the item is gone.
 */
export async function setDue(table: TableRef, key: ItemKey, dueOn: string | null): Promise<void> {
  await updateExisting(table, key, dueAttributes(key.pk, dueOn));
}

export interface DuePage<T> {
  readonly items: T[];
  readonly nextToken?: string;
  /** Read units this call consumed (the table's ReadMeter keeps the running total). */
  readonly readUnits: number;
}

interface DueCursor {
  readonly shard: number;
  readonly key?: StartKey;
}

/**
 * Items with dueOn <= today, shard after shard, at most `limit` per call. Pass `nextToken` back to
 * continue; a sweep that failed part way resumes from its last token or simply starts again (each
 * duty is idempotent).
 */
export async function queryDue<T extends StoredItem = StoredItem>(
  table: TableRef,
  today: string,
  pageToken?: string,
  options: { limit?: number } = {},
): Promise<DuePage<T>> {
  assertLocalDate(today);
  const limit = options.limit ?? 100;
  let cursor: DueCursor | undefined = pageToken === undefined ? { shard: 0 } : parseCursor(pageToken);
  const items: T[] = [];
  let readUnits = 0;
  while (cursor && items.length < limit) {
    const spec: QuerySpec = {
      index: DUE_INDEX,
      partition: duePartition(cursor.shard),
      sortKey: { lessOrEqual: today },
      limit: limit - items.length,
    };
    const page: RawPage<T> = await queryOnce<T>(table, spec, cursor.key);
    items.push(...page.items);
    readUnits += page.readUnits;
    cursor = page.lastKey
      ? { shard: cursor.shard, key: page.lastKey }
      : cursor.shard + 1 < DUE_SHARDS
        ? { shard: cursor.shard + 1 }
        : undefined;
  }
  return cursor ? { items, nextToken: encodePageToken(cursor), readUnits } : { items, readUnits };
}

function parseCursor(token: string): DueCursor {
  const value = decodePageToken(token);
  if (!value || typeof value !== 'object') throw new InvalidPageTokenError();
  const { shard, key } = value as { shard?: unknown; key?: unknown };
  if (typeof shard !== 'number' || !Number.isInteger(shard) || shard < 0 || shard >= DUE_SHARDS) {
    throw new InvalidPageTokenError();
  }
  if (key === undefined) return { shard };
  const startKey = asStartKey(key, keyNamesOf(DUE_INDEX).startKey);
  if (startKey.duePk !== duePartition(shard)) throw new InvalidPageTokenError();
  return { shard, key: startKey };
}

function assertLocalDate(value: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new RangeError(`not a LocalDate (YYYY-MM-DD): ${value}`);
}
