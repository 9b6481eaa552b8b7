import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClient, requiredEnv } from '../aws-clients.ts';
import { ReadMeter } from '../../ports/store/read-meter.ts';
import { TABLE_NAME_ENV } from '../../ports/store/schema.ts';

/** What every store primitive needs: a document client, the table's name, and the read meter. */
export interface TableRef {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly meter: ReadMeter;
}

export function tableRef(doc: DynamoDBDocumentClient, tableName: string, meter = new ReadMeter()): TableRef {
  return { doc, tableName, meter };
}

/** The table a deployed function (or the embedded runtime) uses: the shared client and TABLE_NAME. */
export function tableFromEnv(): TableRef {
  return tableRef(documentClient(), requiredEnv(TABLE_NAME_ENV));
}

/** A stored item: its key, its version (every item written by putNew has one), and its attributes. */
export type StoredItem = Record<string, unknown> & { pk: string; sk: string };
