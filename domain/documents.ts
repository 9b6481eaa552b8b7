import * as z from './zod.ts';
import type { Policy } from './policy.ts';
import { DOCUMENT_TYPES, DocumentType } from './vocabulary.ts';
import type { CauseCode } from './vocabulary.ts';

/** Documents an application needs (RULES.md §4) and the limits on each upload. */

/**
 * The documents for a set of causes under the policy an application is submitted under: the ones
 * every application needs plus each cause's own, once each, in the canonical order of
 * DOCUMENT_TYPES (so the causes' order does not matter).
 */
export function requiredDocuments(causeCodes: readonly CauseCode[], policy: Policy): DocumentType[] {
  const needed = new Set<DocumentType>([
    ...policy.alwaysRequiredDocuments,
    ...causeCodes.flatMap((code) => policy.causes[code].documents),
  ]);
  return DOCUMENT_TYPES.filter((type) => needed.has(type));
}

export const DocumentUpload = /* @__PURE__ */ z.schema(() =>
  z.object({
    documentType: z.string(),
    contentType: z.string(),
    size: z.number(),
  }),
);
export type DocumentUpload = z.infer<typeof DocumentUpload>;

export const UPLOAD_ISSUE_CODES = [
  'UNKNOWN_DOCUMENT_TYPE',
  'DOCUMENT_NOT_REQUIRED',
  'CONTENT_TYPE_NOT_ALLOWED',
  'EMPTY_FILE',
  'FILE_TOO_LARGE',
] as const;
export type UploadIssueCode = (typeof UPLOAD_ISSUE_CODES)[number];

export interface UploadIssue {
  readonly field: keyof DocumentUpload;
  readonly code: UploadIssueCode;
  readonly message: string;
}

export type UploadCheck =
  | { readonly ok: true; readonly documentType: DocumentType; readonly contentType: string }
  | { readonly ok: false; readonly issues: readonly UploadIssue[] };

/** 'Image/JPEG; charset=binary' → 'image/jpeg': parameters and case do not change what a file is. */
export const normalizeContentType = (contentType: string): string =>
  contentType.replace(/;.*$/s, '').trim().toLowerCase();

/**
 * Checks a declared upload against the policy: a known document type (and, when `required` is
 * given, one this application needs), PDF/JPEG/PNG, 1 byte to the size limit. Every issue is
 * reported, not only the first.
 */
export function validateDocumentUpload(
  upload: DocumentUpload,
  policy: Policy,
  required?: readonly DocumentType[],
): UploadCheck {
  const issues: UploadIssue[] = [];
  const type = DocumentType.safeParse(upload.documentType);
  if (!type.success) {
    issues.push({
      field: 'documentType',
      code: 'UNKNOWN_DOCUMENT_TYPE',
      message: `documentType must be one of ${DOCUMENT_TYPES.join(', ')}`,
    });
  } else if (required !== undefined && !required.includes(type.data)) {
    issues.push({
      field: 'documentType',
      code: 'DOCUMENT_NOT_REQUIRED',
      message: `${type.data} is not among this application's documents`,
    });
  }
  const contentType = normalizeContentType(upload.contentType);
  if (!policy.evidence.allowedContentTypes.includes(contentType)) {
    issues.push({
      field: 'contentType',
      code: 'CONTENT_TYPE_NOT_ALLOWED',
      message: `contentType must be one of ${policy.evidence.allowedContentTypes.join(', ')}`,
    });
  }
  if (!Number.isInteger(upload.size) || upload.size < 1) {
    issues.push({
      field: 'size',
      code: 'EMPTY_FILE',
      message: 'size must be a whole number of bytes, at least 1',
    });
  } else if (upload.size > policy.evidence.maxBytes) {
    issues.push({
      field: 'size',
      code: 'FILE_TOO_LARGE',
      message: `size must be at most ${policy.evidence.maxBytes} bytes`,
    });
  }
  return issues.length === 0 && type.success
    ? { ok: true, documentType: type.data, contentType }
    : { ok: false, issues };
}

/**
 * The first bytes every file of an allowed type starts with (PDF `%PDF-`, the PNG signature, the
 * JPEG start-of-image marker): a file whose bytes do not match its declared type is refused, so a
 * renamed executable or a random blob is never shown to a reviewer as a document.
 */
export const FILE_SIGNATURES: Readonly<Record<string, readonly number[]>> = {
  'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'image/jpeg': [0xff, 0xd8, 0xff],
};

/**
 * How many leading bytes a signature check reads. Marked as the schemas are (domain/zod.ts,
 * `schema`): a bundle that never checks a signature leaves it out.
 */
export const SIGNATURE_BYTES = /* @__PURE__ */ (() =>
  Math.max(...Object.values(FILE_SIGNATURES).map((s) => s.length)))();

/** Whether `firstBytes` begin with the signature of `contentType` (false for a type without one). */
export function matchesSignature(contentType: string, firstBytes: Uint8Array): boolean {
  const signature = FILE_SIGNATURES[normalizeContentType(contentType)];
  if (signature === undefined || firstBytes.length < signature.length) return false;
  return signature.every((byte, index) => firstBytes[index] === byte);
}

/**
 * What an applicant sees of each upload: no file yet, the declared document (frozen for review
 * once submitted), or a file that is not what was declared.
 */
export const EVIDENCE_STATUSES = ['PENDING_UPLOAD', 'UPLOADED', 'INVALID'] as const;
export type EvidenceStatus = (typeof EVIDENCE_STATUSES)[number];

/** Why a stored file is not the document that was declared, in the order they are checked. */
export const STORED_DOCUMENT_PROBLEMS = [
  'FILE_TOO_LARGE',
  'EMPTY_FILE',
  'SIZE_MISMATCH',
  'CONTENT_TYPE_MISMATCH',
  'SIGNATURE_MISMATCH',
] as const;
export type StoredDocumentProblem = (typeof STORED_DOCUMENT_PROBLEMS)[number];

export interface DeclaredDocument {
  readonly size: number;
  readonly contentType: string;
}

export interface StoredDocument {
  readonly size: number;
  /** The Content-Type storage recorded for the object (the upload form's). */
  readonly contentType: string | undefined;
  /** At least the first SIGNATURE_BYTES bytes (fewer only when the file is shorter). */
  readonly firstBytes: Uint8Array;
}

/**
 * Checks a stored file against what the applicant declared and the policy's limits: within the
 * size limit, not empty, exactly the declared size, stored with the declared type, and starting
 * with that type's signature. The first problem found, or null when the file is the document.
 */
export function verifyStoredDocument(
  declared: DeclaredDocument,
  stored: StoredDocument,
  policy: Policy,
): StoredDocumentProblem | null {
  if (stored.size > policy.evidence.maxBytes) return 'FILE_TOO_LARGE';
  if (stored.size < 1) return 'EMPTY_FILE';
  if (stored.size !== declared.size) return 'SIZE_MISMATCH';
  const declaredType = normalizeContentType(declared.contentType);
  if (normalizeContentType(stored.contentType ?? '') !== declaredType) return 'CONTENT_TYPE_MISMATCH';
  if (!matchesSignature(declaredType, stored.firstBytes)) return 'SIGNATURE_MISMATCH';
  return null;
}
