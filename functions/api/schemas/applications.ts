import {
  array,
  boolean,
  described,
  enum as enumOf,
  extend,
  int,
  maxLength,
  minimum,
  minLength,
  nullable,
  object,
  optional,
  pick,
  record,
  regex,
  string,
  union,
  type output,
} from '../../../domain/zod.ts';
import { CauseId } from '../../../domain/classification.ts';
import { Instant, LocalDate } from '../../../domain/dates.ts';
import { EVIDENCE_STATUSES, STORED_DOCUMENT_PROBLEMS } from '../../../domain/documents.ts';
import { ResponseNote } from '../../../domain/lifecycle.ts';
import { POLICY } from '../../../domain/policy.ts';
import { EnterpriseId, Tier } from '../../../domain/tiers.ts';
import {
  ApplicationStatus,
  DocumentType,
  OutcomeReason,
  Party,
  ReviewStatus,
} from '../../../domain/vocabulary.ts';
import { OpaqueId, Text, PageSize, NextToken } from './common.ts';

/** Applications, their evidence, reviews and timeline on the wire. */
/** Header names arrive lower-cased (API Gateway HTTP API does so, and the handler normalises). */
export const IdempotencyHeaders = object({
  'idempotency-key': string().check(
    minLength(1, 'the Idempotency-Key header is required'),
    maxLength(255),
    regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
  ),
});

export const CreateApplicationBody = object({ enterpriseId: EnterpriseId, statement: Text(5000) });
export type CreateApplicationBody = output<typeof CreateApplicationBody>;

export const ListApplicationsQuery = object({
  enterpriseId: optional(EnterpriseId),
  status: optional(ApplicationStatus),
  limit: described(optional(PageSize), 'page size, 20 when absent'),
  nextToken: optional(NextToken),
});
export type ListApplicationsQuery = output<typeof ListApplicationsQuery>;

/**
 * The declared upload. Content type and size are only checked for shape here: a well-formed value
 * the document rules refuse (another type, an empty or too large file) is a 422 with the rule's
 * code (CONTENT_TYPE_NOT_ALLOWED, EMPTY_FILE, FILE_TOO_LARGE), not a 400.
 */
export const RequestUploadBody = object({
  documentType: DocumentType,
  fileName: Text(255).check(regex(/^[^/\\\0]+$/, 'a file name without path separators')),
  contentType: described(
    string().check(minLength(1), maxLength(255)),
    `one of ${POLICY.evidence.allowedContentTypes.join(', ')}`,
  ),
  size: described(int().check(minimum(0)), `bytes; 1 to ${POLICY.evidence.maxBytes}`),
});
export type RequestUploadBody = output<typeof RequestUploadBody>;

/**
 * POST …/evidence/submit. Round 1 may send no body. From round 2 `response` (what changed since
 * the change requests, RULES.md §6.10) is required: without it 422 RESPONSE_REQUIRED.
 */
export const SubmitEvidenceBody = optional(
  object({
    response: described(
      optional(ResponseNote),
      'what the applicant changed since the change requests; required from round 2 (422 RESPONSE_REQUIRED)',
    ),
  }),
);
export type SubmitEvidenceBody = output<typeof SubmitEvidenceBody>;

export const Evidence = object({
  evidenceId: OpaqueId,
  documentType: DocumentType,
  fileName: string(),
  contentType: string(),
  size: int(),
  status: described(
    enumOf(EVIDENCE_STATUSES),
    'PENDING_UPLOAD: no file yet; UPLOADED: the file is the declared document (frozen for review once submitted); ' +
      'INVALID: the file is not what was declared (`problem` says why)',
  ),
  problem: optional(enumOf(STORED_DOCUMENT_PROBLEMS)),
  requestedAt: Instant,
  round: int().check(minimum(1)),
});

export const Review = object({
  party: Party,
  status: ReviewStatus,
  decidedAt: optional(Instant),
  comment: optional(string()),
  deadline: optional(LocalDate),
});

export const TimelineEntry = object({
  at: Instant,
  type: string(),
  actor: string(),
  detail: optional(
    record(string(), union([union([union([string(), int()]), boolean()]), nullable(string())])),
  ),
});

export const Application = object({
  id: OpaqueId,
  enterpriseId: EnterpriseId,
  status: ApplicationStatus,
  fromTier: Tier,
  targetTier: Tier,
  round: int().check(minimum(1)),
  submittedAt: Instant,
  policyId: string(),
  coveredCauseIds: described(array(CauseId), 'the causes the application was accepted for'),
  evidenceDeadline: described(optional(LocalDate), 'evidence may be submitted through the end of this day'),
  requiredDocuments: array(DocumentType),
  evidence: array(Evidence),
  reviews: array(Review),
  responses: described(
    array(object({ round: int().check(minimum(2)), response: string(), at: Instant })),
    "the applicant's response with each resubmission",
  ),
  earlierRounds: described(
    array(
      object({
        round: int().check(minimum(1)),
        reviews: array(
          object({
            party: Party,
            status: ReviewStatus,
            decidedAt: optional(Instant),
            comment: optional(string()),
          }),
        ),
      }),
    ),
    'earlier rounds that ended with change requests',
  ),
  outcome: optional(object({ status: ApplicationStatus, reason: OutcomeReason, decidedAt: Instant })),
  timeline: array(TimelineEntry),
});

export const ApplicationSummary = pick(Application, {
  id: true,
  enterpriseId: true,
  status: true,
  fromTier: true,
  targetTier: true,
  round: true,
  submittedAt: true,
});

export const ApplicationListEntry = extend(ApplicationSummary, {
  deadline: described(
    optional(LocalDate),
    'the last day for the evidence (AWAITING_EVIDENCE) or for the round’s reviews (UNDER_REVIEW)',
  ),
  overdue: described(boolean(), 'today is after the deadline: the day’s sweep expires the application'),
});

export const ApplicationList = object({ items: array(ApplicationListEntry), nextToken: optional(string()) });

export const UploadTicket = object({
  evidenceId: OpaqueId,
  upload: object({ url: string(), fields: record(string(), string()) }),
  expiresAt: optional(Instant),
});
