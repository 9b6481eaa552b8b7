import {
  array,
  boolean,
  described,
  coerce,
  email,
  enum as enumOf,
  extend,
  int,
  literal,
  maximum,
  maxLength,
  minimum,
  minLength,
  nonnegative,
  number,
  nullable,
  object,
  optional,
  pick,
  pipe,
  record,
  refine,
  regex,
  string,
  trim,
  union,
  type output,
} from '../../domain/zod.ts';
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
export const OpaqueId = string().check(regex(/^[A-Za-z0-9_-]{1,100}$/, 'an id of letters, digits, _ or -'));

/** A review link id: ≥128 random bits in base64url or hex; anything else cannot be one. */
export const LinkId = string().check(regex(/^[A-Za-z0-9_-]{16,200}$/, 'a review link id'));

const Text = (max: number) => string().check(trim(), minLength(1, 'must not be empty'), maxLength(max));

const YuanOut = described(number().check(nonnegative()), 'yuan, at most two decimals');

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
  tier: described(
    optional(Tier),
    'REGULAR when absent. DISHONEST and SERIOUSLY_DISHONEST follow from recorded facts: 422 TIER_NOT_REGISTRABLE',
  ),
  certifiedOn: described(optional(LocalDate), 'for a certified tier; today when absent; not after today'),
}).check(
  refine(
    (body) =>
      body.certifiedOn === undefined || body.tier === 'ADVANCED_CERTIFIED' || body.tier === 'CERTIFIED',
    { message: 'certifiedOn is only for a certified tier', path: ['certifiedOn'] },
  ),
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
  'idempotency-key': string().check(
    minLength(1, 'the Idempotency-Key header is required'),
    maxLength(255),
    regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
  ),
});

export const CreateApplicationBody = object({ enterpriseId: EnterpriseId, statement: Text(5000) });
export type CreateApplicationBody = output<typeof CreateApplicationBody>;

/** A page size in a query string (text, read as a number). */
const PageSize = pipe(coerce.number(), int().check(minimum(1), maximum(100)));
/** The token of the next page, as a previous page answered it. */
const NextToken = string().check(minLength(1), maxLength(2048));

export const FindEnterprisesQuery = object({
  tier: described(
    optional(Tier),
    'only enterprises of this tier (e.g. the listed: DISHONEST, SERIOUSLY_DISHONEST)',
  ),
  name: described(
    optional(string().check(trim(), minLength(1), maxLength(200))),
    'the start of the name, case- and width-insensitive (NFKC)',
  ),
  limit: described(optional(PageSize), 'page size, 20 when absent'),
  nextToken: optional(NextToken),
});
export type FindEnterprisesQuery = output<typeof FindEnterprisesQuery>;

export const EnterpriseEventsQuery = object({
  limit: described(optional(PageSize), 'page size, 50 when absent'),
  nextToken: optional(NextToken),
});

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

/** The review form a reviewer posts from the confirmation page (urlencoded, no script). */
export const ReviewDecisionForm = object({
  decision: Decision,
  comment: optional(string().check(trim(), maxLength(REVIEW_COMMENT_MAX_LENGTH))),
  nonce: string().check(regex(/^[A-Za-z0-9_-]{16,200}$/, 'the form nonce')),
});
export type ReviewDecisionForm = output<typeof ReviewDecisionForm>;

// ---------------------------------------------------------------------------------------------
// responses

export const HealthResponse = object({ status: literal('ok') });

export const Listing = object({ label: string(), since: LocalDate, until: nullable(LocalDate) });

export const Fact = object({
  id: OpaqueId,
  type: FactType,
  amount: optional(YuanOut),
  imposedOn: optional(LocalDate),
  dueOn: optional(LocalDate),
  paidOn: optional(LocalDate),
  occurredOn: optional(LocalDate),
  recordedAt: Instant,
  policyId: string(),
  voided: described(
    optional(object({ reason: string(), recordedAt: Instant, replacedBy: optional(OpaqueId) })),
    'set when a correction voided this fact; the rules then ignore it',
  ),
});

export const Cause = object({
  id: described(CauseId, 'the cause code and the id of the fact that determined it'),
  code: CauseCode,
  tier: Tier,
  determinedOn: LocalDate,
  factIds: described(array(OpaqueId), 'the facts this cause owns; a fact counts in one cause at most'),
  rectified: boolean(),
  rectifiedOn: nullable(LocalDate),
  minimumMonths: int().check(minimum(0)),
  policyId: described(string(), 'the policy in force on the determination date'),
  listingUntil: described(LocalDate, "the end of this cause's own listing"),
  closed: described(
    optional(object({ kind: ClosureKind, on: LocalDate })),
    'once closed: REPAIRED by an approved application, or LISTING_EXPIRED',
  ),
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
  causes: described(array(Cause), 'every cause determined so far: the active ones, then the closed ones'),
  facts: array(Fact),
  listing: nullable(Listing),
  rectification: nullable(
    object({
      clockStart: described(nullable(LocalDate), 'null while an obligation is outstanding'),
      earliestApplicationOn: nullable(LocalDate),
      minimumMonths: int().check(minimum(0)),
      outstanding: array(Outstanding),
    }),
  ),
  openApplicationId: optional(OpaqueId),
  certifiedOn: optional(LocalDate),
  certificationBarUntil: optional(LocalDate),
  certification: described(
    optional(object({ reviewDueOn: LocalDate, noticeOn: LocalDate, overdue: boolean() })),
    'certified tiers only: the periodic re-review (ACE every 5 years, CE every 3)',
  ),
  version: int().check(minimum(0)),
});

export const FactWithEnterprise = object({ fact: Fact, enterprise: Enterprise });

export const Reviewer = object({
  party: Party,
  name: string(),
  email: email(),
  escalationEmail: email(),
  updatedAt: optional(Instant),
});
export const ReviewerDirectory = object({ items: array(Reviewer) });

const ReviewerContact = object({ name: string(), email: email(), escalationEmail: email() });
const ReviewerChangeFields = {
  id: string(),
  party: Party,
  proposed: ReviewerContact,
  proposedBy: described(
    string(),
    "the proposing officer's subject; `system` for entries set before four eyes",
  ),
  proposedAt: Instant,
  previous: described(
    optional(
      object({
        name: string(),
        email: email(),
        escalationEmail: email(),
        updatedAt: Instant,
        changeId: optional(string()),
      }),
    ),
    'the reviewer the change replaces; absent for a first reviewer',
  ),
  confirmedBy: optional(string()),
  confirmedAt: optional(Instant),
  cancelledBy: optional(string()),
  cancelledAt: optional(Instant),
};
export const ReviewerChange = object({
  ...ReviewerChangeFields,
  status: enumOf(['PENDING', 'CONFIRMED', 'CANCELLED']),
});
export const ProposedReviewerChange = object({ change: ReviewerChange });
export const ConfirmedReviewerChange = object({ reviewer: Reviewer, change: ReviewerChange });
export const ReviewerHistory = object({
  party: Party,
  items: described(
    array(
      object({
        ...ReviewerChangeFields,
        status: described(
          enumOf(['PENDING', 'CONFIRMED', 'CANCELLED', 'ABANDONED']),
          'ABANDONED: a pending change that lost its claim to the party (a concurrent proposal); it never takes effect',
        ),
      }),
    ),
    'every change, oldest first',
  ),
  timeline: described(
    array(object({ at: Instant, type: string(), actor: string(), detail: record(string(), string()) })),
    'every step, with the officer who took it',
  ),
});

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

export const EnterpriseSummary = object({ id: EnterpriseId, name: string(), tier: Tier });
export const EnterpriseList = object({ items: array(EnterpriseSummary), nextToken: optional(string()) });

export const Refusal = object({
  code: RefusalCode,
  tier: described(optional(Tier), 'NOT_DOWNGRADED: the tier held'),
  facts: described(optional(array(Outstanding)), 'OUTSTANDING_OBLIGATIONS: what is still unpaid'),
  earliestApplicationOn: described(
    optional(nullable(LocalDate)),
    'RECTIFICATION_PERIOD_NOT_MET: null while obligations are outstanding',
  ),
  applicationId: described(optional(OpaqueId), 'APPLICATION_OPEN: the open application'),
});

export const EligibilityResponse = object({
  enterpriseId: EnterpriseId,
  asOf: LocalDate,
  eligible: boolean(),
  reasons: described(array(Refusal), 'every rule that refuses an application today'),
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
  detail: optional(
    record(string(), union([union([union([string(), number()]), boolean()]), nullable(string())])),
  ),
});
export const EnterpriseEventList = object({ items: array(EnterpriseEvent), nextToken: optional(string()) });

const ExecutionStatus = enumOf(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']);

export const ApplicationWorkflow = object({
  applicationId: OpaqueId,
  graph: described(
    object({
      startAt: string(),
      states: array(
        object({
          name: string(),
          type: string(),
          parent: described(optional(string()), 'the Map or Parallel state whose iterations run it'),
          end: boolean(),
        }),
      ),
      edges: array(
        object({
          from: string(),
          to: string(),
          kind: enumOf(['next', 'choice', 'default', 'catch']),
          errors: optional(array(string())),
        }),
      ),
    }),
    "the state machine's own definition (DescribeStateMachine) as a graph",
  ),
  executions: array(
    object({ name: string(), status: ExecutionStatus, startedAt: Instant, stoppedAt: optional(Instant) }),
  ),
  status: described(nullable(ExecutionStatus), 'the latest execution’s status; null when no history is kept'),
  visited: described(array(string()), 'states entered, from the execution history'),
  current: described(array(string()), 'states entered and not yet left while the execution runs'),
  transitions: described(
    array(object({ from: string(), to: string() })),
    'each step from one state into the next that an execution took',
  ),
  historyAvailable: boolean(),
});

export const UploadTicket = object({
  evidenceId: OpaqueId,
  upload: object({ url: string(), fields: record(string(), string()) }),
  expiresAt: optional(Instant),
});

export const PublicCredit = object({
  enterpriseId: EnterpriseId,
  name: string(),
  tier: Tier,
  label: string(),
  listing: nullable(Listing),
});
