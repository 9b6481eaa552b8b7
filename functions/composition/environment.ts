/**
 * The environment variables a deployed function reads, each named once: the CDK app sets them with
 * the grant that uses them (infra/constructs/grant-access.ts, bind-table.ts), the embedded runtime
 * to its local services (local/runtime.ts), and the getters of this folder read them.
 */

/** The table (store, idempotency). */
export const TABLE_NAME_ENV = 'TABLE_NAME';
/** The evidence bucket (evidence store). */
export const EVIDENCE_BUCKET_ENV = 'EVIDENCE_BUCKET';
/** The RepairApplication state machine (workflow client). */
export const STATE_MACHINE_ARN_ENV = 'STATE_MACHINE_ARN';
/** The bus listing changes go to (listing events). */
export const EVENT_BUS_NAME_ENV = 'EVENT_BUS_NAME';
/** The mailer's settings: the From address of every message, and SES's configuration set. */
export const MAIL_ENV = { sender: 'SENDER_EMAIL', sesConfigurationSet: 'SES_CONFIGURATION_SET' } as const;
/** The secret with the SMTP relay (mailer, deployments without SES: AWS China). */
export const SMTP_SECRET_ARN_ENV = 'SMTP_SECRET_ARN';
/** The review-link secret in Secrets Manager (link secret, on AWS). */
export const LINK_SECRET_ARN_ENV = 'LINK_SECRET_ARN';
/** The review-link secret itself (link secret, the embedded runtime and tests). */
export const LINK_SECRET_ENV = 'LINK_SECRET';
/** Where review links point: `${REVIEW_BASE_URL}/review/<id>` (OpenReview's emails). */
export const REVIEW_BASE_URL_ENV = 'REVIEW_BASE_URL';

/**
 * The API's route keys (`GET /health`), one a line, from the route table: what the `$default`
 * route's handler matches a request against, so its bundle holds no route's schemas.
 */
export const ROUTE_KEYS_ENV = 'ROUTE_KEYS';

/** Reads a required environment variable, naming it when missing (a deployment error, not a client one). */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`environment variable ${name} is not set`);
  return value;
}

/** The base of review links, read when OpenReview sends one (only that task is given it). */
export const reviewBaseUrl = (): string => requiredEnv(REVIEW_BASE_URL_ENV);

/** The sweep's page limits (functions/usecases/sweep/pages.ts): items per page, pages per plan. */
export const SWEEP_PAGE_ENV = { pageSize: 'SWEEP_PAGE_SIZE', pagesPerPlan: 'SWEEP_PAGES_PER_PLAN' } as const;
