import type { Clock } from '../../ports/clock.ts';
import type { ItemKey } from '../../ports/store/keys.ts';
import { ReadMeter } from '../../ports/store/read-meter.ts';
import type {
  AttributeCondition,
  Changes,
  Condition,
  QuerySpec,
  StoredItem,
} from '../../ports/store/store.ts';
import { keyNamesOf, satisfiesSortKey, type RawPage } from '../item-store/item-reader.ts';
import { ItemStore } from '../item-store/item-store.ts';
import type { StartKey } from '../../ports/store/page-token.ts';

/**
 * The in-memory twin of the DynamoDB store, for use-case tests that need no emulator. It keeps
 * items as the DynamoDB document client stores them (copies, undefined members dropped), applies
 * each primitive whole, but only after yielding to the event loop, so concurrent callers interleave
 * between a read and a write as they do against a real table; it orders queries and pages them with
 * DynamoDB's rules (a page that stops at its limit carries a start key) and counts read units as
 * DynamoDB bills them (4 KB per unit, half for eventually consistent reads).
 */

const READ_UNIT_BYTES = 4096;

/** One table's items, shared by every store over it (withMeter gives another meter, not another table). */
class Items {
  readonly byKey = new Map<string, StoredItem>();
}

const idOf = (key: ItemKey): string => `${key.pk}\u0000${key.sk}`;

/** A copy as DynamoDB would keep it: no undefined members, no functions, nothing shared with the caller. */
function stored<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.filter((v) => v !== undefined && typeof v !== 'function').map(stored) as T;
  }
  if (value instanceof Set) return new Set([...value].filter((v) => v !== undefined)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined && typeof v !== 'function')
        .map(([k, v]) => [k, stored(v)]),
    ) as T;
  }
  return value;
}

/** DynamoDB's item size: attribute names and values in bytes (close enough for counting units). */
function itemBytes(item: StoredItem): number {
  return Buffer.byteLength(JSON.stringify(item), 'utf8');
}

function readUnits(bytes: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(bytes / READ_UNIT_BYTES));
  return consistent ? units : units / 2;
}

function holds(item: StoredItem, attribute: string, check: AttributeCondition): boolean {
  const value = item[attribute];
  if ('absent' in check) return value === undefined;
  if ('equals' in check) return value === check.equals;
  return typeof value === 'string' && value > check.after;
}

/** DynamoDB compares string keys by their UTF-8 bytes. */
const compareKeys = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Lets other callers run first, as a round trip to a service would. */
const roundTrip = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class MemoryStore extends ItemStore {
  readonly #items: Items;

  constructor(options: { clock: Clock; meter?: ReadMeter; items?: Items }) {
    super(options.meter ?? new ReadMeter(), options.clock);
    this.#items = options.items ?? new Items();
  }

  withMeter(meter: ReadMeter): MemoryStore {
    return new MemoryStore({ clock: this.clock, meter, items: this.#items });
  }

  /** Deletes an item, as a crash between two writes leaves one missing (the port deletes nothing). */
  remove(key: ItemKey): void {
    this.#items.byKey.delete(idOf(key));
  }

  /** Every item, for tests that look at what a use case left behind (no Scan in the port itself). */
  allItems(): StoredItem[] {
    return [...this.#items.byKey.values()].map(stored);
  }

  protected async read(key: ItemKey, consistent: boolean): Promise<StoredItem | undefined> {
    await roundTrip();
    const item = this.#items.byKey.get(idOf(key));
    const units = readUnits(item ? itemBytes(item) : 0, consistent);
    this.meter.record({ units, byTarget: { table: units } });
    return item && stored(item);
  }

  protected async write(item: StoredItem, onlyIfAbsent: boolean): Promise<boolean> {
    await roundTrip();
    const id = idOf(item);
    if (onlyIfAbsent && this.#items.byKey.has(id)) return false;
    this.#items.byKey.set(id, stored(item));
    return true;
  }

  protected async update(
    key: ItemKey,
    condition: Condition,
    changes: Changes,
    versionStep: number,
  ): Promise<StoredItem | undefined> {
    await roundTrip();
    const id = idOf(key);
    const current = this.#items.byKey.get(id);
    if (current === undefined) return undefined;
    if (!Object.entries(condition).every(([attribute, check]) => holds(current, attribute, check))) {
      return undefined;
    }
    const next: StoredItem = { ...current };
    for (const [attribute, value] of Object.entries(changes)) {
      if (value === undefined) delete next[attribute];
      else next[attribute] = stored(value);
    }
    if (versionStep > 0) {
      next['version'] = (typeof next['version'] === 'number' ? next['version'] : 0) + versionStep;
    }
    this.#items.byKey.set(id, next);
    return stored(next);
  }

  protected async query(spec: QuerySpec, startKey: StartKey | undefined): Promise<RawPage> {
    await roundTrip();
    const names = keyNamesOf(spec.index);
    // An item is in an index only while it carries both of the index's key attributes (sparse).
    const order = (item: StoredItem): string[] => names.startKey.map((name) => String(item[name]));
    const compare = (a: string[], b: string[]): number => {
      for (let i = 1; i < a.length; i += 1) {
        const byPart = compareKeys(a[i] ?? '', b[i] ?? '');
        if (byPart !== 0) return byPart;
      }
      return 0;
    };
    const direction = spec.descending ? -1 : 1;
    let matches = [...this.#items.byKey.values()]
      .filter(
        (item) =>
          item[names.partition] === spec.partition &&
          typeof item[names.sort] === 'string' &&
          (spec.sortKey === undefined || satisfiesSortKey(item[names.sort] as string, spec.sortKey)),
      )
      .sort((a, b) => direction * compare(order(a), order(b)));
    if (startKey !== undefined) {
      const after = names.startKey.map((name) => startKey[name] ?? '');
      matches = matches.filter((item) => direction * compare(order(item), after) > 0);
    }
    const limit = spec.limit ?? Number.POSITIVE_INFINITY;
    const items = matches.slice(0, limit);
    // Index reads are eventually consistent, and so is a table query unless it asks.
    const consistent = spec.consistent === true && spec.index === undefined;
    const units = readUnits(
      items.reduce((sum, item) => sum + itemBytes(item), 0),
      consistent,
    );
    this.meter.record({ units, byTarget: { [spec.index ? `index:${spec.index}` : 'table']: units } });
    const last = items[items.length - 1];
    // As DynamoDB does: a page that reached its limit says where to go on, even if nothing follows.
    const lastKey =
      last !== undefined && items.length >= limit
        ? (Object.fromEntries(names.startKey.map((name) => [name, String(last[name])])) as StartKey)
        : undefined;
    const page = { items: items.map(stored), readUnits: units };
    return lastKey ? { ...page, lastKey } : page;
  }
}
