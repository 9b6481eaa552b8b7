import type { ItemKey } from './keys.ts';
import type { ReadMeter } from './read-meter.ts';
import type { IndexName } from './schema.ts';

/**
 * The store port: one table of items (docs/data-model.md), read and written only through these
 * operations. Every write is one conditional single-item write (DESIGN.md principle 4): a version
 * check, an absent key, or a condition on the item's attributes; there are no transactions and no
 * Scan. The DynamoDB adapter (functions/adapters/dynamodb/store.ts) serves it on AWS and on the
 * embedded runtime; the in-memory adapter (functions/adapters/memory/store.ts) serves fast tests.
 * Both pass one contract suite (test/support/store-contract.ts).
 *
 * A failed condition is never a generic error: putNew and updateVersioned throw ConflictError with
 * its kind, updateIf answers undefined, and the caller decides what that means.
 */

/** A stored item: its key and its attributes (every item written by putNew has a `version`). */
export type StoredItem = Record<string, unknown> & { pk: string; sk: string };

export type SortKeyCondition =
  | { readonly equals: string }
  | { readonly beginsWith: string }
  | { readonly between: readonly [string, string] }
  | { readonly lessOrEqual: string }
  | { readonly greaterOrEqual: string };

export interface QuerySpec {
  /** Omit for the table itself. */
  readonly index?: IndexName;
  /** Value of the (table or index) partition key. */
  readonly partition: string;
  readonly sortKey?: SortKeyCondition;
  /** Descending sort-key order (newest first when the sort key starts with a time). */
  readonly descending?: boolean;
  /** Items per page. */
  readonly limit?: number;
  /** Strongly consistent; not available on global secondary indexes. */
  readonly consistent?: boolean;
}

export interface Page<T> {
  readonly items: T[];
  /** Present when more items may follow; pass back as `nextToken`. */
  readonly nextToken?: string;
  /** Read units this page consumed. */
  readonly readUnits: number;
}

export interface DuePage<T> {
  readonly items: T[];
  readonly nextToken?: string;
  /** Read units this call consumed (the store's ReadMeter keeps the running total). */
  readonly readUnits: number;
}

export interface AppendResult {
  /** false when the same event was already there (a retried step): nothing was written. */
  readonly written: boolean;
}

/** What `updateIf` requires of one attribute of the item. */
export type AttributeCondition =
  | { readonly equals: string | number }
  | { readonly absent: true }
  /** A string (an ISO instant, a date) that sorts after the given one. */
  | { readonly after: string };

/** Conditions on attributes, all of which must hold; the item must exist in any case. */
export type Condition = Readonly<Record<string, AttributeCondition>>;

/**
 * Attribute changes: a value sets the attribute, `undefined` removes it (how an item leaves a
 * sparse index). Key attributes and `version` can never be changed this way.
 */
export type Changes = Readonly<Record<string, unknown>>;

/**
 * The reads of the store port alone: what a route that only reads calls. Its adapters carry only
 * these (functions/adapters/item-store/item-reader.ts), so such a function's bundle holds none of
 * the writes; a Store is one too.
 */
export interface StoreReader {
  /** The read units this store's reads consumed, as DynamoDB reports them. */
  readonly meter: ReadMeter;

  /** One item; strongly consistent by default, because callers read-then-write on it. */
  get<T extends StoredItem = StoredItem>(
    key: ItemKey,
    options?: { consistent?: boolean },
  ): Promise<T | undefined>;

  /** One page of a query by key condition; `nextToken` comes from a previous page of the same query. */
  queryPage<T extends StoredItem = StoredItem>(spec: QuerySpec, nextToken?: string): Promise<Page<T>>;
  /** Every item a query matches, following pages: for bounded partitions (an application's items). */
  queryAll<T extends StoredItem = StoredItem>(spec: QuerySpec): Promise<T[]>;
}

/**
 * The reads and the item writes, without the sweep's due index and the workflow's step memos: what
 * a route that writes items calls. Its adapter (functions/adapters/item-store/item-writer.ts)
 * carries only these; a Store is one too.
 */
export interface StoreWriter extends StoreReader {
  /**
   * Writes an item whole, replacing whatever is under its key, without any condition: for items no
   * decision reads a version of (a party's reviewer: PUT semantics).
   */
  put(item: StoredItem): Promise<void>;
  /** Creates an item at version 1; ConflictError(ALREADY_EXISTS) when the key is taken. */
  putNew<T extends StoredItem>(item: T): Promise<T & { version: number }>;
  /**
   * Changes an item that is at `expectedVersion` and increments its version (by `versions`, 1
   * unless given: a write that records several changes at once stands for one version each);
   * returns the item as written. ConflictError(VERSION_MISMATCH) when it is at another version or
   * absent: the caller reads again and decides again (retryOnConflict).
   */
  updateVersioned<T extends StoredItem = StoredItem>(
    key: ItemKey,
    expectedVersion: number,
    changes: Changes,
    options?: { readonly versions?: number },
  ): Promise<T>;
  /**
   * Changes an existing item only when `condition` holds: a conditional update, such as consuming a
   * single-use link or claiming a free slot. `bumpVersion` increments the version in the same write,
   * so versioned writers of the item see the change. Returns the item as written, or undefined when
   * the item is absent or the condition does not hold (nothing was written).
   */
  updateIf<T extends StoredItem = StoredItem>(
    key: ItemKey,
    condition: Condition,
    changes: Changes,
    options?: { readonly bumpVersion?: boolean },
  ): Promise<T | undefined>;
  /**
   * Appends an audit event under a sort key derived from what happened (never from a random id or
   * the time of a retry), so a retried step writes it once: the same event already stored is
   * `written: false`; another event under its key is ConflictError(EVENT_DIFFERS), a bug to surface.
   */
  appendEvent(
    parentPk: string,
    event: Readonly<Record<string, unknown>> & { sk: string },
  ): Promise<AppendResult>;
}

/** Item creation alone: what a route that only registers something calls. */
export type ItemCreator = Pick<StoreWriter, 'putNew'>;

export interface Store extends StoreWriter {
  /** The same table through a store whose reads count on `meter` (one sweep run's own cost). */
  withMeter(meter: ReadMeter): Store;

  /**
   * Sets (or with null clears) the due date of an existing item without touching its version: the
   * due date is a pointer for the sweep, not a decision. ConflictError when the item is gone.
   */
  setDue(key: ItemKey, dueOn: string | null): Promise<void>;
  /** Items with dueOn <= today from the sparse due index, shard after shard, `limit` per call. */
  queryDue<T extends StoredItem = StoredItem>(
    today: string,
    nextToken?: string,
    options?: { limit?: number },
  ): Promise<DuePage<T>>;

  /**
   * A memoized workflow step (DESIGN.md principle 3): the recorded result of (application, step,
   * round) if there is one, else `fn`'s, recorded once. `fn` must be safe to run twice (two first
   * runs may race; both return the one recorded); results are plain data.
   */
  memoizedStep<T>(applicationId: string, step: string, round: number, fn: () => Promise<T>): Promise<T>;
  /** A step's recorded result, without running anything. */
  recordedStep<T>(applicationId: string, step: string, round: number): Promise<T | undefined>;
}
