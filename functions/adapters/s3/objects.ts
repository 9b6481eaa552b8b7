import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SIGNATURE_BYTES } from '../../../domain/documents.ts';
import type { EvidenceObject } from '../../ports/evidence-store.ts';
import { s3Client } from './client.ts';

/*
 * The evidence store on an S3 bucket (s3rver on this machine), one module per SDK package it needs:
 * objects here (client-s3), upload tickets in uploads.ts (the presigned POST), document links in
 * document-links.ts (the URL presigner); evidence-store.ts assembles the whole port. A handler that
 * needs one operation is given it alone (functions/composition/evidence-*.ts), so its bundle neither
 * holds the others nor loads the SDK packages only they import.
 */

/** The bucket (named when a call needs it: it may read the environment then) and its client. */
export interface S3Bucket {
  readonly name: () => string;
  readonly client: () => S3Client;
}

export const s3Bucket = (bucket: string | (() => string), client: () => S3Client = s3Client): S3Bucket => ({
  name: typeof bucket === 'string' ? () => bucket : bucket,
  client,
});

/**
 * S3 answers a missing key with 404 only to a caller that may list the bucket; to any other it
 * answers 403 (and a HEAD answer has no body to tell the two apart: the SDK calls it Unknown).
 * The functions may not list the bucket, on purpose: s3:ListBucket cannot be narrowed to a prefix
 * for this check, and would let them enumerate every application's keys. So a 403 here means "not
 * uploaded yet", exactly as s3rver's 404 does. Their s3:GetObject on the key prefix is pinned by
 * the template tests, so a 403 on an object that exists cannot come from a missing grant there.
 *
 * One ranged GET reads the size (from Content-Range), the stored type and the first bytes.
 */
export async function inspect(bucket: S3Bucket, key: string): Promise<EvidenceObject> {
  try {
    const out = await bucket
      .client()
      .send(
        new GetObjectCommand({ Bucket: bucket.name(), Key: key, Range: `bytes=0-${SIGNATURE_BYTES - 1}` }),
      );
    const firstBytes = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
    const total = /\/(\d+)$/.exec(out.ContentRange ?? '')?.[1];
    const size = total === undefined ? (out.ContentLength ?? firstBytes.length) : Number(total);
    return { exists: true, size, contentType: out.ContentType, firstBytes };
  } catch (error) {
    if (isMissing(error)) return { exists: false };
    // An empty object has no byte 0 to range over (416): its HEAD tells the rest.
    if (statusOf(error) === 416) return head(bucket, key);
    throw error;
  }
}

async function head(bucket: S3Bucket, key: string): Promise<EvidenceObject> {
  try {
    const out = await bucket.client().send(new HeadObjectCommand({ Bucket: bucket.name(), Key: key }));
    return {
      exists: true,
      size: out.ContentLength ?? 0,
      contentType: out.ContentType,
      firstBytes: new Uint8Array(),
    };
  } catch (error) {
    if (isMissing(error)) return { exists: false };
    throw error;
  }
}

export async function freeze(bucket: S3Bucket, from: string, to: string): Promise<boolean> {
  const name = bucket.name();
  try {
    await bucket.client().send(
      new CopyObjectCommand({
        Bucket: name,
        Key: to,
        CopySource: `${name}/${from}`,
        MetadataDirective: 'COPY',
      }),
    );
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

const statusOf = (error: unknown): number | undefined =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/** Nothing under the key: 404 (NoSuchKey) to a caller that may list the bucket, 403 to any other. */
function isMissing(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = statusOf(error);
  return error.name === 'NotFound' || error.name === 'NoSuchKey' || status === 404 || status === 403;
}
