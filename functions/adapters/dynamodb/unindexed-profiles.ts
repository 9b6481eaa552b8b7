import { paginateScan } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../ports/store/keys.ts';

/**
 * The ids of enterprise profiles without a tier-index entry: those written before the entry
 * existed. A data migration's reader (the embedded runtime on a data folder of an earlier commit,
 * scripts/backfill-enterprise-index.ts on a deployed table): it Scans the whole table, so it runs
 * once, never on a request path.
 */
export async function unindexedEnterpriseIds(
  client: DynamoDBDocumentClient,
  tableName: string,
): Promise<string[]> {
  const ids: string[] = [];
  const pages = paginateScan(
    { client, pageSize: 1000 },
    {
      TableName: tableName,
      FilterExpression: 'sk = :profile AND attribute_not_exists(gsi2pk)',
      ExpressionAttributeValues: { ':profile': keys.enterprise('').sk },
      ProjectionExpression: 'id',
      ConsistentRead: true,
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) if (typeof item['id'] === 'string') ids.push(item['id']);
  }
  return ids;
}
