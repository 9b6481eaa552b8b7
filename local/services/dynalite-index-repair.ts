import { createRequire } from 'node:module';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { indexEntries, type Item, type Table } from './dynalite-index-keys.ts';

/**
 * The one-time rebuild of dynalite's secondary-index entries in a data folder written before they
 * were keyed by the whole table key (dynalite-index-keys.ts). There, two items with equal index keys
 * whose short keys collided kept one entry, so one of them was invisible to every query of that
 * index until it was next written. Nothing tells which entries a collision replaced, so every index
 * of every table is rebuilt from the items, the only complete record.
 *
 * Runs before dynalite opens the folder (LevelDB admits one opener). The marker file is written only
 * after the last batch is on disk: a start that stops half-way leaves no marker, and the next start
 * rebuilds again from the items (clearing every entry first makes that the same result). Later
 * starts read the marker and pay nothing else.
 */

/** What the marker file holds; a folder whose marker says this has full-keyed entries only. */
export const INDEX_KEYS_RECORD = { indexKeys: 'full-table-key' } as const;

export interface IndexRepair {
  /** False when the marker was there (or the store is new): nothing was read or written. */
  readonly rebuilt: boolean;
  readonly items: number;
  readonly entries: number;
}

/** LevelDB operations per batch: bounded memory on a large folder. */
const BATCH_SIZE = 1_000;

export interface LevelDatabase {
  open(): Promise<void>;
  close(): Promise<void>;
  keys(range: { gte: string; lt: string }): AsyncIterable<string>;
  iterator(range: { gte: string; lt: string }): AsyncIterable<[string, unknown]>;
  get(key: string): Promise<unknown>;
  batch(
    operations: ({ type: 'del'; key: string } | { type: 'put'; key: string; value: unknown })[],
  ): Promise<void>;
}

// The LevelDB binding dynalite itself opens the folder with (its keys are strings, values JSON).
const dynaliteRequire = createRequire(createRequire(import.meta.url).resolve('dynalite'));
const { Level } = dynaliteRequire('level') as {
  Level: new (path: string, options: { valueEncoding: 'json' }) => LevelDatabase;
};

/** dynalite's LevelDB folder as dynalite opens it (not while a dynalite has it open). */
export async function openDynaliteLevel(path: string): Promise<LevelDatabase> {
  const db = new Level(path, { valueEncoding: 'json' });
  await db.open();
  return db;
}

// dynalite's key layout: `<sublevel>~<key>`. DynamoDB names have no '~', and '\x7f' follows '~',
// so [`<sublevel>~`, `<sublevel>\x7f`) is exactly one sublevel's keys.
const range = (sublevel: string) => ({ gte: `${sublevel}~`, lt: `${sublevel}\x7f` });

export async function repairIndexEntries(options: {
  /** dynalite's LevelDB folder. */
  readonly path: string;
  /** The marker file (in the data folder). */
  readonly marker: string;
}): Promise<IndexRepair> {
  const nothing: IndexRepair = { rebuilt: false, items: 0, entries: 0 };
  if (await isMarked(options.marker)) return nothing;
  if (!(await exists(options.path))) {
    // A new store: dynalite will write full keys only.
    await mark(options.marker);
    return nothing;
  }
  const db = await openDynaliteLevel(options.path);
  let items = 0;
  let entries = 0;
  try {
    const tables: Table[] = [];
    for await (const [, table] of db.iterator(range('table'))) tables.push(table as Table);
    const pending: Parameters<LevelDatabase['batch']>[0] = [];
    const flush = async (limit: number): Promise<void> => {
      if (pending.length >= limit) await db.batch(pending.splice(0));
    };
    for (const table of tables) {
      // Every entry goes, those of an index no longer defined too; the items say what comes back.
      for (const indexType of ['local', 'global']) {
        for await (const key of db.keys(range(`index-${indexType}~${table.TableName}`))) {
          pending.push({ type: 'del', key });
          await flush(BATCH_SIZE);
        }
      }
      await flush(1);
      for await (const [, item] of db.iterator(range(`item-${table.TableName}`))) {
        items++;
        for (const entry of indexEntries(table, item as Item)) {
          entries++;
          pending.push({
            type: 'put',
            key: `index-${entry.indexType.toLowerCase()}~${table.TableName}~${entry.indexName}~${entry.key}`,
            value: entry.value,
          });
        }
        await flush(BATCH_SIZE);
      }
      await flush(1);
    }
  } finally {
    await db.close();
  }
  await mark(options.marker);
  return { rebuilt: true, items, entries };
}

async function isMarked(marker: string): Promise<boolean> {
  try {
    const record = JSON.parse(await readFile(marker, 'utf8')) as unknown;
    return (
      typeof record === 'object' &&
      record !== null &&
      (record as { indexKeys?: unknown }).indexKeys === INDEX_KEYS_RECORD.indexKeys
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    // An unreadable marker (cut short by a crash): rebuilding again is always safe.
    if (error instanceof SyntaxError) return false;
    throw error;
  }
}

async function mark(marker: string): Promise<void> {
  const temporary = `${marker}.tmp`;
  await writeFile(temporary, `${JSON.stringify(INDEX_KEYS_RECORD)}\n`, { mode: 0o600 });
  await rename(temporary, marker);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
