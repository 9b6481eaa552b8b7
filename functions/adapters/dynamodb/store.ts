import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../ports/clock.ts';
import type { ItemKey } from '../../ports/store/keys.ts';
import { ReadMeter } from '../../ports/store/read-meter.ts';
import { TABLE_SCHEMA } from '../../ports/store/schema.ts';
import type { Changes, Condition, QuerySpec, StoredItem } from '../../ports/store/store.ts';
import type { RawPage } from '../item-store/item-reader.ts';
import { ItemStore } from '../item-store/item-store.ts';
import type { StartKey } from '../../ports/store/page-token.ts';
import { documentClient } from './client.ts';
import { queryItems, readItem, type DynamoDbTable } from './reads.ts';

/**
 * The store port on DynamoDB (on AWS, and on dynalite in the embedded runtime and the tests): each
 * primitive is one request, every conditional write one ConditionExpression; the reads are
 * reads.ts's, which a function that only reads gets alone (`DynamoDbReader`).
 */

export interface DynamoDbStoreOptions {
  readonly tableName: string;
  readonly clock: Clock;
  /** The document client; the shared one (AWS_ENDPOINT_URL_DYNAMODB) unless given. */
  readonly client?: () => DynamoDBDocumentClient;
  readonly meter?: ReadMeter;
}

const isConditionalCheckFailed = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

export class DynamoDbStore extends ItemStore {
  readonly tableName: string;
  readonly #client: () => DynamoDBDocumentClient;
  readonly #table: DynamoDbTable;

  constructor(options: DynamoDbStoreOptions) {
    const meter = options.meter ?? new ReadMeter();
    super(meter, options.clock);
    this.tableName = options.tableName;
    this.#client = options.client ?? documentClient;
    this.#table = { tableName: this.tableName, client: this.#client, meter };
  }

  withMeter(meter: ReadMeter): DynamoDbStore {
    return new DynamoDbStore({ tableName: this.tableName, clock: this.clock, client: this.#client, meter });
  }

  protected read(key: ItemKey, consistent: boolean): Promise<StoredItem | undefined> {
    return readItem(this.#table, key, consistent);
  }

  protected query(spec: QuerySpec, startKey: StartKey | undefined): Promise<RawPage> {
    return queryItems(this.#table, spec, startKey);
  }

  protected async write(item: StoredItem, onlyIfAbsent: boolean): Promise<boolean> {
    try {
      await this.#client().send(
        new PutCommand({
          TableName: this.tableName,
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

  protected async update(
    key: ItemKey,
    condition: Condition,
    changes: Changes,
    versionStep: number,
  ): Promise<StoredItem | undefined> {
    const expression = updateExpression(condition, changes, versionStep);
    try {
      const out = await this.#client().send(
        new UpdateCommand({
          TableName: this.tableName,
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
