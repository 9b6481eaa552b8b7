import { InvalidPageTokenError } from '../../ports/store/errors.ts';
import type { ItemKey } from '../../ports/store/keys.ts';
import type { ReadMeter } from '../../ports/store/read-meter.ts';
import { TABLE_SCHEMA, type IndexName } from '../../ports/store/schema.ts';
import type { Page, QuerySpec, SortKeyCondition, StoreReader, StoredItem } from '../../ports/store/store.ts';
import { asStartKey, decodePageToken, encodePageToken, type StartKey } from '../../ports/store/page-token.ts';

/**
 * The reads of the store port (StoreReader) over two primitives, one item and one query page,
 * written once for every adapter. ItemStore (item-store.ts) adds the writes to them; a function
 * that only reads is given a reader of its own (the DynamoDB adapter's `DynamoDbReader`), so its
 * bundle holds none of the writes, the due index or the step memos: esbuild keeps a class whole.
 */

export interface RawPage {
  readonly items: StoredItem[];
  /** The key to continue after; present when the page stopped at its limit. */
  readonly lastKey?: StartKey;
  readonly readUnits: number;
}

export abstract class ItemReader implements StoreReader {
  readonly meter: ReadMeter;

  protected constructor(meter: ReadMeter) {
    this.meter = meter;
  }

  /** One item by key; records its read on the meter. */
  protected abstract read(key: ItemKey, consistent: boolean): Promise<StoredItem | undefined>;
  /** One page of a key-condition query after `startKey`; records its read on the meter. */
  protected abstract query(spec: QuerySpec, startKey: StartKey | undefined): Promise<RawPage>;

  async get<T extends StoredItem = StoredItem>(
    key: ItemKey,
    options: { consistent?: boolean } = {},
  ): Promise<T | undefined> {
    return (await this.read(key, options.consistent ?? true)) as T | undefined;
  }

  async queryPage<T extends StoredItem = StoredItem>(spec: QuerySpec, nextToken?: string): Promise<Page<T>> {
    const names = keyNamesOf(spec.index);
    const startKey = nextToken === undefined ? undefined : parseStartKey(nextToken, spec, names);
    const { items, lastKey, readUnits } = await this.query(spec, startKey);
    const page = { items: items as T[], readUnits };
    return lastKey ? { ...page, nextToken: encodePageToken(lastKey) } : page;
  }

  async queryAll<T extends StoredItem = StoredItem>(spec: QuerySpec): Promise<T[]> {
    const all: StoredItem[] = [];
    let startKey: StartKey | undefined;
    do {
      const page = await this.query(spec, startKey);
      all.push(...page.items);
      startKey = page.lastKey;
    } while (startKey);
    return all as T[];
  }
}

// ---------------------------------------------------------------------------------------------
// key names and page tokens

export interface KeyNames {
  readonly partition: string;
  readonly sort: string;
  /** The attributes of a start key: the index keys plus the table keys. */
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

function parseStartKey(token: string, spec: QuerySpec, names: KeyNames): StartKey {
  const key = asStartKey(decodePageToken(token), names.startKey);
  // A token from another partition would silently page through the wrong items, and one whose sort
  // key the query's condition excludes is refused by DynamoDB itself: both are a client's mistake.
  if (key[names.partition] !== spec.partition) throw new InvalidPageTokenError();
  const sort = key[names.sort];
  if (spec.sortKey && (typeof sort !== 'string' || !satisfiesSortKey(sort, spec.sortKey))) {
    throw new InvalidPageTokenError();
  }
  return key;
}

/** Whether a sort-key value meets a condition (our keys are ASCII: code-unit order is DynamoDB byte order). */
export function satisfiesSortKey(value: string, condition: SortKeyCondition): boolean {
  if ('equals' in condition) return value === condition.equals;
  if ('beginsWith' in condition) return value.startsWith(condition.beginsWith);
  if ('between' in condition) return value >= condition.between[0] && value <= condition.between[1];
  if ('lessOrEqual' in condition) return value <= condition.lessOrEqual;
  return value >= condition.greaterOrEqual;
}
