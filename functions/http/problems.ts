/**
 * THE problem catalogue: every code a problem document may carry, with its status, its title
 * (the HTTP layer's own codes have one; the others take their status's) and what it means. The
 * middleware answers a thrown DomainError or ProblemError by it, the route table names its codes
 * from it (routes.ts `problem()`), and the OpenAPI document describes them with it. A code no
 * route or use case can raise has no business here; a code raised but missing is caught by
 * test/unit/http/problems.test.ts.
 */

export interface ProblemEntry {
  readonly status: number;
  /** The problem document's `title`; absent: the title of the status. */
  readonly title?: string;
  /** What the code means, for the OpenAPI document (a route may say it more precisely). */
  readonly description: string;
  /** The code a client sees instead (an unknown fact is as unknown as any other id). */
  readonly answeredAs?: string;
}

/** The HTTP layer's own codes: what the gateway and the middleware answer before any use case runs. */
const HTTP_LAYER = {
  VALIDATION_FAILED: {
    status: 400,
    title: 'The request is not valid',
    description: 'a field is not valid; `errors` lists each',
  },
  MALFORMED_JSON: {
    status: 400,
    title: 'The request body is not valid JSON',
    description: 'the body is not JSON',
  },
  MALFORMED_FORM: {
    status: 400,
    title: 'The request body is not a valid form',
    description: 'the body is empty',
  },
  UNAUTHORIZED: { status: 401, title: 'Authentication is required', description: 'no valid bearer token' },
  FORBIDDEN: { status: 403, title: 'Not allowed', description: 'outside the caller’s role or enterprises' },
  NOT_FOUND: { status: 404, title: 'Not found', description: 'no such id or path' },
  METHOD_NOT_ALLOWED: {
    status: 405,
    title: 'Method not allowed',
    description: 'the path does not answer this method; `Allow` names the ones it does',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    title: 'The request body is too large',
    description: 'the body is too large',
  },
  MISDIRECTED_REQUEST: {
    status: 421,
    title: 'Misdirected request',
    description:
      'the Host is not a name this server answers for (the embedded runtime: loopback, or its --expose name)',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: 'Unsupported media type',
    description: 'another content type than the one documented',
  },
  INTERNAL: { status: 500, title: 'Internal error', description: 'Internal error' },
  SERVICE_UNAVAILABLE: {
    status: 503,
    title: 'Service unavailable',
    description:
      'every function instance is busy (the embedded runtime: its concurrency queue is full, or no slot freed in time); the request did not run, retry after `Retry-After`',
  },
  GATEWAY_TIMEOUT: {
    status: 504,
    title: 'Gateway timeout',
    description: 'the function did not answer within the integration timeout; it may still complete',
  },
} as const satisfies Record<string, ProblemEntry>;

/** Refusals by the rules and conflicts of state, raised by the domain and the use cases. */
const RULES_AND_STATE = {
  // requests the rules refuse (422)
  NOT_ELIGIBLE: {
    status: 422,
    description:
      'refused by the rules: `reasons` lists each, `earliestApplicationOn` gives the date when time is one',
  },
  MISSING_DOCUMENTS: {
    status: 422,
    description:
      'required documents with no usable file, listed in `missing` (problem: NOT_UPLOADED, or UNREADABLE when storage could not read the newest upload: upload it again)',
  },
  EVIDENCE_INVALID: {
    status: 422,
    description:
      'uploaded files that are not what was declared (size, type signature, over the limit): `invalid` has one entry per document',
  },
  RESPONSE_REQUIRED: {
    status: 422,
    description: 'a resubmission from round 2 needs a response to the change requests',
  },
  TIER_NOT_REGISTRABLE: {
    status: 422,
    description: 'DISHONEST and SERIOUSLY_DISHONEST follow from recorded facts and cannot be registered',
  },
  DATE_IN_FUTURE: { status: 422, description: 'a date is after today' },
  BEFORE_FIRST_POLICY: {
    status: 422,
    description:
      'a date (imposedOn, dueOn, occurredOn) is before 2021-11-01, when the oldest policy took effect',
  },
  NOT_PAYABLE: { status: 422, description: 'the fact has no amount to pay' },
  PAID_BEFORE_IMPOSED: { status: 422, description: 'a fine cannot be paid before it was imposed' },
  UNKNOWN_DOCUMENT_TYPE: { status: 422, description: 'no such document type' },
  DOCUMENT_NOT_REQUIRED: { status: 422, description: 'this application does not need that document type' },
  CONTENT_TYPE_NOT_ALLOWED: { status: 422, description: 'the file is not a PDF, JPEG or PNG' },
  EMPTY_FILE: { status: 422, description: 'size is 0' },
  FILE_TOO_LARGE: { status: 422, description: 'size is over the 10 MB limit' },
  // malformed input a use case finds (400)
  INVALID_NEXT_TOKEN: {
    status: 400,
    description: 'nextToken is not one this query returned; start again without it',
  },
  INVALID_EVENT: { status: 400, description: 'the event is malformed' },
  COMMENT_REQUIRED: { status: 400, description: 'a rejection needs a reason, a change request a note' },
  REASON_REQUIRED: { status: 400, description: 'a void needs a reason' },
  // the caller may not do this (403)
  SAME_OFFICER: {
    status: 403,
    description: 'a reviewer change must be confirmed by another officer than its proposer',
  },
  // ids nobody knows (404)
  UNKNOWN_FACT: { status: 404, description: 'no fact with that id', answeredAs: 'NOT_FOUND' },
  UNKNOWN_CHANGE: { status: 404, description: 'no reviewer change with that id', answeredAs: 'NOT_FOUND' },
  // abuse limits (429)
  TOO_MANY_APPLICATIONS: {
    status: 429,
    description:
      'the enterprise created more than the allowed applications in 30 days (withdrawn ones count); retry after `Retry-After` seconds',
  },
  // conflicts with the current state (409)
  ENTERPRISE_EXISTS: { status: 409, description: 'an enterprise with that id exists' },
  APPLICATION_OPEN: { status: 409, description: 'another application of this enterprise is open' },
  CONCURRENT_UPDATE: { status: 409, description: 'the item kept changing under concurrent requests; retry' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, description: 'the key was used with another body' },
  IDEMPOTENCY_KEY_IN_PROGRESS: {
    status: 409,
    description: 'a request with the same key is still running; retry after the Retry-After seconds',
  },
  ALREADY_PAID: { status: 409, description: 'the fact already has a payment date' },
  ALREADY_VOIDED: { status: 409, description: 'the fact is already voided' },
  FACT_VOIDED: { status: 409, description: 'the fact was voided by a correction' },
  DUPLICATE_FACT: { status: 409, description: 'the fact is recorded already' },
  NO_APPLICATION: { status: 409, description: 'the application was never submitted' },
  ALREADY_SUBMITTED: { status: 409, description: 'the application was submitted already' },
  APPLICATION_FINAL: { status: 409, description: 'already decided' },
  WRONG_STATUS: { status: 409, description: 'the application is not in a status that allows this' },
  WRONG_PARTIES: { status: 409, description: 'the parties are not the policy’s for the tier' },
  DEADLINE_PASSED: {
    status: 409,
    description: 'the deadline has passed (the sweep will expire the application)',
  },
  DEADLINE_NOT_PASSED: { status: 409, description: 'the deadline has not passed yet' },
  STALE_ROUND: { status: 409, description: 'the round is not the current one' },
  REVIEWS_NOT_OPEN: { status: 409, description: 'the round’s reviews are not open' },
  REVIEW_ALREADY_OPEN: { status: 409, description: 'the round is open already' },
  UNKNOWN_PARTY: { status: 409, description: 'the party does not review this application' },
  REVIEW_NOT_PENDING: { status: 409, description: 'the party’s review is decided already' },
  ROUND_DECIDED: {
    status: 409,
    description: 'the reviews have decided the outcome, which the workflow is recording',
  },
  ROUND_NOT_DECIDED: { status: 409, description: 'the round is not decided yet' },
  ROUND_RESULT_MISMATCH: { status: 409, description: 'the result is not the one the reviews make' },
  CHANGE_PENDING: {
    status: 409,
    description: 'another change of this reviewer awaits confirmation (`pendingChangeId`)',
  },
  CHANGE_DECIDED: { status: 409, description: 'the reviewer change is no longer pending' },
  // abuse limits (429)
  TOO_MANY_UPLOADS: {
    status: 429,
    description: 'the document has used up its upload tickets for this round',
  },
} as const satisfies Record<string, ProblemEntry>;

export const PROBLEMS: Readonly<Record<ProblemCode, ProblemEntry>> = { ...HTTP_LAYER, ...RULES_AND_STATE };

export type HttpLayerCode = keyof typeof HTTP_LAYER;
export type ProblemCode = HttpLayerCode | keyof typeof RULES_AND_STATE;

export const HTTP_LAYER_CODES = Object.keys(HTTP_LAYER) as HttpLayerCode[];

export const isProblemCode = (code: string): code is ProblemCode => Object.hasOwn(PROBLEMS, code);

/** The status a state conflict nobody catalogued would get: no such code is raised (tested). */
export const UNCATALOGUED_STATUS = 409;

/** The title of a status, for the codes without one of their own. */
export const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload too large',
  415: 'Unsupported media type',
  421: 'Misdirected request',
  422: 'The request was refused by a rule',
  429: 'Too many requests',
  500: 'Internal error',
};

/** A problem's title: its code's own, or its status's. */
export function titleOf(code: string, status: number): string {
  const entry = isProblemCode(code) ? PROBLEMS[code] : undefined;
  return entry?.title ?? STATUS_TITLES[status] ?? 'Error';
}
