import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyItemNotFoundError,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import {
  IdempotencyInProgressError,
  IdempotencyKeyReusedError,
  IdempotencyRecordVanishedError,
  IN_PROGRESS_EXPIRY_MS,
  type Idempotency,
  type IdempotentRequest,
} from '../../ports/idempotency.ts';
import { TABLE_SCHEMA } from '../../ports/store/schema.ts';
import { dynamoClient } from './client.ts';

/**
 * The idempotency port on Powertools' idempotency layer, its records on the one table under its own
 * keys: pk `staticPartition`, sk `<name>#<hash of subject and key>`, with the hash of the body to
 * refuse a key reused with another body. The record keys and the stored result are those the layer
 * has always written, so a repeat across a deployment still finds its first answer.
 */

/** How long a key answers with its first response. dynalite has no TTL: Powertools compares itself. */
export const IDEMPOTENCY_EXPIRY_SECONDS = 24 * 60 * 60;

/** What the layer hashes: the caller and its key, and (for validation) the body. */
interface Call {
  readonly subject: string;
  readonly idempotencyKey: string;
  readonly body: unknown;
  readonly run: () => Promise<unknown>;
}

export interface PowertoolsIdempotencyOptions {
  readonly tableName: string;
  /** The partition of every record of this use (the function's only DeleteItem grant is on it). */
  readonly staticPartition: string;
  /** The records' sort-key prefix. */
  readonly name: string;
  readonly client?: () => DynamoDBClient;
}

interface Layer {
  readonly client: DynamoDBClient;
  readonly config: IdempotencyConfig;
  readonly run: (call: Call) => Promise<unknown>;
}

/** What the layer reads of a Lambda context: only the remaining time (see `once`). */
const IN_PROGRESS_WINDOW = { getRemainingTimeInMillis: () => IN_PROGRESS_EXPIRY_MS } as Context;

export class PowertoolsIdempotency implements Idempotency {
  readonly #options: PowertoolsIdempotencyOptions;
  #built: Layer | undefined;

  constructor(options: PowertoolsIdempotencyOptions) {
    this.#options = options;
  }

  /** The wrapped runner, built again when the shared client was (an emulator restarted under a test). */
  #layer(): Layer {
    const client = (this.#options.client ?? dynamoClient)();
    if (this.#built?.client === client) return this.#built;
    const config = new IdempotencyConfig({
      eventKeyJmesPath: '[subject, idempotencyKey]',
      payloadValidationJmesPath: 'body',
      throwOnNoIdempotencyKey: true,
      expiresAfterSeconds: IDEMPOTENCY_EXPIRY_SECONDS,
    });
    const persistenceStore = new DynamoDBPersistenceLayer({
      tableName: this.#options.tableName,
      keyAttr: TABLE_SCHEMA.partitionKey.name,
      sortKeyAttr: TABLE_SCHEMA.sortKey.name,
      // Named here: Powertools' default would derive it from the Lambda function name, which
      // differs between deployments and the embedded runtime.
      staticPkValue: this.#options.staticPartition,
      // The table's TTL attribute (Powertools' default name, stated so the two cannot drift apart):
      // DynamoDB deletes records after their 24 hours; Powertools checks the expiry itself.
      expiryAttr: TABLE_SCHEMA.ttlAttribute,
      awsSdkV3Client: client,
    });
    const run = makeIdempotent((call: Call) => call.run(), {
      persistenceStore,
      config,
      keyPrefix: this.#options.name,
      dataIndexArgument: 0,
    });
    this.#built = { client, config, run };
    return this.#built;
  }

  async once<T>(request: IdempotentRequest, run: () => Promise<T>): Promise<T> {
    const layer = this.#layer();
    // The layer dates an in-progress record's expiry by the invocation's remaining time; a fixed
    // few seconds instead, so a request that died (a crash, a timeout) frees its key within
    // seconds rather than with the function's timeout or never.
    layer.config.registerLambdaContext(IN_PROGRESS_WINDOW);
    try {
      return (await layer.run({
        subject: request.subject,
        idempotencyKey: request.key,
        body: request.body,
        run,
      })) as T;
    } catch (error) {
      if (error instanceof IdempotencyValidationError) throw new IdempotencyKeyReusedError();
      if (error instanceof IdempotencyAlreadyInProgressError) throw new IdempotencyInProgressError();
      if (error instanceof IdempotencyItemNotFoundError)
        throw new IdempotencyRecordVanishedError({ cause: error });
      throw error;
    }
  }
}
