import type { Policy } from '../../domain/policy.ts';

/**
 * The evidence-store port: the applicant uploads each file straight to storage with a presigned
 * POST whose policy pins the key, the exact Content-Type and the size range; the API never proxies
 * file bytes. Submission freezes each document: it copies the upload into a prefix no upload
 * ticket can name, then verifies the copy (size, type, first bytes), so what reviewers open is
 * byte for byte what was verified, whatever is POSTed to the upload key later. Keys are named
 * here, once, for every adapter and for the IAM grants.
 */

/** How long a presigned upload stays valid: minutes, so a leaked ticket is soon worth nothing. */
export const UPLOAD_EXPIRES_SECONDS = 5 * 60;

/**
 * Upload tickets one document may have in one round (429 TOO_MANY_UPLOADS beyond): an abuse
 * limit, generous for honest retries, that bounds the objects one applicant can make us store.
 */
export const UPLOAD_TICKETS_PER_DOCUMENT_PER_ROUND = 5;

/** How long the presigned GET a reviewer is redirected to stays valid. */
export const DOCUMENT_LINK_EXPIRES_SECONDS = 5 * 60;

/** Every uploaded evidence key starts with this (the upload grant is on it alone). */
export const EVIDENCE_KEY_PREFIX = 'applications/';

/**
 * Every frozen copy starts with this: only the submit function may write here, and upload tickets
 * are signed by a role that may not, so no applicant can change what reviewers open.
 */
export const FROZEN_KEY_PREFIX = 'frozen/';

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

function keyUnder(prefix: string, applicationId: string, evidenceId: string, fileName: string): string {
  for (const part of [applicationId, evidenceId]) {
    if (!/^[A-Za-z0-9_-]+$/.test(part)) throw new Error('ids in an evidence key are URL-safe tokens');
  }
  return `${prefix}${applicationId}/${evidenceId}/${sanitizeFileName(fileName)}`;
}

/** Where the applicant uploads one document. */
export const evidenceKey = (applicationId: string, evidenceId: string, fileName: string): string =>
  keyUnder(EVIDENCE_KEY_PREFIX, applicationId, evidenceId, fileName);

/** Where submission pins the verified copy of one upload (one copy per upload, whatever the round). */
export const frozenKey = (applicationId: string, evidenceId: string, fileName: string): string =>
  keyUnder(FROZEN_KEY_PREFIX, applicationId, evidenceId, fileName);

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
  | {
      readonly exists: true;
      readonly size: number;
      readonly contentType: string | undefined;
      /** The first SIGNATURE_BYTES bytes (domain/documents.ts), fewer when the file is shorter. */
      readonly firstBytes: Uint8Array;
    };

export interface DocumentLinkRequest {
  readonly key: string;
  /** Named in `Content-Disposition: inline; filename=…` (already a sanitized key segment). */
  readonly fileName: string;
  /** The verified content type, answered as Content-Type. */
  readonly contentType: string;
  readonly now: Date;
}

export interface EvidenceStore {
  /** A presigned POST for one file: that Content-Type, between 1 byte and the policy's maximum. */
  presignUpload(request: UploadRequest): Promise<EvidenceUpload>;
  /**
   * What storage holds under `key`: size, type and first bytes, or exists:false while nothing was
   * uploaded (never an error: evidence requested but not uploaded reads as missing).
   */
  inspect(key: string): Promise<EvidenceObject>;
  /** Copies `from` to `to` as it is now; false when `from` holds nothing (any more). */
  freeze(from: string, to: string): Promise<boolean>;
  /** A presigned GET of `key`, valid DOCUMENT_LINK_EXPIRES_SECONDS, answering inline with that type. */
  presignDocumentLink(
    request: DocumentLinkRequest,
  ): Promise<{ readonly url: string; readonly expiresAt: string }>;
}

/** What a handler that only hands out upload tickets calls. */
export type EvidenceUploads = Pick<EvidenceStore, 'presignUpload'>;

/** What a handler that only looks at uploads calls. */
export type EvidenceInspection = Pick<EvidenceStore, 'inspect'>;

/** What a handler that only opens frozen documents for a reviewer calls. */
export type EvidenceDocumentLinks = Pick<EvidenceStore, 'presignDocumentLink'>;

/** `inline; filename="…"`: the browser shows the document rather than saving it. */
export const inlineDisposition = (fileName: string): string =>
  `inline; filename="${sanitizeFileName(fileName)}"`;

/** The refusal every adapter gives a content type the policy does not allow (the use case checks first). */
export function assertUploadable(request: UploadRequest): void {
  if (!request.limits.allowedContentTypes.includes(request.contentType)) {
    throw new Error(`content type ${request.contentType} is not allowed for evidence`);
  }
}

/** The instant a presigned upload stops working, for the client to plan by. */
export const uploadExpiresAt = (now: Date): string =>
  new Date(now.getTime() + UPLOAD_EXPIRES_SECONDS * 1000).toISOString();
