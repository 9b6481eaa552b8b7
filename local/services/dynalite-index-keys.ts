import { createRequire } from 'node:module';

/**
 * Secondary-index entries in dynalite keyed by the item's whole table key.
 *
 * dynalite stores an index entry under the index's own keys followed by the first six hex digits of
 * an md5 of the item's table keys, and nothing more. Two items with equal index keys whose digests
 * share those 24 bits therefore get one entry: the later write replaces the earlier item's, which
 * then no query of the index returns (and deleting either entry removes both). DynamoDB's indexes
 * keep every item. Our due index puts every profile due on a day in one of four partitions under
 * one sort key, so this bites at scale: of 10,000 enterprises due on one day, two were invisible to
 * the sweep (bench/sweep-fan-out-bench.ts).
 *
 * The fix, installed once before dynalite serves: entries are keyed `<dynalite's key>/<table keys in
 * full>`, which keeps dynalite's order (the six digits still come first) and makes the key unique.
 * Data folders written before keep their entries under the short key: an update or delete of such
 * an item removes the short key too, and a query meets old and new entries in the same order, so
 * an earlier folder reads as it did and sheds its old keys as items change. An entry a collision
 * already replaced in such a folder is rebuilt, with every other, the first time the embedded
 * runtime opens the folder (dynalite-index-repair.ts).
 */

export interface AttributeValue {
  readonly [type: string]: unknown;
}
export type Item = Readonly<Record<string, AttributeValue>>;
interface KeySchemaElement {
  readonly AttributeName: string;
}
interface Index {
  readonly IndexName: string;
  readonly KeySchema: readonly KeySchemaElement[];
  readonly Projection: { readonly ProjectionType: string; readonly NonKeyAttributes?: readonly string[] };
}
/** A table's description as dynalite stores it (under `table~<name>`). */
export interface Table {
  readonly TableName: string;
  readonly KeySchema: readonly KeySchemaElement[];
  readonly LocalSecondaryIndexes?: readonly Index[];
  readonly GlobalSecondaryIndexes?: readonly Index[];
}
interface LevelDb {
  put(key: string, value: unknown, cb: (error?: Error | null) => void): void;
  del(key: string, cb: (error?: Error | null) => void): void;
}
interface Store {
  getIndexDb(indexType: 'Local' | 'Global', tableName: string, indexName: string): LevelDb;
}
type Callback = (error?: Error | null) => void;
type IndexKey = (item: Item, table: Table, keySchema: readonly KeySchemaElement[]) => string;

/** The parts of dynalite's key module this replaces or uses. */
interface DynaliteDb {
  createIndexKey: IndexKey;
  updateIndexes(
    store: Store,
    table: Table,
    existingItem: Item | null | undefined,
    item: Item | null | undefined,
    cb: Callback,
  ): void;
  toRangeStr(value: AttributeValue): string;
  [installed]?: true;
  [dynaliteIndexKey]?: IndexKey;
}

// Registered symbols: a second copy of this module in the process (a test runner's module graph)
// must see the patch and dynalite's own key function, not patch the patched one.
const installed = Symbol.for('credit-repair:dynalite full index keys');
const dynaliteIndexKey = Symbol.for('credit-repair:dynalite short index key');

const require = createRequire(import.meta.url);

function dynaliteDb(): DynaliteDb & { [dynaliteIndexKey]: IndexKey } {
  const db = require('dynalite/db') as DynaliteDb;
  db[dynaliteIndexKey] ??= db.createIndexKey;
  return db as DynaliteDb & { [dynaliteIndexKey]: IndexKey };
}

/** dynalite's own key for an index entry: the index keys and six hex digits of the table key's md5. */
export const shortIndexKey: IndexKey = (item, table, keySchema) => {
  const db = dynaliteDb();
  return db[dynaliteIndexKey].call(db, item, table, keySchema);
};

/** The key this module gives an index entry: dynalite's, then the item's table keys in full. */
export const fullIndexKey: IndexKey = (item, table, keySchema) => {
  const db = dynaliteDb();
  return `${shortIndexKey(item, table, keySchema)}/${table.KeySchema.map((k) => db.toRangeStr(item[k.AttributeName] as AttributeValue)).join('/')}`;
};

export type IndexType = 'Local' | 'Global';

export interface IndexEntry {
  readonly indexType: IndexType;
  readonly indexName: string;
  readonly key: string;
  /** What the entry holds: the item, or its projected attributes. */
  readonly value: Item;
}

const hasKeys = (item: Item | null | undefined, index: Index): item is Item =>
  item != null && index.KeySchema.every((k) => item[k.AttributeName] != null);

/** The entries an item has in the table's secondary indexes (none in an index whose keys it lacks). */
export function indexEntries(table: Table, item: Item): IndexEntry[] {
  const entries: IndexEntry[] = [];
  const tableKeys = table.KeySchema.map((k) => k.AttributeName);
  for (const indexType of ['Local', 'Global'] as const) {
    for (const index of table[`${indexType}SecondaryIndexes`] ?? []) {
      if (!hasKeys(item, index)) continue;
      const attributes =
        index.Projection.ProjectionType === 'ALL'
          ? null
          : [
              ...index.KeySchema.map((k) => k.AttributeName),
              ...tableKeys,
              ...(index.Projection.NonKeyAttributes ?? []),
            ];
      const value: Item =
        attributes === null
          ? item
          : Object.fromEntries(attributes.map((name) => [name, item[name] as AttributeValue]));
      entries.push({
        indexType,
        indexName: index.IndexName,
        key: fullIndexKey(value, table, index.KeySchema),
        value,
      });
    }
  }
  return entries;
}

/** Patches dynalite's key module (shared by every dynalite in this process); idempotent. */
export function installFullIndexKeys(): void {
  const db = dynaliteDb();
  if (db[installed]) return;

  // query.js and scan.js compute an ExclusiveStartKey's position with it.
  db.createIndexKey = fullIndexKey;
  // putItem, updateItem and deleteItem keep the indexes with it (dynalite's own, with full keys).
  db.updateIndexes = (store, table, existingItem, item, cb) => {
    try {
      keepIndexes(store, table, existingItem, item, cb);
    } catch (error) {
      cb(error as Error);
    }
  };
  const keepIndexes: DynaliteDb['updateIndexes'] = (store, table, existingItem, item, cb) => {
    const deletes: (() => Promise<void>)[] = [];
    const puts: (() => Promise<void>)[] = [];
    const kept = new Set<string>();
    for (const entry of item == null ? [] : indexEntries(table, item)) {
      const indexDb = store.getIndexDb(entry.indexType, table.TableName, entry.indexName);
      kept.add(`${entry.indexType}~${entry.indexName}~${entry.key}`);
      puts.push(() => call((done) => indexDb.put(entry.key, entry.value, done)));
    }
    for (const indexType of ['Local', 'Global'] as const) {
      for (const index of table[`${indexType}SecondaryIndexes`] ?? []) {
        if (!hasKeys(existingItem, index)) continue;
        const indexDb = store.getIndexDb(indexType, table.TableName, index.IndexName);
        const existingKey = fullIndexKey(existingItem, table, index.KeySchema);
        if (!kept.has(`${indexType}~${index.IndexName}~${existingKey}`)) {
          deletes.push(() => call((done) => indexDb.del(existingKey, done)));
        }
        // The entry a data folder written before this fix keeps under the short key.
        const legacyKey = shortIndexKey(existingItem, table, index.KeySchema);
        deletes.push(() => call((done) => indexDb.del(legacyKey, done)));
      }
    }
    Promise.all(deletes.map((del) => del()))
      .then(() => Promise.all(puts.map((put) => put())))
      .then(
        () => cb(),
        (error: unknown) => cb(error as Error),
      );
  };
  db[installed] = true;
}

function call(run: (done: Callback) => void): Promise<void> {
  return new Promise((resolve, reject) => run((error) => (error ? reject(error) : resolve())));
}
