import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ItemKey } from '../../ports/store/keys.ts';
import { TABLE_SCHEMA } from '../../ports/store/schema.ts';
import type { Changes, Condition, QuerySpec, StoredItem } from '../../ports/store/store.ts';
import type { StartKey } from '../../ports/store/page-token.ts';
import type { RawPage } from '../item-store/item-reader.ts';
import { ItemWriter } from '../item-store/item-writer.ts';
import { queryItems, readItem, type DynamoDbTable } from './reads.ts';

/**
 * The write primitives on DynamoDB: each one request, every conditional write one
 * ConditionExpression. The whole store (store.ts) and the writer of a function that needs neither
 * the due index nor the step memos (`DynamoDbWriter`) both write through these.
 */

const isConditionalCheckFailed = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

export async function writeItem(
  table: DynamoDbTable,
  item: StoredItem,
  onlyIfAbsent: boolean,
): Promise<boolean> {
  try {
    await table.client().send(
      new PutCommand({
        TableName: table.tableName,
        Item: item,
        ...(onlyIfAbsent ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
      }),
    );
    return true;
  } catch (error) {
    if (onlyIfAbsent && isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

export async function updateItem(
  table: DynamoDbTable,
  key: ItemKey,
  condition: Condition,
  changes: Changes,
  versionStep: number,
): Promise<StoredItem | undefined> {
  const expression = updateExpression(condition, changes, versionStep);
  try {
    const out = await table.client().send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { pk: key.pk, sk: key.sk },
        UpdateExpression: expression.update,
        ConditionExpression: expression.condition,
        ExpressionAttributeNames: expression.names,
        ...(Object.keys(expression.values).length > 0
          ? { ExpressionAttributeValues: expression.values }
          : {}),
        ReturnValues: 'ALL_NEW',
      }),
    );
    return out.Attributes as StoredItem;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return undefined;
    throw error;
  }
}

/** The reads and item writes of the store port on a DynamoDB table. */
export class DynamoDbWriter extends ItemWriter {
  readonly #table: DynamoDbTable;

  constructor(table: DynamoDbTable) {
    super(table.meter);
    this.#table = table;
  }

  protected read(key: ItemKey, consistent: boolean): Promise<StoredItem | undefined> {
    return readItem(this.#table, key, consistent);
  }

  protected query(spec: QuerySpec, startKey: StartKey | undefined): Promise<RawPage> {
    return queryItems(this.#table, spec, startKey);
  }

  protected write(item: StoredItem, onlyIfAbsent: boolean): Promise<boolean> {
    return writeItem(this.#table, item, onlyIfAbsent);
  }

  protected update(
    key: ItemKey,
    condition: Condition,
    changes: Changes,
    versionStep: number,
  ): Promise<StoredItem | undefined> {
    return updateItem(this.#table, key, condition, changes, versionStep);
  }
}

interface UpdateParts {
  readonly update: string;
  readonly condition: string;
  readonly names: Record<string, string>;
  readonly values: Record<string, unknown>;
}

/**
 * One UpdateItem's expressions: SET for values, REMOVE for undefined, ADD for the version step, and a
 * condition that always requires the item to exist, so an update never creates half an item.
 */
function updateExpression(condition: Condition, changes: Changes, versionStep: number): UpdateParts {
  const names: Record<string, string> = {};
  const aliases = new Map<string, string>();
  const alias = (attribute: string): string => {
    let name = aliases.get(attribute);
    if (name === undefined) {
      name = `#n${aliases.size}`;
      aliases.set(attribute, name);
      names[name] = attribute;
    }
    return name;
  };
  const values: Record<string, unknown> = {};
  const value = (v: unknown): string => {
    const name = `:v${Object.keys(values).length}`;
    values[name] = v;
    return name;
  };
  const sets: string[] = [];
  const removes: string[] = [];
  for (const [attribute, v] of Object.entries(changes)) {
    if (v === undefined) removes.push(alias(attribute));
    else sets.push(`${alias(attribute)} = ${value(v)}`);
  }
  const clauses: string[] = [];
  if (sets.length > 0) clauses.push(`SET ${sets.join(', ')}`);
  if (removes.length > 0) clauses.push(`REMOVE ${removes.join(', ')}`);
  if (versionStep > 0) clauses.push(`ADD ${alias(TABLE_SCHEMA.versionAttribute)} ${value(versionStep)}`);
  const checks = [`attribute_exists(${alias(TABLE_SCHEMA.partitionKey.name)})`];
  for (const [attribute, check] of Object.entries(condition)) {
    if ('absent' in check) checks.push(`attribute_not_exists(${alias(attribute)})`);
    else if ('equals' in check) checks.push(`${alias(attribute)} = ${value(check.equals)}`);
    else checks.push(`${alias(attribute)} > ${value(check.after)}`);
  }
  return { update: clauses.join(' '), condition: checks.join(' AND '), names, values };
}
