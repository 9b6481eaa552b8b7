import type { Clock } from '../../ports/clock.ts';
import { ConflictError, InvalidPageTokenError, lostRace } from '../../ports/store/errors.ts';
import {
  assertLocalDate,
  dueAttributes,
  duePartition,
  DUE_SHARDS,
  keys,
  type ItemKey,
} from '../../ports/store/keys.ts';
import type { ReadMeter } from '../../ports/store/read-meter.ts';
import { TABLE_SCHEMA, type IndexName } from '../../ports/store/schema.ts';
import type {
  AppendResult,
  Changes,
  Condition,
  DuePage,
  Page,
  QuerySpec,
  SortKeyCondition,
  Store,
  StoredItem,
} from '../../ports/store/store.ts';
import { asStartKey, decodePageToken, encodePageToken, type StartKey } from '../../ports/store/page-token.ts';

/**
 * What both store adapters share: the whole Store port over four primitives (read, write, a
 * conditional update, one query page), which is all a DynamoDB table and a Map each implement. So
 * the versioning, the event and step rules, page tokens and the sharded due index are written once,
 * and the contract suite (test/support/store-contract.ts) checks the primitives of both.
 */

export interface RawPage {
  readonly items: StoredItem[];
  /** The key to continue after; present when the page stopped at its limit. */
  readonly lastKey?: StartKey;
  readonly readUnits: number;
}

const VERSION = TABLE_SCHEMA.versionAttribute;
const PROTECTED = new Set<string>([TABLE_SCHEMA.partitionKey.name, TABLE_SCHEMA.sortKey.name, VERSION]);
const DUE_INDEX: IndexName = 'dueIndex';
const DUE_PAGE_LIMIT = 100;

export abstract class ItemStore implements Store {
  readonly meter: ReadMeter;
  /** Only for the instant a step memo records when it was made. */
  protected readonly clock: Clock;

  protected constructor(meter: ReadMeter, clock: Clock) {
    this.meter = meter;
    this.clock = clock;
  }

  abstract withMeter(meter: ReadMeter): Store;

  /** One item by key; records its read on the meter. */
  protected abstract read(key: ItemKey, consistent: boolean): Promise<StoredItem | undefined>;
  /** Writes the item; with `onlyIfAbsent`, only when its key is free (false when it was not). */
  protected abstract write(item: StoredItem, onlyIfAbsent: boolean): Promise<boolean>;
  /**
   * Applies `changes` to an existing item for which `condition` holds, adding `versionStep` (0:
   * none) to its version; the item as written, or undefined when absent or the condition failed.
   */
  protected abstract update(
    key: ItemKey,
    condition: Condition,
    changes: Changes,
    versionStep: number,
  ): Promise<StoredItem | undefined>;
  /** One page of a key-condition query after `startKey`; records its read on the meter. */
  protected abstract query(spec: QuerySpec, startKey: StartKey | undefined): Promise<RawPage>;

  async get<T extends StoredItem = StoredItem>(
    key: ItemKey,
    options: { consistent?: boolean } = {},
  ): Promise<T | undefined> {
    return (await this.read(key, options.consistent ?? true)) as T | undefined;
  }

  async put(item: StoredItem): Promise<void> {
    await this.write(item, false);
  }

  async putNew<T extends StoredItem>(item: T): Promise<T & { version: number }> {
    const written = { ...item, [VERSION]: 1 } as T & { version: number };
    if (!(await this.write(written, true))) throw new ConflictError('ALREADY_EXISTS', item);
    return written;
  }

  async updateVersioned<T extends StoredItem = StoredItem>(
    key: ItemKey,
    expectedVersion: number,
    changes: Changes,
    options: { readonly versions?: number } = {},
  ): Promise<T> {
    assertChangeable(changes);
    const step = options.versions ?? 1;
    if (!Number.isInteger(step) || step < 1) throw new Error(`a versioned write stands for ${step} versions`);
    const written = await this.update(key, { [VERSION]: { equals: expectedVersion } }, changes, step);
    if (written === undefined) throw new ConflictError('VERSION_MISMATCH', key);
    return written as T;
  }

  async updateIf<T extends StoredItem = StoredItem>(
    key: ItemKey,
    condition: Condition,
    changes: Changes,
    options: { readonly bumpVersion?: boolean } = {},
  ): Promise<T | undefined> {
    assertChangeable(changes);
    const bumpVersion = options.bumpVersion ?? false;
    if (Object.keys(changes).length === 0 && !bumpVersion) throw new Error('updateIf needs a change');
    return (await this.update(key, condition, changes, bumpVersion ? 1 : 0)) as T | undefined;
  }

  async appendEvent(
    parentPk: string,
    event: Readonly<Record<string, unknown>> & { sk: string },
  ): Promise<AppendResult> {
    const item: StoredItem = { ...event, pk: parentPk, sk: event.sk };
    if (await this.write(item, true)) return { written: true };
    const existing = await this.read(item, true);
    if (existing && canonicalJson(existing) === canonicalJson(item)) return { written: false };
    throw new ConflictError('EVENT_DIFFERS', item);
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

  async setDue(key: ItemKey, dueOn: string | null): Promise<void> {
    if ((await this.update(key, {}, dueAttributes(key.pk, dueOn), 0)) === undefined) {
      throw new ConflictError('VERSION_MISMATCH', key);
    }
  }

  async queryDue<T extends StoredItem = StoredItem>(
    today: string,
    pageToken?: string,
    options: { limit?: number } = {},
  ): Promise<DuePage<T>> {
    assertLocalDate(today);
    const limit = options.limit ?? DUE_PAGE_LIMIT;
    let cursor: DueCursor | undefined = pageToken === undefined ? { shard: 0 } : parseDueCursor(pageToken);
    const items: StoredItem[] = [];
    let readUnits = 0;
    while (cursor && items.length < limit) {
      const page: RawPage = await this.query(
        {
          index: DUE_INDEX,
          partition: duePartition(cursor.shard),
          sortKey: { lessOrEqual: today },
          limit: limit - items.length,
        },
        cursor.key,
      );
      items.push(...page.items);
      readUnits += page.readUnits;
      cursor = page.lastKey
        ? { shard: cursor.shard, key: page.lastKey }
        : cursor.shard + 1 < DUE_SHARDS
          ? { shard: cursor.shard + 1 }
          : undefined;
    }
    const page = { items: items as T[], readUnits };
    return cursor ? { ...page, nextToken: encodePageToken(cursor) } : page;
  }

  async memoizedStep<T>(
    applicationId: string,
    step: string,
    round: number,
    fn: () => Promise<T>,
  ): Promise<T> {
    const key = keys.step(applicationId, step, round);
    const recorded = await this.read(key, true);
    if (recorded) return recorded.result as T;
    const result = await fn();
    try {
      await this.putNew({ ...key, step, round, result, recordedAt: this.clock.now().toISOString() });
      return result;
    } catch (error) {
      if (!lostRace(error)) throw error;
      // Two first runs raced: the one recorded is every caller's result.
      const winner = await this.read(key, true);
      if (!winner) throw error;
      return winner.result as T;
    }
  }

  async recordedStep<T>(applicationId: string, step: string, round: number): Promise<T | undefined> {
    const recorded = await this.read(keys.step(applicationId, step, round), true);
    return recorded?.result as T | undefined;
  }
}

function assertChangeable(changes: Changes): void {
  for (const attribute of Object.keys(changes)) {
    if (PROTECTED.has(attribute)) throw new Error(`attribute ${attribute} cannot be changed by an update`);
  }
}

/** JSON with object keys sorted and undefined members dropped (as the store keeps items). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      if (v instanceof Set) return [...(v as Set<unknown>)].sort();
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
      );
    }
    return v;
  });
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

interface DueCursor {
  readonly shard: number;
  readonly key?: StartKey;
}

function parseDueCursor(token: string): DueCursor {
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
