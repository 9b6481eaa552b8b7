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
 * an earlier folder reads as it did and sheds its old keys as items change. (An entry a collision
 * already replaced in such a folder comes back when its item is next written.)
 */

interface AttributeValue {
  readonly [type: string]: unknown;
}
type Item = Readonly<Record<string, AttributeValue>>;
interface KeySchemaElement {
  readonly AttributeName: string;
}
interface Index {
  readonly IndexName: string;
  readonly KeySchema: readonly KeySchemaElement[];
  readonly Projection: { readonly ProjectionType: string; readonly NonKeyAttributes?: readonly string[] };
}
interface Table {
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

/** The parts of dynalite's key module this replaces or uses. */
interface DynaliteDb {
  createIndexKey(item: Item, table: Table, keySchema: readonly KeySchemaElement[]): string;
  updateIndexes(
    store: Store,
    table: Table,
    existingItem: Item | null | undefined,
    item: Item | null | undefined,
    cb: Callback,
  ): void;
  toRangeStr(value: AttributeValue): string;
  [installed]?: true;
}

const installed = Symbol('full index keys');

const require = createRequire(import.meta.url);

/** Patches dynalite's key module (shared by every dynalite in this process); idempotent. */
export function installFullIndexKeys(): void {
  const db = require('dynalite/db') as DynaliteDb;
  if (db[installed]) return;
  const shortIndexKey = db.createIndexKey.bind(db);
  const fullIndexKey = (item: Item, table: Table, keySchema: readonly KeySchemaElement[]): string =>
    `${shortIndexKey(item, table, keySchema)}/${table.KeySchema.map((k) => db.toRangeStr(item[k.AttributeName] as AttributeValue)).join('/')}`;
  const hasKeys = (item: Item | null | undefined, index: Index): item is Item =>
    item != null && index.KeySchema.every((k) => item[k.AttributeName] != null);

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
    const tableKeys = table.KeySchema.map((k) => k.AttributeName);
    for (const indexType of ['Local', 'Global'] as const) {
      for (const index of table[`${indexType}SecondaryIndexes`] ?? []) {
        const indexDb = store.getIndexDb(indexType, table.TableName, index.IndexName);
        let key: string | undefined;
        if (hasKeys(item, index)) {
          const attributes =
            index.Projection.ProjectionType === 'ALL'
              ? null
              : [
                  ...index.KeySchema.map((k) => k.AttributeName),
                  ...tableKeys,
                  ...(index.Projection.NonKeyAttributes ?? []),
                ];
          const pieces: Item =
            attributes === null
              ? item
              : Object.fromEntries(attributes.map((name) => [name, item[name] as AttributeValue]));
          const putKey = fullIndexKey(pieces, table, index.KeySchema);
          key = putKey;
          puts.push(() => call((done) => indexDb.put(putKey, pieces, done)));
        }
        if (hasKeys(existingItem, index)) {
          const existingKey = fullIndexKey(existingItem, table, index.KeySchema);
          if (existingKey !== key) deletes.push(() => call((done) => indexDb.del(existingKey, done)));
          // The entry a data folder written before this fix keeps under the short key.
          const legacyKey = shortIndexKey(existingItem, table, index.KeySchema);
          deletes.push(() => call((done) => indexDb.del(legacyKey, done)));
        }
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
