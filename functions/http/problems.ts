/**
 * THE problem catalogue: every code a problem document may carry, with its status and its title
 * (the HTTP layer's own codes have one; the others take their status's). The middleware answers a
 * thrown DomainError or ProblemError by it, the route table names its codes from it (routes.ts
 * `problem()`), and the OpenAPI document describes them with it. What each code means is for the
 * OpenAPI document only, so it lives in problem-descriptions.ts, which no handler bundles. A code
 * no route or use case can raise has no business here; a code raised but missing is caught by
 * test/unit/http/problems.test.ts.
 */

export interface ProblemEntry {
  readonly status: number;
  /** The problem document's `title`; absent: the title of the status. */
  readonly title?: string;
  /** The code a client sees instead (an unknown fact is as unknown as any other id). */
  readonly answeredAs?: string;
}

/** The HTTP layer's own codes: what the gateway and the middleware answer before any use case runs. */
const HTTP_LAYER = {
  VALIDATION_FAILED: {
    status: 400,
    title: 'The request is not valid',
  },
  MALFORMED_JSON: {
    status: 400,
    title: 'The request body is not valid JSON',
  },
  MALFORMED_FORM: {
    status: 400,
    title: 'The request body is not a valid form',
  },
  UNAUTHORIZED: { status: 401, title: 'Authentication is required' },
  FORBIDDEN: { status: 403, title: 'Not allowed' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  METHOD_NOT_ALLOWED: {
    status: 405,
    title: 'Method not allowed',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    title: 'The request body is too large',
  },
  MISDIRECTED_REQUEST: {
    status: 421,
    title: 'Misdirected request',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: 'Unsupported media type',
  },
  INTERNAL: { status: 500, title: 'Internal error' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  GATEWAY_TIMEOUT: { status: 504, title: 'Gateway timeout' },
} as const satisfies Record<string, ProblemEntry>;

/** Refusals by the rules and conflicts of state, raised by the domain and the use cases. */
const RULES_AND_STATE = {
  // requests the rules refuse (422)
  NOT_ELIGIBLE: {
    status: 422,
  },
  MISSING_DOCUMENTS: {
    status: 422,
  },
  EVIDENCE_INVALID: {
    status: 422,
  },
  RESPONSE_REQUIRED: {
    status: 422,
  },
  TIER_NOT_REGISTRABLE: {
    status: 422,
  },
  DATE_IN_FUTURE: { status: 422 },
  BEFORE_FIRST_POLICY: {
    status: 422,
  },
  NOT_PAYABLE: { status: 422 },
  PAID_BEFORE_IMPOSED: { status: 422 },
  UNKNOWN_DOCUMENT_TYPE: { status: 422 },
  DOCUMENT_NOT_REQUIRED: { status: 422 },
  CONTENT_TYPE_NOT_ALLOWED: { status: 422 },
  EMPTY_FILE: { status: 422 },
  FILE_TOO_LARGE: { status: 422 },
  // malformed input a use case finds (400)
  INVALID_NEXT_TOKEN: {
    status: 400,
  },
  INVALID_EVENT: { status: 400 },
  COMMENT_REQUIRED: { status: 400 },
  REASON_REQUIRED: { status: 400 },
  // the caller may not do this (403)
  SAME_OFFICER: {
    status: 403,
  },
  // ids nobody knows (404)
  UNKNOWN_FACT: { status: 404, answeredAs: 'NOT_FOUND' },
  UNKNOWN_CHANGE: { status: 404, answeredAs: 'NOT_FOUND' },
  // abuse limits (429)
  TOO_MANY_APPLICATIONS: {
    status: 429,
  },
  // conflicts with the current state (409)
  ENTERPRISE_EXISTS: { status: 409 },
  APPLICATION_OPEN: { status: 409 },
  CONCURRENT_UPDATE: { status: 409 },
  IDEMPOTENCY_KEY_REUSED: { status: 409 },
  IDEMPOTENCY_KEY_IN_PROGRESS: {
    status: 409,
  },
  ALREADY_PAID: { status: 409 },
  ALREADY_VOIDED: { status: 409 },
  FACT_VOIDED: { status: 409 },
  DUPLICATE_FACT: { status: 409 },
  NO_APPLICATION: { status: 409 },
  ALREADY_SUBMITTED: { status: 409 },
  APPLICATION_FINAL: { status: 409 },
  WRONG_STATUS: { status: 409 },
  WRONG_PARTIES: { status: 409 },
  DEADLINE_PASSED: {
    status: 409,
  },
  DEADLINE_NOT_PASSED: { status: 409 },
  STALE_ROUND: { status: 409 },
  REVIEWS_NOT_OPEN: { status: 409 },
  REVIEW_ALREADY_OPEN: { status: 409 },
  UNKNOWN_PARTY: { status: 409 },
  REVIEW_NOT_PENDING: { status: 409 },
  ROUND_DECIDED: {
    status: 409,
  },
  ROUND_NOT_DECIDED: { status: 409 },
  ROUND_RESULT_MISMATCH: { status: 409 },
  CHANGE_PENDING: {
    status: 409,
  },
  CHANGE_DECIDED: { status: 409 },
  // abuse limits (429)
  TOO_MANY_UPLOADS: {
    status: 429,
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
