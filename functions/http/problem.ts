import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ZodError } from 'zod';

/**
 * RFC 9457 problem documents. Every error the API answers is one of these, with a stable `code`
 * that clients branch on (messages may change, codes do not).
 *
 * `type` is `https://credit-repair.example/problems/<code in kebab case>`: a stable URI per code, so
 * two problems share a `type` exactly when they share a `code`. The host is a reserved example
 * domain on purpose: the URI identifies the problem and is not meant to be fetched.
 */
export const PROBLEM_TYPE_BASE = 'https://credit-repair.example/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Codes the HTTP layer itself produces. Handlers add their own (409/422 rule codes). */
export const HTTP_PROBLEMS = {
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  MALFORMED_JSON: { status: 400, title: 'The request body is not valid JSON' },
  MALFORMED_FORM: { status: 400, title: 'The request body is not a valid form' },
  UNAUTHORIZED: { status: 401, title: 'Authentication is required' },
  FORBIDDEN: { status: 403, title: 'Not allowed' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  INTERNAL: { status: 500, title: 'Internal error' },
} as const;
export type HttpProblemCode = keyof typeof HTTP_PROBLEMS;

/** Where a field issue was found. */
export type IssueLocation = 'body' | 'query' | 'path' | 'header';

export interface FieldIssue {
  readonly in: IssueLocation;
  /** Dotted path inside that location (`contactEmail`, `facts.0.amount`); empty for the whole value. */
  readonly path: string;
  readonly message: string;
}

/** A rule that refused the request (RULES.md codes), with whatever a client can act on. */
export interface ProblemReason {
  readonly code: string;
  readonly detail?: string;
  readonly [extra: string]: unknown;
}

export interface ProblemInit {
  readonly status: number;
  readonly code: string;
  readonly title?: string;
  readonly detail: string;
  readonly errors?: readonly FieldIssue[];
  readonly reasons?: readonly ProblemReason[];
  /** Extension members (RFC 9457 §3.2), e.g. `earliestApplicationOn`. */
  readonly extensions?: Readonly<Record<string, unknown>>;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly errors?: readonly FieldIssue[];
  readonly reasons?: readonly ProblemReason[];
  readonly [extension: string]: unknown;
}

/** Members an extension may not overwrite: they carry the document's meaning. */
const RESERVED_MEMBERS = new Set([
  'type',
  'title',
  'status',
  'detail',
  'code',
  'errors',
  'reasons',
  'instance',
]);

export const problemTypeFor = (code: string): string =>
  PROBLEM_TYPE_BASE + code.toLowerCase().replaceAll('_', '-');

const defaultTitle = (code: string, status: number): string =>
  code in HTTP_PROBLEMS ? HTTP_PROBLEMS[code as HttpProblemCode].title : (STATUS_TITLES[status] ?? 'Error');

const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'The request was refused by a rule',
  500: 'Internal error',
};

/** Thrown anywhere below a handler; the error middleware turns it into a problem response. */
export class ProblemError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly errors?: readonly FieldIssue[];
  readonly reasons?: readonly ProblemReason[];
  readonly extensions: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;

  constructor(init: ProblemInit) {
    super(init.detail);
    this.name = 'ProblemError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title ?? defaultTitle(init.code, init.status);
    this.detail = init.detail;
    if (init.errors !== undefined) this.errors = init.errors;
    if (init.reasons !== undefined) this.reasons = init.reasons;
    this.extensions = init.extensions ?? {};
    this.headers = init.headers ?? {};
  }

  /** A problem with one of the HTTP layer's own codes, its status and title filled in. */
  static of(
    code: HttpProblemCode,
    detail: string,
    more: Omit<ProblemInit, 'status' | 'code' | 'detail'> = {},
  ): ProblemError {
    return new ProblemError({ ...HTTP_PROBLEMS[code], ...more, code, detail });
  }

  toDocument(): ProblemDocument {
    const extensions = Object.fromEntries(
      Object.entries(this.extensions).filter(([key]) => !RESERVED_MEMBERS.has(key)),
    );
    return {
      ...extensions,
      type: problemTypeFor(this.code),
      title: this.title,
      status: this.status,
      detail: this.detail,
      code: this.code,
      ...(this.errors === undefined ? {} : { errors: this.errors }),
      ...(this.reasons === undefined ? {} : { reasons: this.reasons }),
    };
  }
}

export const isProblemError = (value: unknown): value is ProblemError => value instanceof ProblemError;

/** The API Gateway (payload v2.0) result carrying a problem document. */
export function problemResponse(problem: ProblemError | ProblemInit): APIGatewayProxyStructuredResultV2 {
  const error = problem instanceof ProblemError ? problem : new ProblemError(problem);
  return {
    statusCode: error.status,
    headers: {
      ...error.headers,
      'content-type': PROBLEM_CONTENT_TYPE,
      'cache-control': 'no-store',
    },
    body: JSON.stringify(error.toDocument()),
  };
}

/** Zod's issue path as the dotted path a client reads (`facts.0.amount`). */
const dottedPath = (path: readonly PropertyKey[]): string => path.map((part) => String(part)).join('.');

export function fieldIssuesOf(err: ZodError, location: IssueLocation): FieldIssue[] {
  return err.issues.map((issue) => ({ in: location, path: dottedPath(issue.path), message: issue.message }));
}

/** A 400 VALIDATION_FAILED problem listing every field issue zod found. */
export function fromZodError(err: ZodError, location: IssueLocation = 'body'): ProblemError {
  const errors = fieldIssuesOf(err, location);
  return validationProblem(errors);
}

export function validationProblem(errors: readonly FieldIssue[]): ProblemError {
  const count = errors.length;
  return ProblemError.of(
    'VALIDATION_FAILED',
    count === 1 ? '1 field is not valid.' : `${count} fields are not valid.`,
    { errors },
  );
}
