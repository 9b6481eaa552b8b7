import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import { safeParseAsync } from '../../domain/zod.ts';
import type { $ZodType } from 'zod/v4/core';
import { DomainError } from '../../domain/errors.ts';
import { claimsOf, principalFromClaims } from '../auth/claims.ts';
import { type Principal, type Role } from '../auth/principal.ts';
import {
  fieldIssuesOf,
  isProblemError,
  ProblemError,
  problemResponse,
  validationProblem,
  type FieldIssue,
  type IssueLocation,
  type ProblemReason,
} from './problem.ts';
import {
  HTTP_LAYER_CODES,
  isProblemCode,
  PROBLEMS,
  UNCATALOGUED_STATUS,
  type HttpLayerCode,
} from './problems.ts';

/**
 * The middy middlewares every API handler runs, in this order: normalise headers (official
 * middleware), authenticate, parse the body, validate with zod. A failure in any of them is a
 * ProblemError, which `problemErrors` (registered first, so its onError runs last) turns into a
 * problem document. Authentication runs before the body is read: a caller without a token learns
 * nothing about what a valid body would be.
 */

/** The event as it moves through the stack: middlewares add what they derived, never overwrite. */
export type HttpEvent = APIGatewayProxyEventV2 & {
  principal?: Principal;
  parsedBody?: unknown;
  input?: ValidatedInput;
};

export interface ValidatedInput {
  readonly body: unknown;
  readonly params: unknown;
  readonly query: unknown;
  readonly headers: unknown;
}

export type HttpMiddleware = MiddlewareObj<HttpEvent, APIGatewayProxyStructuredResultV2, Error, Context>;

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

// ---------------------------------------------------------------------------------------------
// authentication

export type AuthMode = 'public' | 'required';

/**
 * Reads the principal from the JWT claims the authorizer verified. `required`: no claims, or
 * claims without `exp` → 401;
 * claims that name no role, or a role outside `roles` → 403. `public`: a principal is read when
 * claims are present and never demanded.
 */
export function authenticate(options: { auth: AuthMode; roles?: readonly Role[] }): HttpMiddleware {
  return {
    before: (request) => {
      const claims = claimsOf(request.event);
      if (claims === undefined) {
        if (options.auth === 'required') {
          throw ProblemError.of('UNAUTHORIZED', 'A valid bearer token is required.', {
            headers: { 'www-authenticate': 'Bearer' },
          });
        }
        return;
      }
      // A token without an expiry would be valid forever; the authorizer should have refused it,
      // and a function behind a misconfigured one still does.
      if (claims.exp === undefined || claims.exp === '') {
        if (options.auth === 'required') {
          throw ProblemError.of('UNAUTHORIZED', 'A valid bearer token is required.', {
            headers: { 'www-authenticate': 'Bearer' },
          });
        }
        return;
      }
      const principal = principalFromClaims(claims);
      if (principal === undefined) {
        if (options.auth === 'required') {
          throw ProblemError.of('FORBIDDEN', 'The token names no role this service knows.');
        }
        return;
      }
      if (
        options.auth === 'required' &&
        options.roles !== undefined &&
        !options.roles.includes(principal.role)
      ) {
        throw ProblemError.of('FORBIDDEN', `This operation is for: ${options.roles.join(', ')}.`);
      }
      request.event.principal = principal;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// body parsing

export type BodyKind = 'json' | 'form';

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;
const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

/** The media type without parameters, lower-cased (`Application/JSON; charset=utf-8` → `application/json`). */
export const mediaTypeOf = (contentType: string | undefined): string =>
  (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

function bodyBytes(event: APIGatewayProxyEventV2): Buffer {
  const body = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
}

/** Form fields; a repeated field becomes a list, which a string schema then refuses. */
export function parseForm(text: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const previous = fields[key];
    fields[key] =
      previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return fields;
}

/**
 * Parses a JSON or urlencoded form body into `event.parsedBody`, leaving `event.body` as sent.
 * Over `maxBytes` → 413; empty → 400 (or `undefined` when the body is `optional`); another media
 * type → 415; unparseable JSON → 400.
 */
export function parseBody(options: {
  kind: BodyKind;
  maxBytes?: number;
  optional?: boolean;
}): HttpMiddleware {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  return {
    before: (request) => {
      const { event } = request;
      const bytes = bodyBytes(event);
      if (bytes.length > maxBytes) {
        throw ProblemError.of('PAYLOAD_TOO_LARGE', `The body may be at most ${maxBytes} bytes.`, {
          extensions: { maxBytes },
        });
      }
      const expected = options.kind === 'json' ? 'application/json' : FORM_MEDIA_TYPE;
      if (bytes.length === 0 && options.optional === true) {
        event.parsedBody = undefined;
        return;
      }
      if (bytes.length === 0) {
        throw ProblemError.of(
          options.kind === 'json' ? 'MALFORMED_JSON' : 'MALFORMED_FORM',
          `A ${expected} body is required.`,
        );
      }
      const mediaType = mediaTypeOf(event.headers['content-type']);
      const accepted =
        options.kind === 'json' ? JSON_MEDIA_TYPE.test(mediaType) : mediaType === FORM_MEDIA_TYPE;
      if (!accepted) {
        throw ProblemError.of('UNSUPPORTED_MEDIA_TYPE', `The body must be ${expected}.`, {
          extensions: { accepted: [expected] },
        });
      }
      const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
      if (options.kind === 'form') {
        event.parsedBody = parseForm(text);
        return;
      }
      try {
        event.parsedBody = JSON.parse(text) as unknown;
      } catch (err) {
        // The parser's message names the position, which helps a client and reveals nothing of ours.
        throw ProblemError.of('MALFORMED_JSON', `The body is not valid JSON: ${(err as Error).message}`);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// validation

export interface InputSchemas {
  readonly body?: $ZodType;
  readonly params?: $ZodType;
  readonly query?: $ZodType;
  readonly headers?: $ZodType;
}

/**
 * Validates every part the route declares a schema for and reports all field issues of all parts
 * in one 400, so a client fixes its request in one go.
 */
export function validate(schemas: InputSchemas): HttpMiddleware {
  const parts: ReadonlyArray<readonly [keyof ValidatedInput, IssueLocation, (event: HttpEvent) => unknown]> =
    [
      ['params', 'path', (event) => event.pathParameters ?? {}],
      ['query', 'query', (event) => event.queryStringParameters ?? {}],
      ['headers', 'header', (event) => event.headers],
      ['body', 'body', (event) => event.parsedBody],
    ];
  return {
    before: async (request) => {
      const values: Record<keyof ValidatedInput, unknown> = {
        body: undefined,
        params: {},
        query: {},
        headers: {},
      };
      const issues: FieldIssue[] = [];
      for (const [part, location, read] of parts) {
        const schema = schemas[part];
        const raw = read(request.event);
        if (schema === undefined) {
          values[part] = raw;
          continue;
        }
        const result = await safeParseAsync(schema, raw);
        if (result.success) values[part] = result.data;
        else issues.push(...fieldIssuesOf(result.error, location));
      }
      if (issues.length > 0) throw validationProblem(issues);
      request.event.input = values;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// errors

export function problemFromDomainError(err: DomainError): ProblemError {
  // Rule codes a client acts on travel as the problem's `reasons`, the fields at fault as its
  // `errors`; other details as members.
  const { reasons, errors, retryAfterSeconds, ...details } = err.details ?? {};
  const entry = isProblemCode(err.code) ? PROBLEMS[err.code] : undefined;
  const code = entry?.answeredAs ?? err.code;
  return new ProblemError({
    status: entry?.status ?? UNCATALOGUED_STATUS,
    code,
    detail: err.message,
    ...(Array.isArray(reasons) ? { reasons: reasons as ProblemReason[] } : {}),
    ...(Array.isArray(errors) ? { errors: errors as FieldIssue[] } : {}),
    ...(Object.keys(details).length === 0 ? {} : { extensions: details }),
    // A limit tells when to come back: as the Retry-After header (RFC 9110), not a member.
    ...(typeof retryAfterSeconds === 'number'
      ? { headers: { 'retry-after': String(retryAfterSeconds) } }
      : {}),
  });
}

interface ExposedHttpError {
  statusCode: number;
  expose: boolean;
  message: string;
}

/** The HTTP layer's code of each status it answers (for errors official middlewares raise). */
const STATUS_CODES: Readonly<Record<number, HttpLayerCode>> = Object.fromEntries(
  HTTP_LAYER_CODES.map((code) => [PROBLEMS[code].status, code]),
);

/** An error an official middy middleware raised for a client mistake (`createError(4xx)`). */
const isExposedHttpError = (err: unknown): err is ExposedHttpError =>
  err instanceof Error &&
  typeof (err as Partial<ExposedHttpError>).statusCode === 'number' &&
  (err as Partial<ExposedHttpError>).expose === true;

/** Any thrown value as the problem it means; unknown errors become INTERNAL without details. */
export function toProblem(err: unknown, requestId?: string): { problem: ProblemError; unexpected: boolean } {
  if (isProblemError(err)) return { problem: err, unexpected: false };
  if (err instanceof DomainError) return { problem: problemFromDomainError(err), unexpected: false };
  if (isExposedHttpError(err) && err.statusCode >= 400 && err.statusCode < 500) {
    const code = STATUS_CODES[err.statusCode] ?? 'VALIDATION_FAILED';
    return {
      problem: new ProblemError({ status: err.statusCode, code, detail: err.message }),
      unexpected: false,
    };
  }
  return {
    problem: ProblemError.of('INTERNAL', 'An unexpected error occurred; it has been logged.', {
      ...(requestId === undefined ? {} : { extensions: { requestId } }),
    }),
    unexpected: true,
  };
}

/** Turns whatever was thrown into a problem response; logs only what is a bug. */
export function problemErrors(log: Logger): HttpMiddleware {
  return {
    onError: (request) => {
      const requestId = request.event.requestContext?.requestId;
      const { problem, unexpected } = toProblem(request.error, requestId);
      if (unexpected) {
        // The route key, not the raw path: review paths carry link ids, which are secrets.
        log.error('unhandled error in handler', {
          routeKey: request.event.routeKey,
          error: request.error,
        });
      }
      request.response = problemResponse(problem);
    },
  };
}
