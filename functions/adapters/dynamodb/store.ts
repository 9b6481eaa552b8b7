import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../ports/clock.ts';
import type { ItemKey } from '../../ports/store/keys.ts';
import { ReadMeter } from '../../ports/store/read-meter.ts';
import type { Changes, Condition, QuerySpec, StoredItem } from '../../ports/store/store.ts';
import type { RawPage } from '../item-store/item-reader.ts';
import { ItemStore } from '../item-store/item-store.ts';
import type { StartKey } from '../../ports/store/page-token.ts';
import { documentClient } from './client.ts';
import { queryItems, readItem, type DynamoDbTable } from './reads.ts';
import { updateItem, writeItem } from './writes.ts';

/**
 * The store port on DynamoDB (on AWS, and on dynalite in the embedded runtime and the tests): each
 * primitive is one request: the reads are reads.ts's and the writes writes.ts's, which a function
 * that needs fewer operations gets alone (`DynamoDbReader`, `DynamoDbWriter`).
 */

export interface DynamoDbStoreOptions {
  readonly tableName: string;
  readonly clock: Clock;
  /** The document client; the shared one (AWS_ENDPOINT_URL_DYNAMODB) unless given. */
  readonly client?: () => DynamoDBDocumentClient;
  readonly meter?: ReadMeter;
}

export class DynamoDbStore extends ItemStore {
  readonly tableName: string;
  readonly #table: DynamoDbTable;

  constructor(options: DynamoDbStoreOptions) {
    const meter = options.meter ?? new ReadMeter();
    super(meter, options.clock);
    this.tableName = options.tableName;
    this.#table = { tableName: options.tableName, client: options.client ?? documentClient, meter };
  }

  withMeter(meter: ReadMeter): DynamoDbStore {
    const { tableName, client } = this.#table;
    return new DynamoDbStore({ tableName, clock: this.clock, client, meter });
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
