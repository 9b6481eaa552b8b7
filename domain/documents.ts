import * as z from 'zod';
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

export const DocumentUpload = z.object({
  documentType: z.string(),
  contentType: z.string(),
  size: z.number(),
});
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
