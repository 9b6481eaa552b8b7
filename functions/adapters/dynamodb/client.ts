import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sharedClient } from '../aws-clients.ts';

/** The DynamoDB clients of the store and idempotency adapters. */
export const dynamoClient = sharedClient(() => new DynamoDBClient({}));

export const documentClient = sharedClient(() =>
  DynamoDBDocumentClient.from(dynamoClient(), { marshallOptions: { removeUndefinedValues: true } }),
);
