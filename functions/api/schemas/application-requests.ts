import {
  described,
  int,
  maxLength,
  minimum,
  minLength,
  object,
  optional,
  regex,
  string,
  type output,
  schema,
} from '../../../domain/zod.ts';
import { ResponseNote } from '../../../domain/lifecycle.ts';
import { POLICY } from '../../../domain/policy.ts';
import { EnterpriseId } from '../../../domain/tiers.ts';
import { ApplicationStatus, DocumentType } from '../../../domain/vocabulary.ts';
import { NextToken, PageSize, Text } from './common.ts';

/**
 * What the application routes accept, apart from their responses (applications.ts): a handler's
 * bundle holds the schemas it parses with, and only the OpenAPI document and the response-schema
 * test read the responses.
 */
/** Header names arrive lower-cased (API Gateway HTTP API does so, and the handler normalises). */
export const IdempotencyHeaders = /* @__PURE__ */ schema(() =>
  object({
    'idempotency-key': string().check(
      minLength(1, 'the Idempotency-Key header is required'),
      maxLength(255),
      regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
    ),
  }),
);

export const CreateApplicationBody = /* @__PURE__ */ schema(() =>
  object({ enterpriseId: EnterpriseId, statement: Text(5000) }),
);
export type CreateApplicationBody = output<typeof CreateApplicationBody>;

export const ListApplicationsQuery = /* @__PURE__ */ schema(() =>
  object({
    enterpriseId: optional(EnterpriseId),
    status: optional(ApplicationStatus),
    limit: described(optional(PageSize), 'page size, 20 when absent'),
    nextToken: optional(NextToken),
  }),
);
export type ListApplicationsQuery = output<typeof ListApplicationsQuery>;

/**
 * The declared upload. Content type and size are only checked for shape here: a well-formed value
 * the document rules refuse (another type, an empty or too large file) is a 422 with the rule's
 * code (CONTENT_TYPE_NOT_ALLOWED, EMPTY_FILE, FILE_TOO_LARGE), not a 400.
 */
export const RequestUploadBody = /* @__PURE__ */ schema(() =>
  object({
    documentType: DocumentType,
    fileName: Text(255).check(regex(/^[^/\\\0]+$/, 'a file name without path separators')),
    contentType: described(
      string().check(minLength(1), maxLength(255)),
      `one of ${POLICY.evidence.allowedContentTypes.join(', ')}`,
    ),
    size: described(int().check(minimum(0)), `bytes; 1 to ${POLICY.evidence.maxBytes}`),
  }),
);
export type RequestUploadBody = output<typeof RequestUploadBody>;

/**
 * POST …/evidence/submit. Round 1 may send no body. From round 2 `response` (what changed since
 * the change requests, RULES.md §6.10) is required: without it 422 RESPONSE_REQUIRED.
 */
export const SubmitEvidenceBody = /* @__PURE__ */ schema(() =>
  optional(
    object({
      response: described(
        optional(ResponseNote),
        'what the applicant changed since the change requests; required from round 2 (422 RESPONSE_REQUIRED)',
      ),
    }),
  ),
);
export type SubmitEvidenceBody = output<typeof SubmitEvidenceBody>;
