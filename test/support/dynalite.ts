import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTable } from '../../functions/adapters/dynamodb/create-table.ts';
import { DynamoDbStore } from '../../functions/adapters/dynamodb/store.ts';
import { clock } from '../../functions/composition/clock.ts';
import type { Store } from '../../functions/ports/store/store.ts';
import { installFullIndexKeys } from '../../local/services/dynalite-index-keys.ts';

/**
 * A real DynamoDB wire-protocol server for tests: dynalite in memory on a random loopback port, with
 * the project's table created from TABLE_SCHEMA. Start one per test file (it takes milliseconds).
 */

// dynalite is CommonJS without type declarations.
const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (options: {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
  path?: string;
}) => Server;

export const TEST_REGION = 'us-east-1';
export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

export interface RunningDynalite {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  stop(): Promise<void>;
}

export async function startDynalite(
  options: { tableName?: string; path?: string } = {},
): Promise<RunningDynalite> {
  // The embedded runtime's dynalite, index keys included (local/services/dynalite-index-keys.ts).
  installFullIndexKeys();
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.path ? { path: options.path } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const tableName = options.tableName ?? `credit-repair-test-${randomUUID().slice(0, 8)}`;
  await createTable(client, tableName, { pollMs: 5 });
  return {
    endpoint,
    client,
    doc,
    tableName,
    async stop() {
      client.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/**
 * The store port over a table of a dynalite (its own one unless another is named), as the deployed
 * functions see theirs. Step memos are stamped with the composition's clock, as in the handlers.
 */
export const storeOn = (doc: DynamoDBDocumentClient, tableName: string): Store =>
  new DynamoDbStore({ tableName, clock: clock(), client: () => doc });
