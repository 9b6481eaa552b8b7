import type { Context } from 'aws-lambda';
import { logger } from '../observability/logger.ts';

/**
 * Which failures are worth trying again. A workflow task that fails on a throttled or briefly
 * unavailable AWS service, or on the network, must not close the application: its handler throws
 * one error name, TRANSIENT_ERROR_NAME, which the state machine retries with backoff
 * (workflows/repair-application.ts); everything else is permanent and reaches the catch that
 * records WORKFLOW_FAILED. Retrying is safe because every step is memoized (DESIGN.md principle 3).
 *
 * The SDK has already retried such errors itself (three attempts, within one invocation); what
 * reaches here outlasted that, so the state machine waits longer between its attempts.
 */

/** The one error name the state machine retries for a handler's transient failures. */
export const TRANSIENT_ERROR_NAME = 'Task.TransientError';

export class TransientError extends Error {
  constructor(cause: unknown) {
    const inner = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`a transient failure, to be retried: ${inner}`, { cause });
    this.name = TRANSIENT_ERROR_NAME;
  }
}

/**
 * AWS error names that mean "later, not never", by service: DynamoDB (throughput, request rate,
 * internal errors), SES v2 (sending rate), Secrets Manager (internal errors), and the generic
 * throttling and availability errors every SDK client may raise.
 */
const TRANSIENT_ERROR_NAMES: ReadonlySet<string> = new Set([
  // DynamoDB
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
  'InternalServerError',
  // SES v2 (and SES v1's rate error)
  'TooManyRequestsException',
  'Throttling',
  // Secrets Manager
  'InternalServiceError',
  // any service
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'InternalFailure',
  'InternalServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

/** Node.js socket and DNS errors, and nodemailer's connection errors. */
const TRANSIENT_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  // nodemailer
  'ECONNECTION',
  'ESOCKET',
  'EDNS',
]);

interface ErrorFacts {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly cause?: unknown;
  /** SDK v3: set on errors its model marks retryable (throttling among them). */
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
  /** nodemailer: the SMTP reply code; 4xx is a temporary refusal (RFC 5321 §4.2.1). */
  readonly responseCode?: unknown;
}

function isTransientItself(error: ErrorFacts): boolean {
  if (typeof error.name === 'string' && TRANSIENT_ERROR_NAMES.has(error.name)) return true;
  if (typeof error.code === 'string' && TRANSIENT_ERROR_CODES.has(error.code)) return true;
  if (error.$retryable !== undefined && error.$retryable !== null && error.$retryable !== false) return true;
  const status = error.$metadata?.httpStatusCode;
  if (typeof status === 'number' && (status === 429 || status >= 500)) return true;
  const smtp = error.responseCode;
  return typeof smtp === 'number' && smtp >= 400 && smtp < 500;
}

/** True when `error`, or an error it wraps (`cause`), is transient. */
export function isTransient(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const facts = current as ErrorFacts;
    if (facts.name === TRANSIENT_ERROR_NAME || isTransientItself(facts)) return true;
    current = facts.cause;
  }
  return false;
}

/**
 * Wraps a workflow task handler: a transient failure leaves it as TransientError (the name the
 * state machine retries), any other failure unchanged. Every task passes through here, so here its
 * log lines get the invocation's Lambda context (function name, request id), as the API handlers'
 * middleware and the sweep give theirs.
 */
export function retryableOnTransient<E, R>(
  handler: (event: E) => Promise<R>,
): (event: E, context?: Context) => Promise<R> {
  return async (event, context) => {
    if (context !== undefined) logger.addContext(context);
    try {
      return await handler(event);
    } catch (error) {
      if (error instanceof TransientError || !isTransient(error)) throw error;
      throw new TransientError(error);
    }
  };
}
