import { problem, routeTable, type RouteDefinition } from '../http/route.ts';
import {
  DOCUMENT_LINK_EXPIRES_SECONDS,
  UPLOAD_EXPIRES_SECONDS,
  UPLOAD_TICKETS_PER_DOCUMENT_PER_ROUND,
} from '../ports/evidence-store.ts';
import {
  Application,
  ApplicationList,
  ApplicationPathParams,
  CreateApplicationBody,
  ApplicationWorkflow,
  CreateEnterpriseBody,
  EligibilityResponse,
  Enterprise,
  EnterpriseEventList,
  EnterpriseEventsQuery,
  EnterpriseList,
  FindEnterprisesQuery,
  EnterprisePathParams,
  FactPathParams,
  FactWithEnterprise,
  HealthResponse,
  IdempotencyHeaders,
  ListApplicationsQuery,
  PublicCredit,
  PublicCreditPathParams,
  ConfirmedReviewerChange,
  ProposedReviewerChange,
  PutReviewerBody,
  ReviewerChange,
  ReviewerChangePathParams,
  ReviewerHistory,
  RecordFactBody,
  RecordPaymentBody,
  RequestUploadBody,
  Reviewer,
  SubmitEvidenceBody,
  ReviewerDirectory,
  ReviewerPathParams,
  ReviewDecisionForm,
  ReviewDocumentPathParams,
  ReviewLinkPathParams,
  UploadTicket,
  VoidFactBody,
} from './schemas.ts';

/**
 * THE route table: every route of CONTRACT.md's HTTP API, once. The CDK HTTP API creates one
 * route per entry (JWT authorizer on `jwt` entries), the local gateway serves it, and
 * `GET /openapi.json` is generated from it. Handler modules are named, not imported.
 *
 * `roles` is what the route admits at all; "own applicant" (an applicant acting only for its
 * enterprises) is checked by the handler, which knows the enterprise.
 */

const NOT_FOUND = (what: string) => problem('NOT_FOUND', `no ${what} with that id`);

/** Fact changes rewrite the enterprise profile under a version check, retried a few times. */
const CONCURRENT_UPDATE = problem(
  'CONCURRENT_UPDATE',
  'the enterprise kept changing under concurrent requests; retry',
);

/** The evidence routes act only while evidence is awaited, and only before its deadline. */
const EVIDENCE_STATE_PROBLEMS = [
  problem('WRONG_STATUS', 'the application is not awaiting evidence'),
  problem('DEADLINE_PASSED', 'the evidence deadline has passed (the sweep will expire the application)'),
];

/** How a review link answers when it decides nothing (HTML pages: a person reads them). */
const REVIEW_LINK_PAGES = {
  404: { description: 'no such link', mediaType: 'text/html' },
  409: { description: 'the link was already used: shows the recorded decision', mediaType: 'text/html' },
  410: {
    description:
      'the link expired (review timeout), its round was superseded, or the application was withdrawn or decided',
    mediaType: 'text/html',
  },
} as const;

export const ROUTE = routeTable({
  getHealth: {
    method: 'GET',
    path: '/health',
    module: 'functions/api/health.ts',
    auth: 'public',
    tag: 'service',
    summary: 'Liveness check',
    responses: {
      200: { description: 'the service answers', schema: { name: 'Health', schema: HealthResponse } },
    },
  },
  getOpenApi: {
    method: 'GET',
    path: '/openapi.json',
    module: 'functions/api/openapi.ts',
    auth: 'public',
    tag: 'service',
    summary: 'This OpenAPI 3.1 document',
    responses: { 200: { description: 'the OpenAPI document' } },
  },
  createEnterprise: {
    method: 'POST',
    path: '/enterprises',
    module: 'functions/api/enterprises/create-enterprise.ts',
    auth: 'jwt',
    roles: ['officer'],
    tag: 'enterprises',
    summary: 'Register an enterprise',
    request: { body: { name: 'CreateEnterpriseRequest', schema: CreateEnterpriseBody } },
    responses: { 201: { description: 'the enterprise', schema: { name: 'Enterprise', schema: Enterprise } } },
    problems: [
      problem('ENTERPRISE_EXISTS'),
      problem('TIER_NOT_REGISTRABLE'),
      problem('DATE_IN_FUTURE', 'certifiedOn is after today'),
    ],
  },
  getEnterprise: {
    method: 'GET',
    path: '/enterprises/{id}',
    module: 'functions/api/enterprises/get-enterprise.ts',
    auth: 'jwt',
    roles: ['officer', 'applicant'],
    tag: 'enterprises',
    summary: 'An enterprise with its causes, facts, listing and rectification status',
    request: { params: EnterprisePathParams },
    responses: { 200: { description: 'the enterprise', schema: { name: 'Enterprise', schema: Enterprise } } },
    problems: [NOT_FOUND('enterprise')],
  },
  findEnterprises: {
    method: 'GET',
    path: '/enterprises',
    module: 'functions/api/enterprises/find-enterprises.ts',
    auth: 'jwt',
    roles: ['officer'],
    tag: 'enterprises',
    summary: 'Find enterprises by tier and/or the start of the name, in name order, paginated',
    description:
      'Served by the tier entries of an index (no Scan). An entry whose tier moved by time alone since its last ' +
      'write shows today’s tier, and a tier search leaves it out once it no longer has that tier.',
    request: { query: FindEnterprisesQuery },
    responses: {
      200: {
        description: 'a page of enterprises',
        schema: { name: 'EnterpriseList', schema: EnterpriseList },
      },
    },
    problems: [problem('INVALID_NEXT_TOKEN')],
  },
  getEligibility: {
    method: 'GET',
    path: '/enterprises/{id}/eligibility',
    module: 'functions/api/enterprises/get-eligibility.ts',
    auth: 'jwt',
    roles: ['officer', 'applicant'],
    tag: 'enterprises',
    summary: 'Whether the enterprise may apply today: every refusal reason and the earliest date',
    description: 'The check POST /applications makes, without applying. Changes nothing.',
    request: { params: EnterprisePathParams },
    responses: {
      200: {
        description: 'the eligibility as of today',
        schema: { name: 'Eligibility', schema: EligibilityResponse },
      },
    },
    problems: [NOT_FOUND('enterprise')],
  },
  listEnterpriseEvents: {
    method: 'GET',
    path: '/enterprises/{id}/events',
    module: 'functions/api/enterprises/list-enterprise-events.ts',
    auth: 'jwt',
    roles: ['officer', 'applicant'],
    tag: 'enterprises',
    summary:
      "The enterprise's timeline (tier changes, determinations, notices, listing changes), newest first",
    request: { params: EnterprisePathParams, query: EnterpriseEventsQuery },
    responses: {
      200: {
        description: 'a page of events',
        schema: { name: 'EnterpriseEventList', schema: EnterpriseEventList },
      },
    },
    problems: [NOT_FOUND('enterprise'), problem('INVALID_NEXT_TOKEN')],
  },
  recordFact: {
    method: 'POST',
    path: '/enterprises/{id}/facts',
    module: 'functions/api/enterprises/record-fact.ts',
    auth: 'jwt',
    roles: ['officer'],
    tag: 'enterprises',
    summary:
      'Record a fact (fine, tax assessment, bribery, obstruction, major infraction); the tier is recomputed',
    request: { params: EnterprisePathParams, body: { name: 'RecordFactRequest', schema: RecordFactBody } },
    responses: {
      201: {
        description: 'the fact and the enterprise',
        schema: { name: 'FactWithEnterprise', schema: FactWithEnterprise },
      },
    },
    problems: [
      NOT_FOUND('enterprise'),
      CONCURRENT_UPDATE,
      problem('DATE_IN_FUTURE', 'imposedOn or occurredOn is after today'),
      problem('BEFORE_FIRST_POLICY'),
    ],
    description:
      "A cause the fact determines ends the enterprise's open application at once (REJECTED, NEW_CAUSE_DETERMINED).",
  },
  recordPayment: {
    method: 'POST',
    path: '/enterprises/{id}/facts/{factId}/payment',
    module: 'functions/api/enterprises/record-payment.ts',
    auth: 'jwt',
    roles: ['officer'],
    tag: 'enterprises',
    summary: 'Record the payment of a fine or tax assessment',
    request: { params: FactPathParams, body: { name: 'RecordPaymentRequest', schema: RecordPaymentBody } },
    responses: {
      200: {
        description: 'the fact and the enterprise',
        schema: { name: 'FactWithEnterprise', schema: FactWithEnterprise },
      },
    },
    problems: [
      NOT_FOUND('enterprise or fact'),
      problem('ALREADY_PAID'),
      problem('FACT_VOIDED'),
      CONCURRENT_UPDATE,
      problem('NOT_PAYABLE'),
      problem('PAID_BEFORE_IMPOSED'),
      problem('DATE_IN_FUTURE', 'paidOn is after today'),
    ],
  },
  voidFact: {
    method: 'POST',
    path: '/enterprises/{id}/facts/{factId}/void',
    module: 'functions/api/enterprises/void-fact.ts',
    auth: 'jwt',
    roles: ['officer'],
    tag: 'enterprises',
    summary: 'Void a fact (a correction): it stays on record with the reason, and the rules ignore it',
    request: { params: FactPathParams, body: { name: 'VoidFactRequest', schema: VoidFactBody } },
    responses: {
      200: {
        description: 'the voided fact and the enterprise',
        schema: { name: 'FactWithEnterprise', schema: FactWithEnterprise },
      },
    },
    problems: [NOT_FOUND('enterprise or fact'), problem('ALREADY_VOIDED'), CONCURRENT_UPDATE],
  },
  putReviewer: {
    method: 'PUT',
    path: '/reviewers/{party}',
    module: 'functions/api/reviewers.ts',
    auth: 'jwt',
    roles: ['officer'],
    tag: 'reviewers',
    summary: "Set a party's first reviewer, or propose replacing it (four eyes)",
    description:
      'A party without a reviewer gets this one at once (200). Replacing a reviewer is only proposed (202): ' +
      'it takes effect when a different officer confirms it. The same reviewer again answers 200 and changes nothing.',
    request: { params: ReviewerPathParams, body: { name: 'PutReviewerRequest', schema: PutReviewerBody } },
    responses: {
      200: { description: 'the reviewer, effective', schema: { name: 'Reviewer', schema: Reviewer } },
      202: {
        description: 'the replacement, pending a second officer; the directory is unchanged',
        schema: { name: 'ProposedReviewerChange', schema: ProposedReviewerChange },
      },
    },
    problems: [problem('CHANGE_PENDING')],
  },
  confirmReviewerChange: {
    method: 'POST',
    path: '/reviewers/{party}/changes/{changeId}/confirm',
    module: 'functions/api/reviewers/confirm-reviewer-change.ts',
    auth: 'jwt',
    roles: ['officer'],
    tag: 'reviewers',
    summary: 'Confirm a proposed reviewer change (another officer than its proposer)',
    description:
      'The change takes effect for review rounds that open from now on (links already sent stay with their ' +
      'recipients); the previous reviewer and the escalation contacts are emailed.',
    request: { params: ReviewerChangePathParams },
    responses: {
      200: {
        description: 'the reviewer now effective and the confirmed change',
        schema: { name: 'ConfirmedReviewerChange', schema: ConfirmedReviewerChange },
      },
    },
    problems: [problem('SAME_OFFICER'), NOT_FOUND('change'), problem('CHANGE_DECIDED')],
  },
  cancelReviewerChange: {
    method: 'POST',
    path: '/reviewers/{party}/changes/{changeId}/cancel',
    module: 'functions/api/reviewers.ts',
    auth: 'jwt',
    roles: ['officer'],
    tag: 'reviewers',
    summary: 'Cancel a pending reviewer change (its proposer withdraws it, or another officer refuses it)',
    request: { params: ReviewerChangePathParams },
    responses: {
      200: {
        description: 'the cancelled change; the party is free for a new proposal',
        schema: { name: 'ReviewerChange', schema: ReviewerChange },
      },
    },
    problems: [NOT_FOUND('change'), problem('CHANGE_DECIDED')],
  },
  getReviewerHistory: {
    method: 'GET',
    path: '/reviewers/{party}/history',
    module: 'functions/api/reviewers.ts',
    auth: 'jwt',
    roles: ['officer'],
    tag: 'reviewers',
    summary: "Every change of a party's reviewer, and the audit timeline with the officer of each step",
    request: { params: ReviewerPathParams },
    responses: {
      200: {
        description: 'the history, oldest first',
        schema: { name: 'ReviewerHistory', schema: ReviewerHistory },
      },
    },
  },
  listReviewers: {
    method: 'GET',
    path: '/reviewers',
    module: 'functions/api/reviewers.ts',
    auth: 'jwt',
    roles: ['officer'],
    tag: 'reviewers',
    summary: 'The reviewer directory',
    responses: {
      200: {
        description: 'every party with a reviewer',
        schema: { name: 'ReviewerDirectory', schema: ReviewerDirectory },
      },
    },
  },
  createApplication: {
    method: 'POST',
    path: '/applications',
    module: 'functions/api/applications/create-application.ts',
    auth: 'jwt',
    roles: ['officer', 'applicant'],
    tag: 'applications',
    summary: 'Apply for credit repair',
    description:
      'Requires an Idempotency-Key header: the same key with the same body answers the first response again; ' +
      'with another body 409 IDEMPOTENCY_KEY_REUSED.',
    request: {
      headers: IdempotencyHeaders,
      body: { name: 'CreateApplicationRequest', schema: CreateApplicationBody },
    },
    responses: {
      201: { description: 'the application', schema: { name: 'Application', schema: Application } },
    },
    problems: [
      NOT_FOUND('enterprise'),
      problem('APPLICATION_OPEN'),
      problem('IDEMPOTENCY_KEY_REUSED'),
      problem('IDEMPOTENCY_KEY_IN_PROGRESS'),
      problem('NOT_ELIGIBLE'),
      problem('TOO_MANY_APPLICATIONS'),
    ],
  },
  getApplication: {
    method: 'GET',
    path: '/applications/{id}',
    module: 'functions/api/applications/get-application.ts',
    auth: 'jwt',
    roles: ['officer', 'applicant'],
    tag: 'applications',
    summary: 'An application with its evidence, current reviews and timeline',
    request: { params: ApplicationPathParams },
    responses: {
      200: { description: 'the application', schema: { name: 'Application', schema: Application } },
    },
    problems: [NOT_FOUND('application')],
  },
  getApplicationWorkflow: {
    method: 'GET',
    path: '/applications/{id}/workflow',
    module: 'functions/api/applications/get-application-workflow.ts',
    auth: 'jwt',
    roles: ['officer', 'applicant'],
    tag: 'applications',
    summary:
      "The application's workflow: the state machine's definition with the states its executions visited",
    description:
      'The graph is the deployed definition (DescribeStateMachine); visited and current states come from the ' +
      'execution history (DescribeExecution, GetExecutionHistory).',
    request: { params: ApplicationPathParams },
    responses: {
      200: {
        description: 'the workflow',
        schema: { name: 'ApplicationWorkflow', schema: ApplicationWorkflow },
      },
    },
    problems: [NOT_FOUND('application')],
  },
  listApplications: {
    method: 'GET',
    path: '/applications',
    module: 'functions/api/applications/list-applications.ts',
    auth: 'jwt',
    roles: ['officer', 'applicant'],
    tag: 'applications',
    summary: 'Applications, newest first, paginated with nextToken',
    description: 'Applicants must give an enterpriseId their token names.',
    request: { query: ListApplicationsQuery },
    responses: {
      200: {
        description: 'a page of applications',
        schema: { name: 'ApplicationList', schema: ApplicationList },
      },
    },
    problems: [problem('INVALID_NEXT_TOKEN')],
  },
  requestUpload: {
    method: 'POST',
    path: '/applications/{id}/evidence',
    module: 'functions/api/evidence/request-upload.ts',
    auth: 'jwt',
    roles: ['applicant'],
    tag: 'evidence',
    summary: 'Announce a document and get a presigned POST to upload it',
    request: {
      params: ApplicationPathParams,
      body: { name: 'RequestUploadRequest', schema: RequestUploadBody },
    },
    responses: {
      201: {
        description: 'where to POST the file (multipart form)',
        schema: { name: 'UploadTicket', schema: UploadTicket },
      },
    },
    problems: [
      NOT_FOUND('application'),
      ...EVIDENCE_STATE_PROBLEMS,
      problem('DOCUMENT_NOT_REQUIRED'),
      problem('CONTENT_TYPE_NOT_ALLOWED'),
      problem('EMPTY_FILE'),
      problem('FILE_TOO_LARGE'),
      problem('TOO_MANY_UPLOADS'),
    ],
    description:
      'A refused upload answers 422 with the code of the first rule it breaks (document type, content type, ' +
      'size); `errors` and `issues` name every field at fault. ' +
      `The presigned POST is valid ${UPLOAD_EXPIRES_SECONDS / 60} minutes; its policy pins the key, the ` +
      'Content-Type and the size range (1 byte to the limit). Each document has at most ' +
      `${UPLOAD_TICKETS_PER_DOCUMENT_PER_ROUND} tickets per round (429 TOO_MANY_UPLOADS).`,
  },
  submitEvidence: {
    method: 'POST',
    path: '/applications/{id}/evidence/submit',
    module: 'functions/api/evidence/submit-evidence.ts',
    auth: 'jwt',
    roles: ['applicant'],
    tag: 'evidence',
    summary: 'Submit the uploaded evidence for review',
    description:
      'From round 2 the body carries `response`, what changed since the change requests. Checks, first failure ' +
      'answers: RESPONSE_REQUIRED, then MISSING_DOCUMENTS (a required document with no file), then ' +
      'EVIDENCE_INVALID (one entry per document whose file is not the declared size or type, or is over the ' +
      'limit). Each document is frozen as verified: reviewers open exactly these bytes, whatever is uploaded later.',
    request: {
      params: ApplicationPathParams,
      body: { name: 'SubmitEvidenceRequest', schema: SubmitEvidenceBody, optional: true },
    },
    responses: {
      202: {
        description: 'accepted: the application is under review',
        schema: { name: 'Application', schema: Application },
      },
    },
    problems: [
      NOT_FOUND('application'),
      ...EVIDENCE_STATE_PROBLEMS,
      problem('RESPONSE_REQUIRED'),
      problem('MISSING_DOCUMENTS'),
      problem('EVIDENCE_INVALID'),
    ],
  },
  withdrawApplication: {
    method: 'POST',
    path: '/applications/{id}/withdraw',
    module: 'functions/api/applications/withdraw-application.ts',
    auth: 'jwt',
    roles: ['applicant'],
    tag: 'applications',
    summary: 'Withdraw an open application; its review links stop working',
    request: { params: ApplicationPathParams },
    responses: {
      200: { description: 'the withdrawn application', schema: { name: 'Application', schema: Application } },
    },
    problems: [NOT_FOUND('application'), problem('APPLICATION_FINAL'), problem('ROUND_DECIDED')],
  },
  showReview: {
    method: 'GET',
    path: '/review/{linkId}',
    module: 'functions/api/review/show-review.ts',
    auth: 'public',
    tag: 'review',
    summary: 'Review confirmation page (changes nothing)',
    pages: true,
    request: { params: ReviewLinkPathParams },
    responses: {
      200: { description: 'the confirmation page with a one-time form', mediaType: 'text/html' },
      ...REVIEW_LINK_PAGES,
    },
    problems: [problem('METHOD_NOT_ALLOWED', 'HEAD: a link answers GET (the page) and POST (the form) only')],
  },
  decideReview: {
    method: 'POST',
    path: '/review/{linkId}',
    module: 'functions/api/review/decide-review.ts',
    auth: 'public',
    tag: 'review',
    summary: 'Record a review decision from the confirmation form',
    pages: true,
    maxBodyBytes: 32 * 1024,
    request: {
      params: ReviewLinkPathParams,
      body: {
        name: 'ReviewDecisionForm',
        schema: ReviewDecisionForm,
        mediaType: 'application/x-www-form-urlencoded',
      },
    },
    responses: {
      200: { description: 'the decision was recorded', mediaType: 'text/html' },
      400: {
        description:
          'the form is not valid (decision, nonce, comment length): a page naming the fields; ' +
          'an empty body answers a MALFORMED_FORM problem document',
        mediaType: 'text/html',
      },
      403: {
        description: "the form's nonce is not this link's: reopen the link from the email",
        mediaType: 'text/html',
      },
      ...REVIEW_LINK_PAGES,
      422: {
        description: 'REJECT or REQUEST_CHANGES without a comment: the form again, with the choice kept',
        mediaType: 'text/html',
      },
    },
  },
  openReviewDocument: {
    method: 'GET',
    path: '/review/{linkId}/documents/{evidenceId}',
    module: 'functions/api/review-documents.ts',
    auth: 'public',
    tag: 'review',
    summary: 'Open one document of the review, as it was verified at submission',
    description:
      'While the link can still decide: 302 to a presigned GET of the frozen document, valid ' +
      `${DOCUMENT_LINK_EXPIRES_SECONDS / 60} minutes, answered inline with the verified content type. ` +
      'The link id is in no URL it redirects to.',
    pages: true,
    request: { params: ReviewDocumentPathParams },
    responses: {
      302: { description: 'redirect to the document (Location: its presigned GET)' },
      404: { description: 'no such link, or no such document in the review', mediaType: 'text/html' },
      410: {
        description: 'the link was used, expired, superseded, or its application withdrawn or decided',
        mediaType: 'text/html',
      },
    },
  },
  getPublicCredit: {
    method: 'GET',
    path: '/public/credit/{enterpriseId}',
    module: 'functions/api/public-credit.ts',
    auth: 'public',
    tag: 'public',
    summary: "An enterprise's public credit status",
    description:
      'JSON by default; a bilingual (zh, en) page for a client whose Accept weights text/html above ' +
      'application/json (a browser). An Accept that matches neither, or `*/*`, gets JSON (never 406). ' +
      'Every answer carries `Vary: Accept`.',
    request: { params: PublicCreditPathParams },
    responses: {
      200: { description: 'the public status', schema: { name: 'PublicCredit', schema: PublicCredit } },
    },
    problems: [NOT_FOUND('enterprise')],
    htmlWhenAccepted: {
      200: 'name, customs code, tier in Chinese and English, listing dates',
      404: 'a page saying no enterprise has that customs code',
    },
  },
});

/** Every route, in the table's order (the OpenAPI document's order). */
export const ROUTES: readonly RouteDefinition[] = Object.values(ROUTE);
