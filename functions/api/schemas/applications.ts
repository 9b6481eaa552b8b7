import {
  array,
  boolean,
  described,
  enum as enumOf,
  extend,
  int,
  minimum,
  nullable,
  object,
  optional,
  pick,
  record,
  string,
  union,
  schema,
} from '../../../domain/zod.ts';
import { CauseId } from '../../../domain/classification.ts';
import { Instant, LocalDate } from '../../../domain/dates.ts';
import { EVIDENCE_STATUSES, STORED_DOCUMENT_PROBLEMS } from '../../../domain/documents.ts';
import { EnterpriseId, Tier } from '../../../domain/tiers.ts';
import {
  ApplicationStatus,
  DocumentType,
  OutcomeReason,
  Party,
  ReviewStatus,
} from '../../../domain/vocabulary.ts';
import { OpaqueId } from './common.ts';

/** Applications, their evidence, reviews and timeline on the wire. */
export const Evidence = /* @__PURE__ */ schema(() =>
  object({
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
  }),
);

export const Review = /* @__PURE__ */ schema(() =>
  object({
    party: Party,
    status: ReviewStatus,
    decidedAt: optional(Instant),
    comment: optional(string()),
    deadline: optional(LocalDate),
  }),
);

export const TimelineEntry = /* @__PURE__ */ schema(() =>
  object({
    at: Instant,
    type: string(),
    actor: string(),
    detail: optional(
      record(string(), union([union([union([string(), int()]), boolean()]), nullable(string())])),
    ),
  }),
);

export const Application = /* @__PURE__ */ schema(() =>
  object({
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
  }),
);

export const ApplicationSummary = /* @__PURE__ */ schema(() =>
  pick(Application, {
    id: true,
    enterpriseId: true,
    status: true,
    fromTier: true,
    targetTier: true,
    round: true,
    submittedAt: true,
  }),
);

export const ApplicationListEntry = /* @__PURE__ */ schema(() =>
  extend(ApplicationSummary, {
    deadline: described(
      optional(LocalDate),
      'the last day for the evidence (AWAITING_EVIDENCE) or for the round’s reviews (UNDER_REVIEW)',
    ),
    overdue: described(boolean(), 'today is after the deadline: the day’s sweep expires the application'),
  }),
);

export const ApplicationList = /* @__PURE__ */ schema(() =>
  object({ items: array(ApplicationListEntry), nextToken: optional(string()) }),
);

export const UploadTicket = /* @__PURE__ */ schema(() =>
  object({
    evidenceId: OpaqueId,
    upload: object({ url: string(), fields: record(string(), string()) }),
    expiresAt: optional(Instant),
  }),
);
