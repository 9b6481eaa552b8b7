import type { Policy } from '../../domain/policy.ts';

/**
 * The evidence-store port: the applicant uploads each file straight to storage with a presigned
 * POST whose policy pins the key, the exact Content-Type and the size range; the API never proxies
 * file bytes. Submission then checks each object (size and type), because the embedded S3 does not
 * enforce POST policies. Keys are named here, once, for every adapter and for the IAM grants.
 */

/** How long a presigned upload stays valid. */
export const UPLOAD_EXPIRES_SECONDS = 15 * 60;

/** Every evidence key starts with this (the functions' object grants are on it alone). */
export const EVIDENCE_KEY_PREFIX = 'applications/';

/**
 * A file name safe as the last segment of a key and in a Content-Disposition: ASCII letters,
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
  return `${EVIDENCE_KEY_PREFIX}${applicationId}/${evidenceId}/${sanitizeFileName(fileName)}`;
}

export interface UploadRequest {
  readonly applicationId: string;
  readonly evidenceId: string;
  readonly fileName: string;
  /** One the application's policy allows; the upload must then send exactly this Content-Type. */
  readonly contentType: string;
  readonly limits: Policy['evidence'];
  readonly now: Date;
}

export interface EvidenceUpload {
  readonly key: string;
  readonly url: string;
  readonly fields: Record<string, string>;
  readonly expiresAt: string;
}

export type EvidenceObject =
  | { readonly exists: false }
  | { readonly exists: true; readonly size: number; readonly contentType: string | undefined };

export interface EvidenceStore {
  /** A presigned POST for one file: that Content-Type, between 1 byte and the policy's maximum. */
  presignUpload(request: UploadRequest): Promise<EvidenceUpload>;
  /** What storage holds under `key`: size and type, or exists:false while nothing was uploaded. */
  head(key: string): Promise<EvidenceObject>;
}

/** The refusal every adapter gives a content type the policy does not allow (the use case checks first). */
export function assertUploadable(request: UploadRequest): void {
  if (!request.limits.allowedContentTypes.includes(request.contentType)) {
    throw new Error(`content type ${request.contentType} is not allowed for evidence`);
  }
}

/** The instant a presigned upload stops working, for the client to plan by. */
export const uploadExpiresAt = (now: Date): string =>
  new Date(now.getTime() + UPLOAD_EXPIRES_SECONDS * 1000).toISOString();
