import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { Policy } from '../../../domain/policy.ts';
import { requiredEnv } from '../../composition/environment.ts';
import { s3Client } from './client.ts';

/**
 * Evidence files: the applicant uploads straight to the bucket with a presigned POST whose policy
 * pins the key, the exact Content-Type and the size range; the API never proxies file bytes.
 * Because the local S3 emulator does not enforce POST policies, submission checks each object with
 * HeadObject (size and type) before the workflow moves on.
 */

export const EVIDENCE_BUCKET_ENV = 'EVIDENCE_BUCKET';
export const UPLOAD_EXPIRES_SECONDS = 15 * 60;

/**
 * A file name safe as the last segment of an S3 key and in a Content-Disposition: ASCII letters,
 * digits, `.`, `_`, `-`; anything else becomes `_`; no leading dots; at most 100 characters,
 * keeping the extension.
 */
export function sanitizeFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  let safe = base
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, '')
    .replace(/_+/g, '_');
  if (safe.length > 100) {
    const dot = safe.lastIndexOf('.');
    const ext = dot > 0 && safe.length - dot <= 10 ? safe.slice(dot) : '';
    safe = safe.slice(0, 100 - ext.length) + ext;
  }
  return safe === '' || /^[._-]+$/.test(safe) ? 'file' : safe;
}

export function evidenceKey(applicationId: string, evidenceId: string, fileName: string): string {
  for (const part of [applicationId, evidenceId]) {
    if (!/^[A-Za-z0-9_-]+$/.test(part)) throw new Error('ids in an evidence key are URL-safe tokens');
  }
  return `applications/${applicationId}/${evidenceId}/${sanitizeFileName(fileName)}`;
}

export interface EvidenceUpload {
  readonly key: string;
  readonly url: string;
  readonly fields: Record<string, string>;
  readonly expiresAt: string;
}

/**
 * A presigned POST for one evidence file. `contentType` must be one the application's policy
 * allows; the upload must then send exactly that Content-Type and between 1 byte and the policy's
 * maximum.
 */
export async function presignEvidenceUpload(input: {
  applicationId: string;
  evidenceId: string;
  fileName: string;
  contentType: string;
  limits: Policy['evidence'];
  now: Date;
}): Promise<EvidenceUpload> {
  if (!input.limits.allowedContentTypes.includes(input.contentType)) {
    throw new Error(`content type ${input.contentType} is not allowed for evidence`);
  }
  const key = evidenceKey(input.applicationId, input.evidenceId, input.fileName);
  const { url, fields } = await createPresignedPost(s3Client(), {
    Bucket: requiredEnv(EVIDENCE_BUCKET_ENV),
    Key: key,
    Conditions: [
      ['eq', '$Content-Type', input.contentType],
      ['content-length-range', 1, input.limits.maxBytes],
    ],
    Fields: { 'Content-Type': input.contentType },
    Expires: UPLOAD_EXPIRES_SECONDS,
  });
  // The signature's expiry follows the system clock; the reported one is for the client to plan by.
  const expiresAt = new Date(input.now.getTime() + UPLOAD_EXPIRES_SECONDS * 1000).toISOString();
  return { key, url, fields, expiresAt };
}

export type EvidenceObject =
  | { readonly exists: false }
  | { readonly exists: true; readonly size: number; readonly contentType: string | undefined };

/**
 * What the bucket holds under `key`: size and type when present (HeadObject), exists:false when not.
 *
 * S3 answers a missing key with 404 only to a caller that may list the bucket; to any other it
 * answers 403 (and a HEAD answer has no body to tell the two apart: the SDK calls it Unknown).
 * The functions may not list the bucket, on purpose: s3:ListBucket cannot be narrowed to a prefix
 * for this check, and would let them enumerate every application's keys. So a 403 here means "not
 * uploaded yet", exactly as s3rver's 404 does. Their s3:GetObject on the key prefix is pinned by
 * the template tests, so a 403 on an object that exists cannot come from a missing grant there.
 */
export async function headEvidence(key: string): Promise<EvidenceObject> {
  try {
    const out = await s3Client().send(
      new HeadObjectCommand({ Bucket: requiredEnv(EVIDENCE_BUCKET_ENV), Key: key }),
    );
    return { exists: true, size: out.ContentLength ?? 0, contentType: out.ContentType };
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (
      error instanceof Error &&
      (error.name === 'NotFound' || error.name === 'NoSuchKey' || status === 404 || status === 403)
    ) {
      return { exists: false };
    }
    throw error;
  }
}
