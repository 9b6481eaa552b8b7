import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';

/**
 * The SDK clients every handler shares. They are created on first use, so a Lambda container builds
 * only the ones its handler needs, and the embedded runtime can set its endpoint variables before any
 * handler runs.
 *
 * Endpoints are not configured here: SDK v3 reads `AWS_ENDPOINT_URL_<SERVICE>` (and
 * `AWS_ENDPOINT_URL`) itself (@smithy/core getEndpointUrlConfig: the service id upper-cased,
 * spaces to underscores: DYNAMODB, S3, SFN, SESV2, EVENTBRIDGE). On Lambda they are unset and the
 * clients go to the regional AWS endpoints; the embedded runtime sets them to its loopback services.
 * The only endpoint-dependent choice is S3 path-style addressing, which an emulator on loopback
 * needs (no virtual-host DNS for `<bucket>.127.0.0.1`).
 */

interface Clients {
  dynamo?: DynamoDBClient;
  doc?: DynamoDBDocumentClient;
  s3?: S3Client;
  sfn?: SFNClient;
  ses?: SESv2Client;
  events?: EventBridgeClient;
}

let clients: Clients = {};

export function dynamoClient(): DynamoDBClient {
  clients.dynamo ??= new DynamoDBClient({});
  return clients.dynamo;
}

export function documentClient(): DynamoDBDocumentClient {
  clients.doc ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return clients.doc;
}

export function s3Client(): S3Client {
  clients.s3 ??= new S3Client({
    // Presigned POSTs and plain PUT/HEAD need no flexible checksums; sending them breaks emulators.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3),
  });
  return clients.s3;
}

export function sfnClient(): SFNClient {
  clients.sfn ??= new SFNClient({});
  return clients.sfn;
}

export function sesClient(): SESv2Client {
  clients.ses ??= new SESv2Client({});
  return clients.ses;
}

export function eventBridgeClient(): EventBridgeClient {
  clients.events ??= new EventBridgeClient({});
  return clients.events;
}

/**
 * Drops every shared client so the next use builds it from the current environment. For the
 * embedded runtime's composition root and for tests that point the SDK at a fresh emulator.
 */
export function resetAwsClients(): void {
  const old = clients;
  clients = {};
  old.doc?.destroy();
  old.dynamo?.destroy();
  old.s3?.destroy();
  old.sfn?.destroy();
  old.ses?.destroy();
  old.events?.destroy();
}

/** Reads a required environment variable, naming it when missing (a deployment error, not a client one). */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`environment variable ${name} is not set`);
  return value;
}
