import {
  array,
  boolean,
  coerce,
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
import { CauseId } from '../../domain/classification.ts';
import { Instant, LocalDate } from '../../domain/dates.ts';
import { FactInput, PaymentInput, VoidInput } from '../../domain/facts.ts';
import { EVIDENCE_STATUSES, STORED_DOCUMENT_PROBLEMS } from '../../domain/documents.ts';
import { ResponseNote } from '../../domain/lifecycle.ts';
import { POLICY } from '../../domain/policy.ts';
import { EnterpriseId, Tier } from '../../domain/tiers.ts';
import {
  ApplicationStatus,
  CauseCode,
  ClosureKind,
  Decision,
  DocumentType,
  FactType,
  OutcomeReason,
  Party,
  RefusalCode,
  REVIEW_COMMENT_MAX_LENGTH,
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
export const ReviewerChangePathParams = object({ party: Party, changeId: OpaqueId });
export const ApplicationPathParams = object({ id: OpaqueId });
export const ReviewLinkPathParams = object({ linkId: LinkId });
export const ReviewDocumentPathParams = object({ linkId: LinkId, evidenceId: OpaqueId });
export const PublicCreditPathParams = object({ enterpriseId: EnterpriseId });

// ---------------------------------------------------------------------------------------------
// requests

export const CreateEnterpriseBody = object({
  id: EnterpriseId,
  name: Text(200),
  contactEmail: email(),
  tier: Tier.optional().describe(
    'REGULAR when absent. DISHONEST and SERIOUSLY_DISHONEST follow from recorded facts: 422 TIER_NOT_REGISTRABLE',
  ),
  certifiedOn: LocalDate.optional().describe('for a certified tier; today when absent; not after today'),
}).refine(
  (body) => body.certifiedOn === undefined || body.tier === 'ADVANCED_CERTIFIED' || body.tier === 'CERTIFIED',
  { message: 'certifiedOn is only for a certified tier', path: ['certifiedOn'] },
);
export type CreateEnterpriseBody = output<typeof CreateEnterpriseBody>;

/**
 * RULES.md §2: which fields each kind of fact carries (the domain's FactInput: each type takes
 * exactly its own fields). Amounts are yuan on the wire, parsed to fen. A date before the oldest
 * policy (2021-11-01) is a rule refusal, 422 BEFORE_FIRST_POLICY, not a malformed body.
 */
export const RecordFactBody = FactInput;
export type RecordFactBody = output<typeof RecordFactBody>;

export const RecordPaymentBody = PaymentInput;
export type RecordPaymentBody = output<typeof RecordPaymentBody>;

/** A correction (RULES.md §2): the fact stays on record as voided, with the reason. */
export const VoidFactBody = VoidInput;
export type VoidFactBody = output<typeof VoidFactBody>;

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

export const FindEnterprisesQuery = object({
  tier: Tier.optional().describe(
    'only enterprises of this tier (e.g. the listed: DISHONEST, SERIOUSLY_DISHONEST)',
  ),
  name: string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe('the start of the name, case- and width-insensitive (NFKC)'),
  limit: coerce.number().pipe(int().min(1).max(100)).optional().describe('page size, 20 when absent'),
  nextToken: string().min(1).max(2048).optional(),
});
export type FindEnterprisesQuery = output<typeof FindEnterprisesQuery>;

export const EnterpriseEventsQuery = object({
  limit: coerce.number().pipe(int().min(1).max(100)).optional().describe('page size, 50 when absent'),
  nextToken: string().min(1).max(2048).optional(),
});

export const ListApplicationsQuery = object({
  enterpriseId: EnterpriseId.optional(),
  status: ApplicationStatus.optional(),
  limit: coerce.number().pipe(int().min(1).max(100)).optional().describe('page size, 20 when absent'),
  nextToken: string().min(1).max(2048).optional(),
});
export type ListApplicationsQuery = output<typeof ListApplicationsQuery>;

/**
 * The declared upload. Content type and size are only checked for shape here: a well-formed value
 * the document rules refuse (another type, an empty or too large file) is a 422 with the rule's
 * code (CONTENT_TYPE_NOT_ALLOWED, EMPTY_FILE, FILE_TOO_LARGE), not a 400.
 */
export const RequestUploadBody = object({
  documentType: DocumentType,
  fileName: Text(255).regex(/^[^/\\\0]+$/, 'a file name without path separators'),
  contentType: string()
    .min(1)
    .max(255)
    .describe(`one of ${POLICY.evidence.allowedContentTypes.join(', ')}`),
  size: int().min(0).describe(`bytes; 1 to ${POLICY.evidence.maxBytes}`),
});
export type RequestUploadBody = output<typeof RequestUploadBody>;

/**
 * POST …/evidence/submit. Round 1 may send no body. From round 2 `response` (what changed since
 * the change requests, RULES.md §6.10) is required: without it 422 RESPONSE_REQUIRED.
 */
export const SubmitEvidenceBody = object({
  response: ResponseNote.optional().describe(
    'what the applicant changed since the change requests; required from round 2 (422 RESPONSE_REQUIRED)',
  ),
}).optional();
export type SubmitEvidenceBody = output<typeof SubmitEvidenceBody>;

/** The review form a reviewer posts from the confirmation page (urlencoded, no script). */
export const ReviewDecisionForm = object({
  decision: Decision,
  comment: string().trim().max(REVIEW_COMMENT_MAX_LENGTH).optional(),
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
  policyId: string(),
  voided: object({ reason: string(), recordedAt: Instant, replacedBy: OpaqueId.optional() })
    .optional()
    .describe('set when a correction voided this fact; the rules then ignore it'),
});

export const Cause = object({
  id: CauseId.describe('the cause code and the id of the fact that determined it'),
  code: CauseCode,
  tier: Tier,
  determinedOn: LocalDate,
  factIds: array(OpaqueId).describe('the facts this cause owns; a fact counts in one cause at most'),
  rectified: boolean(),
  rectifiedOn: nullable(LocalDate),
  minimumMonths: int().min(0),
  policyId: string().describe('the policy in force on the determination date'),
  listingUntil: LocalDate.describe("the end of this cause's own listing"),
  closed: object({ kind: ClosureKind, on: LocalDate })
    .optional()
    .describe('once closed: REPAIRED by an approved application, or LISTING_EXPIRED'),
});

export const Outstanding = object({
  factId: OpaqueId,
  type: enumOf(['FINE', 'TAX_ASSESSMENT']),
  amount: YuanOut,
  dueOn: LocalDate,
});

export const Enterprise = object({
  id: EnterpriseId,
  name: string(),
  contactEmail: email(),
  tier: Tier,
  causes: array(Cause).describe('every cause determined so far: the active ones, then the closed ones'),
  facts: array(Fact),
  listing: nullable(Listing),
  rectification: nullable(
    object({
      clockStart: nullable(LocalDate).describe('null while an obligation is outstanding'),
      earliestApplicationOn: nullable(LocalDate),
      minimumMonths: int().min(0),
      outstanding: array(Outstanding),
    }),
  ),
  openApplicationId: OpaqueId.optional(),
  certifiedOn: LocalDate.optional(),
  certificationBarUntil: LocalDate.optional(),
  certification: object({
    reviewDueOn: LocalDate,
    noticeOn: LocalDate,
    overdue: boolean(),
  })
    .optional()
    .describe('certified tiers only: the periodic re-review (ACE every 5 years, CE every 3)'),
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

const ReviewerContact = object({ name: string(), email: email(), escalationEmail: email() });
const ReviewerChangeFields = {
  id: string(),
  party: Party,
  proposed: ReviewerContact,
  proposedBy: string().describe("the proposing officer's subject; `system` for entries set before four eyes"),
  proposedAt: Instant,
  previous: object({
    name: string(),
    email: email(),
    escalationEmail: email(),
    updatedAt: Instant,
    changeId: string().optional(),
  })
    .optional()
    .describe('the reviewer the change replaces; absent for a first reviewer'),
  confirmedBy: string().optional(),
  confirmedAt: Instant.optional(),
  cancelledBy: string().optional(),
  cancelledAt: Instant.optional(),
};
export const ReviewerChange = object({
  ...ReviewerChangeFields,
  status: enumOf(['PENDING', 'CONFIRMED', 'CANCELLED']),
});
export const ProposedReviewerChange = object({ change: ReviewerChange });
export const ConfirmedReviewerChange = object({ reviewer: Reviewer, change: ReviewerChange });
export const ReviewerHistory = object({
  party: Party,
  items: array(
    object({
      ...ReviewerChangeFields,
      status: enumOf(['PENDING', 'CONFIRMED', 'CANCELLED', 'ABANDONED']).describe(
        'ABANDONED: a pending change that lost its claim to the party (a concurrent proposal); it never takes effect',
      ),
    }),
  ).describe('every change, oldest first'),
  timeline: array(
    object({ at: Instant, type: string(), actor: string(), detail: record(string(), string()) }),
  ).describe('every step, with the officer who took it'),
});

export const Evidence = object({
  evidenceId: OpaqueId,
  documentType: DocumentType,
  fileName: string(),
  contentType: string(),
  size: int(),
  status: enumOf(EVIDENCE_STATUSES).describe(
    'PENDING_UPLOAD: no file yet; UPLOADED: the file is the declared document (frozen for review once submitted); ' +
      'INVALID: the file is not what was declared (`problem` says why)',
  ),
  problem: enumOf(STORED_DOCUMENT_PROBLEMS).optional(),
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
  coveredCauseIds: array(CauseId).describe('the causes the application was accepted for'),
  evidenceDeadline: LocalDate.optional().describe('evidence may be submitted through the end of this day'),
  requiredDocuments: array(DocumentType),
  evidence: array(Evidence),
  reviews: array(Review),
  responses: array(object({ round: int().min(2), response: string(), at: Instant })).describe(
    "the applicant's response with each resubmission",
  ),
  earlierRounds: array(
    object({
      round: int().min(1),
      reviews: array(
        object({
          party: Party,
          status: ReviewStatus,
          decidedAt: Instant.optional(),
          comment: string().optional(),
        }),
      ),
    }),
  ).describe('earlier rounds that ended with change requests'),
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

export const ApplicationListEntry = ApplicationSummary.extend({
  deadline: LocalDate.optional().describe(
    'the last day for the evidence (AWAITING_EVIDENCE) or for the round’s reviews (UNDER_REVIEW)',
  ),
  overdue: boolean().describe('today is after the deadline: the day’s sweep expires the application'),
});

export const ApplicationList = object({ items: array(ApplicationListEntry), nextToken: string().optional() });

export const EnterpriseSummary = object({ id: EnterpriseId, name: string(), tier: Tier });
export const EnterpriseList = object({ items: array(EnterpriseSummary), nextToken: string().optional() });

export const Refusal = object({
  code: RefusalCode,
  tier: Tier.optional().describe('NOT_DOWNGRADED: the tier held'),
  facts: array(Outstanding).optional().describe('OUTSTANDING_OBLIGATIONS: what is still unpaid'),
  earliestApplicationOn: nullable(LocalDate)
    .optional()
    .describe('RECTIFICATION_PERIOD_NOT_MET: null while obligations are outstanding'),
  applicationId: OpaqueId.optional().describe('APPLICATION_OPEN: the open application'),
});

export const EligibilityResponse = object({
  enterpriseId: EnterpriseId,
  asOf: LocalDate,
  eligible: boolean(),
  reasons: array(Refusal).describe('every rule that refuses an application today'),
  earliestApplicationOn: nullable(LocalDate),
  requiredDocuments: array(DocumentType),
  parties: array(Party),
  fromTier: Tier,
  targetTier: Tier,
});

export const EnterpriseEvent = object({
  at: Instant,
  key: string(),
  type: string(),
  actor: string(),
  detail: record(string(), string().or(number()).or(boolean()).or(nullable(string()))).optional(),
});
export const EnterpriseEventList = object({ items: array(EnterpriseEvent), nextToken: string().optional() });

const ExecutionStatus = enumOf(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']);

export const ApplicationWorkflow = object({
  applicationId: OpaqueId,
  graph: object({
    startAt: string(),
    states: array(
      object({
        name: string(),
        type: string(),
        parent: string().optional().describe('the Map or Parallel state whose iterations run it'),
        end: boolean(),
      }),
    ),
    edges: array(
      object({
        from: string(),
        to: string(),
        kind: enumOf(['next', 'choice', 'default', 'catch']),
        errors: array(string()).optional(),
      }),
    ),
  }).describe("the state machine's own definition (DescribeStateMachine) as a graph"),
  executions: array(
    object({ name: string(), status: ExecutionStatus, startedAt: Instant, stoppedAt: Instant.optional() }),
  ),
  status: nullable(ExecutionStatus).describe('the latest execution’s status; null when no history is kept'),
  visited: array(string()).describe('states entered, from the execution history'),
  current: array(string()).describe('states entered and not yet left while the execution runs'),
  transitions: array(object({ from: string(), to: string() })).describe(
    'each step from one state into the next that an execution took',
  ),
  historyAvailable: boolean(),
});

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
