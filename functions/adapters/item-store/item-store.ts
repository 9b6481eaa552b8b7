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
import type { IndexName } from '../../ports/store/schema.ts';
import type { DuePage, Store, StoredItem } from '../../ports/store/store.ts';
import { asStartKey, decodePageToken, encodePageToken, type StartKey } from '../../ports/store/page-token.ts';
import { keyNamesOf, type RawPage } from './item-reader.ts';
import { ItemWriter } from './item-writer.ts';

/**
 * What both store adapters share: the whole Store port over four primitives (read, write, a
 * conditional update, one query page), which is all a DynamoDB table and a Map each implement. So
 * the versioning, the event and step rules, page tokens and the sharded due index are written once,
 * and the contract suite (test/support/store-contract.ts) checks the primitives of both. The reads
 * and the page tokens are ItemReader's (item-reader.ts), the item writes ItemWriter's
 * (item-writer.ts): a function that needs no more gets those alone. Here: the sweep's sharded due
 * index and the workflow's step memos.
 */

const DUE_INDEX: IndexName = 'dueIndex';
const DUE_PAGE_LIMIT = 100;

export abstract class ItemStore extends ItemWriter implements Store {
  /** Only for the instant a step memo records when it was made. */
  protected readonly clock: Clock;

  protected constructor(meter: ReadMeter, clock: Clock) {
    super(meter);
    this.clock = clock;
  }

  abstract withMeter(meter: ReadMeter): Store;

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
