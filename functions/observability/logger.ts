import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger of every function. Log lines carry the application id as correlation id, so one
 * query shows an application's whole story across API calls and workflow tasks.
 *
 * Secrets never reach a log line, whoever passes them: a review link id or nonce would let a reader
 * decide a review, a task token would let them resume a workflow, a bearer token would let them
 * act as its holder. The JSON replacer below blanks such keys at any depth.
 */

export const SERVICE_NAME = 'credit-repair';

/** What use cases log through: the logger's levels, so a test can pass a silent one. */
export type Log = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
export const REDACTED = '[REDACTED]';

const SECRET_KEYS = new Set([
  'token',
  'tasktoken',
  'linkid',
  'nonce',
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'secret',
  'idempotency-key',
]);

/** True for keys whose values are secrets: the list above and any key ending in `token`. */
export function isSecretKey(key: string): boolean {
  const lower = key.toLowerCase();
  return SECRET_KEYS.has(lower) || lower.endsWith('token');
}

/** A JSON.stringify replacer that blanks secret keys; safe to reuse outside the logger. */
export function redactSecrets(key: string, value: unknown): unknown {
  return key !== '' && isSecretKey(key) && value !== undefined && value !== null ? REDACTED : value;
}

export function createLogger(options: { serviceName?: string; logLevel?: string } = {}): Logger {
  return new Logger({
    serviceName: options.serviceName ?? SERVICE_NAME,
    ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel as 'INFO' }),
    jsonReplacerFn: redactSecrets,
  });
}

export const logger = createLogger();

/**
 * Marks the log lines of the current invocation with the application they concern. The key is
 * temporary: the handler wrapper resets keys after each invocation, so a warm Lambda does not
 * carry one application's id into the next request.
 */
export function setApplicationCorrelation(applicationId: string, target: Logger = logger): void {
  target.setCorrelationId(applicationId);
  target.appendKeys({ applicationId });
}
