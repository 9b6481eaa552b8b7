import { ConflictError } from '../../ports/store/errors.ts';
import type { ItemKey } from '../../ports/store/keys.ts';
import { TABLE_SCHEMA } from '../../ports/store/schema.ts';
import type { AppendResult, Changes, Condition, StoreWriter, StoredItem } from '../../ports/store/store.ts';
import { createItem } from './create-item.ts';
import { ItemReader } from './item-reader.ts';

/**
 * The item writes of the store port (StoreWriter: versioned, conditional and event writes) over
 * two more primitives, a write and a conditional update, written once for every adapter on top of
 * ItemReader's reads. ItemStore (item-store.ts) adds the sweep's due index and the workflow's step
 * memos; a function that writes items but needs neither is given a writer of its own
 * (`DynamoDbWriter`), so its bundle holds neither.
 */

const VERSION = TABLE_SCHEMA.versionAttribute;
const PROTECTED = new Set<string>([TABLE_SCHEMA.partitionKey.name, TABLE_SCHEMA.sortKey.name, VERSION]);

export abstract class ItemWriter extends ItemReader implements StoreWriter {
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

  putNew<T extends StoredItem>(item: T): Promise<T & { version: number }> {
    return createItem((written) => this.write(written, true), item);
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
