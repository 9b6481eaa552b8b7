import * as iam from 'aws-cdk-lib/aws-iam';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { TABLE_NAME_ENV } from '../../functions/composition/environment.ts';
import { TABLE_SCHEMA } from '../../functions/ports/store/schema.ts';

/**
 * DynamoDB actions a function may be granted. Scan, DeleteItem and the batch and transaction calls
 * are deliberately absent: the design has no use for them on any request or workflow path.
 */
export const TABLE_ACTIONS = ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'ConditionCheckItem'] as const;
export type TableAction = (typeof TABLE_ACTIONS)[number];

/** The table ARN and each of its index ARNs, by name (no wildcard). */
export function tableResourceArns(table: ITableV2): string[] {
  return [
    table.tableArn,
    ...TABLE_SCHEMA.globalSecondaryIndexes.map((index) => `${table.tableArn}/index/${index.indexName}`),
  ];
}

/**
 * Grants `fn` exactly `actions` on the table and its indexes, and tells it the table's name.
 * Only Query reads an index, so index ARNs are added only when Query is granted.
 */
export function bindTable(fn: LambdaFunction, table: ITableV2, actions: readonly TableAction[]): void {
  if (actions.length === 0) throw new Error(`bindTable(${fn.node.id}): no actions given`);
  const unique = [...new Set(actions)].sort();
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'Table',
      actions: unique.map((action) => `dynamodb:${action}`),
      resources: unique.includes('Query') ? tableResourceArns(table) : [table.tableArn],
    }),
  );
  fn.addEnvironment(TABLE_NAME_ENV, table.tableName);
}
