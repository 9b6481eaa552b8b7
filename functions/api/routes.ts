import type { RouteDefinition } from '../http/route.ts';
import {
  Application,
  ApplicationList,
  ApplicationPathParams,
  CreateApplicationBody,
  CreateEnterpriseBody,
  Enterprise,
  EnterprisePathParams,
  FactPathParams,
  FactWithEnterprise,
  HealthResponse,
  IdempotencyHeaders,
  ListApplicationsQuery,
  PublicCredit,
  PublicCreditPathParams,
  PutReviewerBody,
  RecordFactBody,
  RecordPaymentBody,
  RequestUploadBody,
  Reviewer,
  SubmitEvidenceBody,
  ReviewerDirectory,
  ReviewerPathParams,
  ReviewDecisionForm,
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

const NOT_FOUND = (what: string) => ({
  status: 404,
  code: 'NOT_FOUND',
  description: `no ${what} with that id`,
});

/** Fact changes rewrite the enterprise profile under a version check, retried a few times. */
const CONCURRENT_UPDATE = {
  status: 409,
  code: 'CONCURRENT_UPDATE',
  description: 'the enterprise kept changing under concurrent requests; retry',
};

/** The evidence routes act only while evidence is awaited, and only before its deadline. */
const EVIDENCE_STATE_PROBLEMS = [
  { status: 409, code: 'WRONG_STATUS', description: 'the application is not awaiting evidence' },
  {
    status: 409,
    code: 'DEADLINE_PASSED',
    description: 'the evidence deadline has passed (the sweep will expire the application)',
  },
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

export const ROUTES: readonly RouteDefinition[] = [
  {
    method: 'GET',
    path: '/health',
    module: 'functions/api/health.ts',
    exportName: 'getHealth',
    auth: 'public',
    tag: 'service',
    summary: 'Liveness check',
    responses: {
      200: { description: 'the service answers', schema: { name: 'Health', schema: HealthResponse } },
    },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    module: 'functions/api/openapi.ts',
    exportName: 'getOpenApi',
    auth: 'public',
    tag: 'service',
    summary: 'This OpenAPI 3.1 document',
    responses: { 200: { description: 'the OpenAPI document' } },
  },
  {
    method: 'POST',
    path: '/enterprises',
    module: 'functions/api/enterprises.ts',
    exportName: 'createEnterprise',
    auth: 'jwt',
    roles: ['officer'],
    tag: 'enterprises',
    summary: 'Register an enterprise',
    request: { body: { name: 'CreateEnterpriseRequest', schema: CreateEnterpriseBody } },
    responses: { 201: { description: 'the enterprise', schema: { name: 'Enterprise', schema: Enterprise } } },
    problems: [
      { status: 409, code: 'ENTERPRISE_EXISTS', description: 'an enterprise with that id exists' },
      {
        status: 422,
        code: 'TIER_NOT_REGISTRABLE',
        description: 'DISHONEST and SERIOUSLY_DISHONEST follow from recorded facts and cannot be registered',
      },
      { status: 422, code: 'DATE_IN_FUTURE', description: 'certifiedOn is after today' },
    ],
  },
  {
    method: 'GET',
    path: '/enterprises/{id}',
    module: 'functions/api/enterprises.ts',
    exportName: 'getEnterprise',
    auth: 'jwt',
    roles: ['officer', 'applicant'],
    tag: 'enterprises',
    summary: 'An enterprise with its causes, facts, listing and rectification status',
    request: { params: EnterprisePathParams },
    responses: { 200: { description: 'the enterprise', schema: { name: 'Enterprise', schema: Enterprise } } },
    problems: [NOT_FOUND('enterprise')],
  },
  {
    method: 'POST',
    path: '/enterprises/{id}/facts',
    module: 'functions/api/enterprises.ts',
    exportName: 'recordFact',
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
      { status: 422, code: 'DATE_IN_FUTURE', description: 'imposedOn or occurredOn is after today' },
      {
        status: 422,
        code: 'BEFORE_FIRST_POLICY',
        description:
          'a date (imposedOn, dueOn, occurredOn) is before 2021-11-01, when the oldest policy took effect',
      },
    ],
    description:
      "A cause the fact determines ends the enterprise's open application at once (REJECTED, NEW_CAUSE_DETERMINED).",
  },
  {
    method: 'POST',
    path: '/enterprises/{id}/facts/{factId}/payment',
    module: 'functions/api/enterprises.ts',
    exportName: 'recordPayment',
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
      { status: 409, code: 'ALREADY_PAID', description: 'the fact already has a payment date' },
      { status: 409, code: 'FACT_VOIDED', description: 'the fact was voided by a correction' },
      CONCURRENT_UPDATE,
      { status: 422, code: 'NOT_PAYABLE', description: 'the fact has no amount to pay' },
      {
        status: 422,
        code: 'PAID_BEFORE_IMPOSED',
        description: 'a fine cannot be paid before it was imposed',
      },
      { status: 422, code: 'DATE_IN_FUTURE', description: 'paidOn is after today' },
    ],
  },
  {
    method: 'POST',
    path: '/enterprises/{id}/facts/{factId}/void',
    module: 'functions/api/enterprises.ts',
    exportName: 'voidFact',
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
    problems: [
      NOT_FOUND('enterprise or fact'),
      { status: 409, code: 'ALREADY_VOIDED', description: 'the fact is already voided' },
      CONCURRENT_UPDATE,
    ],
  },
  {
    method: 'PUT',
    path: '/reviewers/{party}',
    module: 'functions/api/reviewers.ts',
    exportName: 'putReviewer',
    auth: 'jwt',
    roles: ['officer'],
    tag: 'reviewers',
    summary: "Set a review party's reviewer",
    request: { params: ReviewerPathParams, body: { name: 'PutReviewerRequest', schema: PutReviewerBody } },
    responses: { 200: { description: 'the reviewer', schema: { name: 'Reviewer', schema: Reviewer } } },
  },
  {
    method: 'GET',
    path: '/reviewers',
    module: 'functions/api/reviewers.ts',
    exportName: 'listReviewers',
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
  {
    method: 'POST',
    path: '/applications',
    module: 'functions/api/applications.ts',
    exportName: 'createApplication',
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
      {
        status: 409,
        code: 'APPLICATION_OPEN',
        description: 'another application of this enterprise is open',
      },
      { status: 409, code: 'IDEMPOTENCY_KEY_REUSED', description: 'the key was used with another body' },
      {
        status: 409,
        code: 'IDEMPOTENCY_KEY_IN_PROGRESS',
        description: 'a request with the same key is still running; retry after the Retry-After seconds',
      },
      {
        status: 422,
        code: 'NOT_ELIGIBLE',
        description:
          'refused by the rules: `reasons` lists each, `earliestApplicationOn` gives the date when time is one',
      },
    ],
  },
  {
    method: 'GET',
    path: '/applications/{id}',
    module: 'functions/api/applications.ts',
    exportName: 'getApplication',
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
  {
    method: 'GET',
    path: '/applications',
    module: 'functions/api/applications.ts',
    exportName: 'listApplications',
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
    problems: [
      {
        status: 400,
        code: 'INVALID_NEXT_TOKEN',
        description: 'nextToken is not one this query returned; start again without it',
      },
    ],
  },
  {
    method: 'POST',
    path: '/applications/{id}/evidence',
    module: 'functions/api/evidence.ts',
    exportName: 'requestUpload',
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
      {
        status: 422,
        code: 'DOCUMENT_NOT_REQUIRED',
        description: 'this application does not need that document type',
      },
      {
        status: 422,
        code: 'CONTENT_TYPE_NOT_ALLOWED',
        description: 'the file is not a PDF, JPEG or PNG',
      },
      { status: 422, code: 'EMPTY_FILE', description: 'size is 0' },
      { status: 422, code: 'FILE_TOO_LARGE', description: 'size is over the 10 MB limit' },
    ],
    description:
      'A refused upload answers 422 with the code of the first rule it breaks (document type, content type, ' +
      'size); `errors` and `issues` name every field at fault.',
  },
  {
    method: 'POST',
    path: '/applications/{id}/evidence/submit',
    module: 'functions/api/evidence.ts',
    exportName: 'submitEvidence',
    auth: 'jwt',
    roles: ['applicant'],
    tag: 'evidence',
    summary: 'Submit the uploaded evidence for review',
    description:
      'From round 2 the body carries `response`, what changed since the change requests. Checks, first failure ' +
      'answers: RESPONSE_REQUIRED, then MISSING_DOCUMENTS.',
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
      {
        status: 422,
        code: 'RESPONSE_REQUIRED',
        description: 'a resubmission from round 2 needs a response to the change requests',
      },
      {
        status: 422,
        code: 'MISSING_DOCUMENTS',
        description: 'documents missing or out of limits, listed in `missing`',
      },
    ],
  },
  {
    method: 'POST',
    path: '/applications/{id}/withdraw',
    module: 'functions/api/applications.ts',
    exportName: 'withdrawApplication',
    auth: 'jwt',
    roles: ['applicant'],
    tag: 'applications',
    summary: 'Withdraw an open application; its review links stop working',
    request: { params: ApplicationPathParams },
    responses: {
      200: { description: 'the withdrawn application', schema: { name: 'Application', schema: Application } },
    },
    problems: [
      NOT_FOUND('application'),
      { status: 409, code: 'APPLICATION_FINAL', description: 'already decided' },
      {
        status: 409,
        code: 'ROUND_DECIDED',
        description: 'the reviews have decided the outcome, which the workflow is recording',
      },
    ],
  },
  {
    method: 'GET',
    path: '/review/{linkId}',
    module: 'functions/api/review.ts',
    exportName: 'showReview',
    auth: 'public',
    tag: 'review',
    summary: 'Review confirmation page (changes nothing)',
    request: { params: ReviewLinkPathParams },
    responses: {
      200: { description: 'the confirmation page with a one-time form', mediaType: 'text/html' },
      ...REVIEW_LINK_PAGES,
    },
    problems: [
      {
        status: 405,
        code: 'METHOD_NOT_ALLOWED',
        description: 'HEAD: a link answers GET (the page) and POST (the form) only',
      },
    ],
  },
  {
    method: 'POST',
    path: '/review/{linkId}',
    module: 'functions/api/review.ts',
    exportName: 'decideReview',
    auth: 'public',
    tag: 'review',
    summary: 'Record a review decision from the confirmation form',
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
  {
    method: 'GET',
    path: '/public/credit/{enterpriseId}',
    module: 'functions/api/public-credit.ts',
    exportName: 'getPublicCredit',
    auth: 'public',
    tag: 'public',
    summary: "An enterprise's public credit status",
    request: { params: PublicCreditPathParams },
    responses: {
      200: { description: 'the public status', schema: { name: 'PublicCredit', schema: PublicCredit } },
    },
    problems: [NOT_FOUND('enterprise')],
  },
];
