import {
  CreateTableCommand,
  DescribeTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { TABLE_SCHEMA } from '../../ports/store/schema.ts';

/**
 * CreateTable input built from TABLE_SCHEMA, for the embedded runtime and tests (the CDK stateful
 * stack builds its table from TABLE_SCHEMA with its own constructs).
 */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const attributes = new Map<string, 'S' | 'N'>();
  const note = (a: { name: string; type: 'S' | 'N' }): void => void attributes.set(a.name, a.type);
  note(TABLE_SCHEMA.partitionKey);
  note(TABLE_SCHEMA.sortKey);
  for (const index of TABLE_SCHEMA.globalSecondaryIndexes) {
    note(index.partitionKey);
    note(index.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    })),
    KeySchema: [
      { AttributeName: TABLE_SCHEMA.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: TABLE_SCHEMA.sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: TABLE_SCHEMA.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}

/**
 * Creates the table unless it exists (the embedded runtime restarts on its persisted data), then
 * waits until it and its indexes are ACTIVE. Returns whether it created the table.
 */
export async function createTable(
  client: DynamoDBClient,
  tableName: string,
  options: { pollMs?: number; maxWaitMs?: number } = {},
): Promise<{ created: boolean }> {
  let created = true;
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (error) {
    if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
    created = false;
  }
  const pollMs = options.pollMs ?? 20;
  const deadline = Date.now() + (options.maxWaitMs ?? 30_000);
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return { created };
    if (Date.now() > deadline) throw new Error(`table ${tableName} did not become ACTIVE`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
