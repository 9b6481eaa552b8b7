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
  Store,
  StoredItem,
} from '../../ports/store/store.ts';
import { asStartKey, decodePageToken, encodePageToken, type StartKey } from '../../ports/store/page-token.ts';
import { ItemReader, keyNamesOf, type RawPage } from './item-reader.ts';

/**
 * What both store adapters share: the whole Store port over four primitives (read, write, a
 * conditional update, one query page), which is all a DynamoDB table and a Map each implement. So
 * the versioning, the event and step rules, page tokens and the sharded due index are written once,
 * and the contract suite (test/support/store-contract.ts) checks the primitives of both. The reads
 * and the page tokens are ItemReader's (item-reader.ts), which a function that only reads gets alone.
 */

const VERSION = TABLE_SCHEMA.versionAttribute;
const PROTECTED = new Set<string>([TABLE_SCHEMA.partitionKey.name, TABLE_SCHEMA.sortKey.name, VERSION]);
const DUE_INDEX: IndexName = 'dueIndex';
const DUE_PAGE_LIMIT = 100;

export abstract class ItemStore extends ItemReader implements Store {
  /** Only for the instant a step memo records when it was made. */
  protected readonly clock: Clock;

  protected constructor(meter: ReadMeter, clock: Clock) {
    super(meter);
    this.clock = clock;
  }

  abstract withMeter(meter: ReadMeter): Store;

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
// the due cursor

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
