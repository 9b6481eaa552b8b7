import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, isConditionalCheckFailed } from '../../ports/store/errors.ts';
import type { ItemKey } from '../../ports/store/keys.ts';
import { TABLE_SCHEMA } from '../../ports/store/schema.ts';
import type { StoredItem, TableRef } from './table.ts';

/**
 * Single-item conditional writes: the unit of consistency (DESIGN.md principle 4). There are no
 * transactions; a change that spans items is ordered so that re-running its step repairs a crash
 * between two writes.
 */

const VERSION = TABLE_SCHEMA.versionAttribute;
const PROTECTED = new Set<string>([TABLE_SCHEMA.partitionKey.name, TABLE_SCHEMA.sortKey.name, VERSION]);

/** Reads one item; strongly consistent by default because callers read-then-write on it. */
export async function getItem<T extends StoredItem = StoredItem>(
  table: TableRef,
  key: ItemKey,
  options: { consistent?: boolean } = {},
): Promise<T | undefined> {
  const out = await table.doc.send(
    new GetCommand({
      TableName: table.tableName,
      Key: { pk: key.pk, sk: key.sk },
      ConsistentRead: options.consistent ?? true,
      ReturnConsumedCapacity: 'INDEXES',
    }),
  );
  table.meter.record(out.ConsumedCapacity);
  return out.Item as T | undefined;
}

/**
 * Creates an item that must not exist yet, at version 1. Throws ConflictError(ALREADY_EXISTS)
 * when the key is taken.
 */
export async function putNew<T extends StoredItem>(
  table: TableRef,
  item: T,
): Promise<T & { version: number }> {
  const written = { ...item, [VERSION]: 1 } as T & { version: number };
  try {
    await table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: written,
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (isConditionalCheckFailed(error)) throw new ConflictError('ALREADY_EXISTS', item, { cause: error });
    throw error;
  }
  return written;
}

/**
 * Changes attributes of an item whose version is `expectedVersion`, and increments the version.
 * A change whose value is `undefined` removes the attribute (how an item leaves a sparse index).
 * Returns the item as written. Throws ConflictError(VERSION_MISMATCH) when the item is at another
 * version or absent: the caller re-reads and decides again.
 */
export async function updateVersioned<T extends StoredItem = StoredItem>(
  table: TableRef,
  key: ItemKey,
  expectedVersion: number,
  changes: Readonly<Record<string, unknown>>,
): Promise<T> {
  const update = buildUpdate(changes);
  update.names['#version'] = VERSION;
  update.values[':expected'] = expectedVersion;
  update.values[':one'] = 1;
  update.sets.push('#version = #version + :one');
  try {
    const out = await table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { pk: key.pk, sk: key.sk },
        UpdateExpression: update.expression(),
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: update.names,
        ExpressionAttributeValues: update.values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return out.Attributes as T;
  } catch (error) {
    if (isConditionalCheckFailed(error)) throw new ConflictError('VERSION_MISMATCH', key, { cause: error });
    throw error;
  }
}

/**
 * Changes attributes of an existing item without a version check and without bumping the
 * version: for attributes no decision depends on (the due-index pair). Throws
 * ConflictError(VERSION_MISMATCH) when the item does not exist, so no half item is ever created.
 */
export async function updateExisting(
  table: TableRef,
  key: ItemKey,
  changes: Readonly<Record<string, unknown>>,
): Promise<void> {
  const update = buildUpdate(changes);
  update.names['#pk'] = TABLE_SCHEMA.partitionKey.name;
  try {
    await table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { pk: key.pk, sk: key.sk },
        UpdateExpression: update.expression(),
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: update.names,
        ...(Object.keys(update.values).length > 0 ? { ExpressionAttributeValues: update.values } : {}),
      }),
    );
  } catch (error) {
    if (isConditionalCheckFailed(error)) throw new ConflictError('VERSION_MISMATCH', key, { cause: error });
    throw error;
  }
}

export interface AppendResult {
  /** false when the same event was already there (a retried step): nothing was written. */
  readonly written: boolean;
}

/**
 * Appends an audit event under a sort key the caller derives from what happened (never from a
 * random id or the time of the retry), so a retried step writes the same event once. An event
 * already stored with the same content is success; with other content it is a ConflictError
 * (EVENT_DIFFERS): two different things claimed the same key, which is a bug to surface.
 */
export async function appendEvent(
  table: TableRef,
  parentPk: string,
  event: Readonly<Record<string, unknown>> & { sk: string },
): Promise<AppendResult> {
  const item: StoredItem = { ...event, pk: parentPk, sk: event.sk };
  try {
    await table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { written: true };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    const existing = await getItem(table, item);
    if (existing && canonicalJson(existing) === canonicalJson(item)) return { written: false };
    throw new ConflictError('EVENT_DIFFERS', item, { cause: error });
  }
}

/** JSON with object keys sorted and undefined members dropped (as removeUndefinedValues stores them). */
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

interface UpdateParts {
  names: Record<string, string>;
  values: Record<string, unknown>;
  sets: string[];
  removes: string[];
  expression(): string;
}

function buildUpdate(changes: Readonly<Record<string, unknown>>): UpdateParts {
  const parts: UpdateParts = {
    names: {},
    values: {},
    sets: [],
    removes: [],
    expression() {
      const clauses: string[] = [];
      if (this.sets.length > 0) clauses.push(`SET ${this.sets.join(', ')}`);
      if (this.removes.length > 0) clauses.push(`REMOVE ${this.removes.join(', ')}`);
      return clauses.join(' ');
    },
  };
  Object.entries(changes).forEach(([attribute, value], i) => {
    if (PROTECTED.has(attribute)) throw new Error(`attribute ${attribute} cannot be changed by an update`);
    parts.names[`#a${i}`] = attribute;
    if (value === undefined) {
      parts.removes.push(`#a${i}`);
    } else {
      parts.values[`:v${i}`] = value;
      parts.sets.push(`#a${i} = :v${i}`);
    }
  });
  return parts;
}
