import type { Node } from 'constructs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DEFAULT_FUNCTION_PREFIX } from '../workflows/task-names.ts';

/**
 * Deployment parameters read from CDK context (`cdk deploy -c key=value` or cdk.json). Each has a
 * default so `npm run synth` works offline with none given; docs/deploy.md lists them.
 */
export interface DeployConfig {
  /** Prefix of function and state machine names; one deployment per prefix per account and region. */
  readonly prefix: string;
  /** Origins allowed to POST evidence files to the bucket (the web client's origin). */
  readonly evidenceUploadOrigins: readonly string[];
  readonly logRetention: RetentionDays;
  /** The domain verified in SES; mail is sent from an address in it. */
  readonly senderDomain: string;
  readonly senderEmail: string;
  /** Where review links point (`<base>/review/<id>`); the HTTP API's own URL when absent. */
  readonly reviewBaseUrl?: string;
  /** An existing OIDC issuer for the JWT authorizer; without it a Cognito user pool is created. */
  readonly jwt?: { readonly issuer: string; readonly audience: readonly string[] };
  /** Who is emailed when an alarm fires; the topic has no subscription when absent. */
  readonly alarmEmail?: string;
  /** Steady-state requests per second and burst the HTTP API admits on every route. */
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
}

export const CONTEXT_KEYS = {
  prefix: 'prefix',
  evidenceUploadOrigins: 'evidenceUploadOrigins',
  logRetentionDays: 'logRetentionDays',
  senderDomain: 'senderDomain',
  senderEmail: 'senderEmail',
  reviewBaseUrl: 'reviewBaseUrl',
  jwtIssuer: 'jwtIssuer',
  jwtAudience: 'jwtAudience',
  alarmEmail: 'alarmEmail',
  apiRateLimit: 'apiRateLimit',
  apiBurstLimit: 'apiBurstLimit',
} as const;

export const DEFAULT_SENDER_DOMAIN = 'credit-repair.example';
const DEFAULT_LOG_RETENTION = RetentionDays.THREE_MONTHS;
const DEFAULT_API_RATE_LIMIT = 50;
const DEFAULT_API_BURST_LIMIT = 100;

function stringFrom(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function listFrom(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.map(String);
  const text = stringFrom(value);
  return text === undefined ? undefined : text.split(',').map((s) => s.trim());
}

function retentionFrom(value: unknown): RetentionDays {
  if (value === undefined) return DEFAULT_LOG_RETENTION;
  const days = Number(value);
  const known = Object.values(RetentionDays).filter((v): v is RetentionDays => typeof v === 'number');
  if (!known.includes(days))
    throw new Error(`logRetentionDays must be one of ${known.join(', ')}; got ${String(value)}`);
  return days;
}

function positiveIntegerFrom(key: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) {
    throw new Error(`${key} must be a positive integer; got ${String(value)}`);
  }
  return number;
}

function emailFrom(key: string, value: unknown): string | undefined {
  const text = stringFrom(value);
  if (text !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text)) {
    throw new Error(`${key} must be an email address; got ${text}`);
  }
  return text;
}

function httpsUrlFrom(key: string, value: unknown): string | undefined {
  const text = stringFrom(value);
  if (text !== undefined && !/^https:\/\/[^\s/]+/.test(text)) {
    throw new Error(`${key} must be an https:// URL; got ${text}`);
  }
  return text;
}

function jwtFrom(node: Node): DeployConfig['jwt'] {
  const issuer = httpsUrlFrom(CONTEXT_KEYS.jwtIssuer, node.tryGetContext(CONTEXT_KEYS.jwtIssuer));
  const audience = listFrom(node.tryGetContext(CONTEXT_KEYS.jwtAudience));
  // Half a configuration would silently fall back to Cognito: refuse it instead.
  if ((issuer === undefined) !== (audience === undefined)) {
    throw new Error(`give both ${CONTEXT_KEYS.jwtIssuer} and ${CONTEXT_KEYS.jwtAudience}, or neither`);
  }
  return issuer === undefined || audience === undefined ? undefined : { issuer, audience };
}

export function readDeployConfig(node: Node): DeployConfig {
  const get = (key: keyof typeof CONTEXT_KEYS): unknown => node.tryGetContext(CONTEXT_KEYS[key]);
  const senderDomain = stringFrom(get('senderDomain')) ?? DEFAULT_SENDER_DOMAIN;
  const senderEmail = emailFrom(CONTEXT_KEYS.senderEmail, get('senderEmail')) ?? `no-reply@${senderDomain}`;
  if (!senderEmail.endsWith(`@${senderDomain}`)) {
    throw new Error(`${CONTEXT_KEYS.senderEmail} must be an address of ${senderDomain}, the verified domain`);
  }
  const reviewBaseUrl = httpsUrlFrom(CONTEXT_KEYS.reviewBaseUrl, get('reviewBaseUrl'));
  const jwt = jwtFrom(node);
  const alarmEmail = emailFrom(CONTEXT_KEYS.alarmEmail, get('alarmEmail'));
  return {
    prefix: stringFrom(get('prefix')) ?? DEFAULT_FUNCTION_PREFIX,
    evidenceUploadOrigins: listFrom(get('evidenceUploadOrigins')) ?? ['*'],
    logRetention: retentionFrom(get('logRetentionDays')),
    senderDomain,
    senderEmail,
    ...(reviewBaseUrl === undefined ? {} : { reviewBaseUrl }),
    ...(jwt === undefined ? {} : { jwt }),
    ...(alarmEmail === undefined ? {} : { alarmEmail }),
    apiThrottle: {
      rateLimit: positiveIntegerFrom(CONTEXT_KEYS.apiRateLimit, get('apiRateLimit'), DEFAULT_API_RATE_LIMIT),
      burstLimit: positiveIntegerFrom(
        CONTEXT_KEYS.apiBurstLimit,
        get('apiBurstLimit'),
        DEFAULT_API_BURST_LIMIT,
      ),
    },
  };
}
