import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { $ZodError } from 'zod/v4/core';
import { PROBLEMS, titleOf, type ProblemCode } from './problems.ts';

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
    this.title = init.title ?? titleOf(init.code, init.status);
    this.detail = init.detail;
    if (init.errors !== undefined) this.errors = init.errors;
    if (init.reasons !== undefined) this.reasons = init.reasons;
    this.extensions = init.extensions ?? {};
    this.headers = init.headers ?? {};
  }

  /** A problem with a catalogued code (problems.ts), its status and title filled in. */
  static of(
    code: ProblemCode,
    detail: string,
    more: Omit<ProblemInit, 'status' | 'code' | 'detail' | 'title'> = {},
  ): ProblemError {
    return new ProblemError({ ...more, status: PROBLEMS[code].status, code, detail });
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
      'x-content-type-options': 'nosniff',
    },
    body: JSON.stringify(error.toDocument()),
  };
}

/** Zod's issue path as the dotted path a client reads (`facts.0.amount`). */
const dottedPath = (path: readonly PropertyKey[]): string => path.map((part) => String(part)).join('.');

export function fieldIssuesOf(err: $ZodError, location: IssueLocation): FieldIssue[] {
  return err.issues.map((issue) => ({ in: location, path: dottedPath(issue.path), message: issue.message }));
}

/** A 400 VALIDATION_FAILED problem listing every field issue zod found. */
export function fromZodError(err: $ZodError, location: IssueLocation = 'body'): ProblemError {
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
