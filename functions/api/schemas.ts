import {
  array,
  boolean,
  coerce,
  discriminatedUnion,
  email,
  enum as enumOf,
  int,
  literal,
  number,
  nullable,
  object,
  record,
  string,
  type output,
} from 'zod';
import { Instant, LocalDate } from '../../domain/dates.ts';
import { YuanAmount } from '../../domain/money.ts';
import { POLICY } from '../../domain/policy.ts';
import { EnterpriseId, Tier } from '../../domain/tiers.ts';
import {
  ApplicationStatus,
  CauseCode,
  Decision,
  DocumentType,
  FactType,
  OutcomeReason,
  Party,
  RefusalCode,
  ReviewStatus,
} from '../../domain/vocabulary.ts';

/**
 * The HTTP shapes of every route (CONTRACT.md): what a request may carry and what a response
 * holds. Handlers parse with the request schemas (through `httpHandler`) and build responses that
 * satisfy the response schemas; the route table names both, and the OpenAPI document is generated
 * from them. Domain types stay in `domain/`; these are their projections on the wire.
 *
 * Money on the wire is yuan (a number, or a decimal string in requests) with at most two decimals;
 * requests are parsed to integer fen (`YuanAmount`), responses give yuan as a number.
 */

// ---------------------------------------------------------------------------------------------
// identifiers and scalars

/** Opaque ids minted by the service (applications, facts, evidence): URL-safe, bounded. */
export const OpaqueId = string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'an id of letters, digits, _ or -');

/** A review link id: ≥128 random bits in base64url or hex; anything else cannot be one. */
export const LinkId = string().regex(/^[A-Za-z0-9_-]{16,200}$/, 'a review link id');

const Text = (max: number) => string().trim().min(1, 'must not be empty').max(max);

const YuanOut = number().nonnegative().describe('yuan, at most two decimals');

// ---------------------------------------------------------------------------------------------
// path parameters

export const EnterprisePathParams = object({ id: EnterpriseId });
export const FactPathParams = object({ id: EnterpriseId, factId: OpaqueId });
export const ReviewerPathParams = object({ party: Party });
export const ApplicationPathParams = object({ id: OpaqueId });
export const ReviewLinkPathParams = object({ linkId: LinkId });
export const PublicCreditPathParams = object({ enterpriseId: EnterpriseId });

// ---------------------------------------------------------------------------------------------
// requests

export const CreateEnterpriseBody = object({
  id: EnterpriseId,
  name: Text(200),
  contactEmail: email(),
  tier: Tier.optional().describe('REGULAR when absent; a certified tier needs certifiedOn'),
  certifiedOn: LocalDate.optional(),
}).refine(
  (body) =>
    !(body.tier === 'ADVANCED_CERTIFIED' || body.tier === 'CERTIFIED') || body.certifiedOn !== undefined,
  { message: 'a certified tier needs certifiedOn', path: ['certifiedOn'] },
);
export type CreateEnterpriseBody = output<typeof CreateEnterpriseBody>;

/** A correction: the new fact replaces an earlier one, which stays on record as voided. */
const Voids = object({ factId: OpaqueId, reason: Text(1000) });

/** RULES.md §2: which fields each kind of fact carries. Amounts are parsed to fen. */
export const RecordFactBody = discriminatedUnion('type', [
  object({
    type: literal('FINE'),
    amount: YuanAmount,
    imposedOn: LocalDate,
    dueOn: LocalDate,
    voids: Voids.optional(),
  }),
  object({ type: literal('TAX_ASSESSMENT'), amount: YuanAmount, dueOn: LocalDate, voids: Voids.optional() }),
  object({ type: literal('BRIBERY'), occurredOn: LocalDate, voids: Voids.optional() }),
  object({ type: literal('OBSTRUCTION'), occurredOn: LocalDate, voids: Voids.optional() }),
  object({ type: literal('MAJOR_INFRACTION'), occurredOn: LocalDate, voids: Voids.optional() }),
]);
export type RecordFactBody = output<typeof RecordFactBody>;

export const RecordPaymentBody = object({ paidOn: LocalDate });
export type RecordPaymentBody = output<typeof RecordPaymentBody>;

export const PutReviewerBody = object({ name: Text(200), email: email(), escalationEmail: email() });
export type PutReviewerBody = output<typeof PutReviewerBody>;

/** Header names arrive lower-cased (API Gateway HTTP API does so, and the handler normalises). */
export const IdempotencyHeaders = object({
  'idempotency-key': string()
    .min(1, 'the Idempotency-Key header is required')
    .max(255)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
});

export const CreateApplicationBody = object({ enterpriseId: EnterpriseId, statement: Text(5000) });
export type CreateApplicationBody = output<typeof CreateApplicationBody>;

export const ListApplicationsQuery = object({
  enterpriseId: EnterpriseId.optional(),
  status: ApplicationStatus.optional(),
  limit: coerce.number().pipe(int().min(1).max(100)).optional().describe('page size, 20 when absent'),
  nextToken: string().min(1).max(2048).optional(),
});
export type ListApplicationsQuery = output<typeof ListApplicationsQuery>;

export const RequestUploadBody = object({
  documentType: DocumentType,
  fileName: Text(255).regex(/^[^/\\\0]+$/, 'a file name without path separators'),
  contentType: enumOf(POLICY.evidence.allowedContentTypes as readonly [string, ...string[]]),
  size: int().min(1).max(POLICY.evidence.maxBytes),
});
export type RequestUploadBody = output<typeof RequestUploadBody>;

/** The review form a reviewer posts from the confirmation page (urlencoded, no script). */
export const ReviewDecisionForm = object({
  decision: Decision,
  comment: string().trim().max(4000).optional(),
  nonce: string().regex(/^[A-Za-z0-9_-]{16,200}$/, 'the form nonce'),
});
export type ReviewDecisionForm = output<typeof ReviewDecisionForm>;

// ---------------------------------------------------------------------------------------------
// responses

export const HealthResponse = object({ status: literal('ok') });

export const Listing = object({ label: string(), since: LocalDate, until: nullable(LocalDate) });

export const Fact = object({
  id: OpaqueId,
  type: FactType,
  amount: YuanOut.optional(),
  imposedOn: LocalDate.optional(),
  dueOn: LocalDate.optional(),
  paidOn: LocalDate.optional(),
  occurredOn: LocalDate.optional(),
  recordedAt: Instant,
  voids: Voids.optional(),
  voidedBy: OpaqueId.optional().describe('set when a later correction replaced this fact'),
});

export const Cause = object({
  code: CauseCode,
  tier: Tier,
  determinedOn: LocalDate,
  factIds: array(OpaqueId),
  rectifiedOn: nullable(LocalDate),
  policyId: string(),
});

export const Outstanding = object({ cause: CauseCode, factIds: array(OpaqueId) });

export const Enterprise = object({
  id: EnterpriseId,
  name: string(),
  contactEmail: email(),
  tier: Tier,
  causes: array(Cause),
  facts: array(Fact),
  listing: nullable(Listing),
  rectification: nullable(
    object({ clockStart: LocalDate, earliestApplicationOn: LocalDate, outstanding: array(Outstanding) }),
  ),
  openApplicationId: OpaqueId.optional(),
  certifiedOn: LocalDate.optional(),
  certificationBarUntil: LocalDate.optional(),
  version: int().min(0),
});

export const FactWithEnterprise = object({ fact: Fact, enterprise: Enterprise });

export const Reviewer = object({
  party: Party,
  name: string(),
  email: email(),
  escalationEmail: email(),
  updatedAt: Instant.optional(),
});
export const ReviewerDirectory = object({ items: array(Reviewer) });

export const Evidence = object({
  evidenceId: OpaqueId,
  documentType: DocumentType,
  fileName: string(),
  contentType: string(),
  size: int(),
  status: enumOf(['PENDING_UPLOAD', 'UPLOADED']),
  requestedAt: Instant,
  round: int().min(1),
});

export const Review = object({
  party: Party,
  status: ReviewStatus,
  decidedAt: Instant.optional(),
  comment: string().optional(),
  deadline: LocalDate.optional(),
});

export const TimelineEntry = object({
  at: Instant,
  type: string(),
  actor: string(),
  detail: record(string(), string().or(int()).or(boolean()).or(nullable(string()))).optional(),
});

export const Application = object({
  id: OpaqueId,
  enterpriseId: EnterpriseId,
  status: ApplicationStatus,
  fromTier: Tier,
  targetTier: Tier,
  round: int().min(1),
  submittedAt: Instant,
  policyId: string(),
  evidenceDeadline: LocalDate.optional(),
  requiredDocuments: array(DocumentType),
  evidence: array(Evidence),
  reviews: array(Review),
  outcome: object({ status: ApplicationStatus, reason: OutcomeReason, decidedAt: Instant }).optional(),
  timeline: array(TimelineEntry),
});

export const ApplicationSummary = Application.pick({
  id: true,
  enterpriseId: true,
  status: true,
  fromTier: true,
  targetTier: true,
  round: true,
  submittedAt: true,
});

export const ApplicationList = object({ items: array(ApplicationSummary), nextToken: string().optional() });

export const UploadTicket = object({
  evidenceId: OpaqueId,
  upload: object({ url: string(), fields: record(string(), string()) }),
  expiresAt: Instant.optional(),
});

export const PublicCredit = object({
  enterpriseId: EnterpriseId,
  name: string(),
  tier: Tier,
  label: string(),
  listing: nullable(Listing),
});

/** The members a 422 NOT_ELIGIBLE adds: every refusal reason and, when time is the issue, the date. */
export const RefusalReason = object({ code: RefusalCode, detail: string().optional() });
