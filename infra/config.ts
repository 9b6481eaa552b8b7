import type { Node } from 'constructs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DEFAULT_FUNCTION_PREFIX } from '../workflows/task-names.ts';

/**
 * Deployment parameters read from CDK context (`cdk deploy -c key=value` or cdk.json). Each has a
 * default so `npm run synth` works offline with none given; docs/deploy.md lists them.
 */
export interface DeployConfig {
  /**
   * Prefix of every name the deployment gives: stacks, functions, the state machine, the bus, the
   * API, secrets, queues and topics. One deployment per prefix per account and region, and two
   * prefixes never share a name (test/infra/prefixes.test.ts).
   */
  readonly prefix: string;
  /**
   * `aws` (the global regions) or `aws-cn` (Beijing and Ningxia). China has neither Cognito nor
   * SES: its profile signs in through the agency's own OIDC issuer and mails through SMTP.
   */
  readonly partition: Partition;
  /**
   * The region the stacks are pinned to: the CLI's target region when it lies in the partition,
   * else none (a region-agnostic template whose ARNs take the partition from AWS::Partition).
   */
  readonly region?: string;
  /**
   * Origins of the browser clients (the web console): the evidence bucket's CORS for the
   * presigned POST and the HTTP API's CORS both allow exactly these.
   */
  readonly webOrigins: readonly string[];
  readonly logRetention: RetentionDays;
  /** The sender's domain: verified in SES, or the SMTP provider's domain in China. */
  readonly senderDomain: string;
  readonly senderEmail: string;
  /** How mail leaves: SES v2 (global regions) or SMTP with credentials in Secrets Manager (China). */
  readonly mail: MailConfig;
  /**
   * Where Cognito may send users back after the hosted sign-in (authorization code flow with
   * PKCE only). Without any, the app client has no OAuth flow at all: clients sign in with SRP.
   */
  readonly oauthCallbackUrls: readonly string[];
  /** Where review links point (`<base>/review/<id>`); the HTTP API's own URL when absent. */
  readonly reviewBaseUrl?: string;
  /** An existing OIDC issuer for the JWT authorizer; without it a Cognito user pool is created. */
  readonly jwt?: { readonly issuer: string; readonly audience: readonly string[] };
  /** Who is emailed when an alarm fires; the topic has no subscription when absent. */
  readonly alarmEmail?: string;
  /** Steady-state requests per second and burst the HTTP API admits on every route. */
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * Requests one client address may make in any 5 minutes through the console's CloudFront
   * distribution before the WAF answers 429 (issue 17's per-client limit).
   */
  readonly clientRateLimit: number;
}

export type Partition = 'aws' | 'aws-cn';

export type MailConfig =
  | {
      readonly transport: 'ses';
      /**
       * false when another deployment (another prefix) in the account and region already owns the
       * SES identity of the sender domain: an identity is per account and region, not per stack.
       */
      readonly createIdentity: boolean;
    }
  | { readonly transport: 'smtp' };

export const CONTEXT_KEYS = {
  prefix: 'prefix',
  partition: 'partition',
  webOrigins: 'webOrigins',
  /** The earlier name of webOrigins, still read when webOrigins is absent. */
  evidenceUploadOrigins: 'evidenceUploadOrigins',
  sesIdentity: 'sesIdentity',
  oauthCallbackUrls: 'oauthCallbackUrls',
  logRetentionDays: 'logRetentionDays',
  senderDomain: 'senderDomain',
  senderEmail: 'senderEmail',
  reviewBaseUrl: 'reviewBaseUrl',
  jwtIssuer: 'jwtIssuer',
  jwtAudience: 'jwtAudience',
  alarmEmail: 'alarmEmail',
  apiRateLimit: 'apiRateLimit',
  apiBurstLimit: 'apiBurstLimit',
  clientRateLimit: 'clientRateLimit',
} as const;

export const DEFAULT_SENDER_DOMAIN = 'credit-repair.example';
/**
 * Lower-case letters, digits and inner hyphens: valid in a CloudFormation stack name, a Lambda
 * function name, a log group, a queue, a topic and a secret name alike. At most 24 characters,
 * so the longest name built from it (a route handler's function name) stays within Lambda's 64.
 */
const PREFIX_PATTERN = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,23}$/;
/**
 * A year: the Control Tower guard rules ask for it, and the PRC Cybersecurity Law (Art. 21) asks
 * network operators to keep logs for at least six months.
 */
const DEFAULT_LOG_RETENTION = RetentionDays.ONE_YEAR;
const DEFAULT_API_RATE_LIMIT = 50;
const DEFAULT_API_BURST_LIMIT = 100;
/** Per client address and 5 minutes: a busy officer's console stays far below it. */
const DEFAULT_CLIENT_RATE_LIMIT = 2000;

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

function prefixFrom(value: unknown): string {
  const prefix = stringFrom(value) ?? DEFAULT_FUNCTION_PREFIX;
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new Error(
      `${CONTEXT_KEYS.prefix} must be 1-24 lower-case letters, digits and inner hyphens; got ${prefix}`,
    );
  }
  return prefix;
}

/**
 * The partition from context, else from the region the CLI targets (`cn-*` is China), and the
 * region to pin the stacks to. The CLI targets us-east-1 when nothing is configured, so with
 * `partition=aws-cn` a global region only leaves the template region-agnostic; a China region
 * with `partition=aws` is refused (it would deploy Cognito and SES where neither exists).
 */
function partitionFrom(
  value: unknown,
  targetRegion: string | undefined,
): { partition: Partition; region?: string } {
  const region = targetRegion === '' ? undefined : targetRegion;
  const inChina = region?.startsWith('cn-') ?? false;
  const text = stringFrom(value);
  if (text === undefined) {
    return { partition: inChina ? 'aws-cn' : 'aws', ...(region === undefined ? {} : { region }) };
  }
  if (text !== 'aws' && text !== 'aws-cn') {
    throw new Error(`${CONTEXT_KEYS.partition} must be aws or aws-cn; got ${text}`);
  }
  if (text === 'aws' && inChina) {
    throw new Error(`${CONTEXT_KEYS.partition}=aws does not match the target region ${region}`);
  }
  const pinned = region !== undefined && inChina === (text === 'aws-cn');
  return { partition: text, ...(pinned ? { region } : {}) };
}

function originsFrom(value: unknown): string[] | undefined {
  const origins = listFrom(value);
  for (const origin of origins ?? []) {
    if (origin !== '*' && !/^https?:\/\/[^\s/]+$/.test(origin)) {
      throw new Error(
        `${CONTEXT_KEYS.webOrigins} must be origins (scheme://host[:port]) or *; got ${origin}`,
      );
    }
  }
  return origins;
}

function mailFrom(value: unknown, partition: Partition): MailConfig {
  if (partition === 'aws-cn') return { transport: 'smtp' };
  const identity = stringFrom(value) ?? 'create';
  if (identity !== 'create' && identity !== 'existing') {
    throw new Error(`${CONTEXT_KEYS.sesIdentity} must be create or existing; got ${identity}`);
  }
  return { transport: 'ses', createIdentity: identity === 'create' };
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

/**
 * The deployment's parameters. `region` is the one the CDK CLI targets (CDK_DEFAULT_REGION), read
 * only to tell the partition when no context names it.
 */
export function readDeployConfig(
  node: Node,
  region: string | undefined = process.env.CDK_DEFAULT_REGION,
): DeployConfig {
  const get = (key: keyof typeof CONTEXT_KEYS): unknown => node.tryGetContext(CONTEXT_KEYS[key]);
  const target = partitionFrom(get('partition'), region);
  const { partition } = target;
  const senderDomain = stringFrom(get('senderDomain')) ?? DEFAULT_SENDER_DOMAIN;
  const senderEmail = emailFrom(CONTEXT_KEYS.senderEmail, get('senderEmail')) ?? `no-reply@${senderDomain}`;
  if (!senderEmail.endsWith(`@${senderDomain}`)) {
    throw new Error(`${CONTEXT_KEYS.senderEmail} must be an address of ${senderDomain}, the verified domain`);
  }
  const reviewBaseUrl = httpsUrlFrom(CONTEXT_KEYS.reviewBaseUrl, get('reviewBaseUrl'));
  const jwt = jwtFrom(node);
  if (partition === 'aws-cn' && jwt === undefined) {
    throw new Error(
      `AWS China has no Cognito: give the agency's OIDC issuer as ${CONTEXT_KEYS.jwtIssuer} and ${CONTEXT_KEYS.jwtAudience}`,
    );
  }
  const oauthCallbackUrls = (listFrom(get('oauthCallbackUrls')) ?? []).map(
    (url) => httpsUrlFrom(CONTEXT_KEYS.oauthCallbackUrls, url) ?? url,
  );
  if (oauthCallbackUrls.length > 0 && jwt !== undefined) {
    throw new Error(
      `${CONTEXT_KEYS.oauthCallbackUrls} configures the Cognito pool, which ${CONTEXT_KEYS.jwtIssuer} replaces`,
    );
  }
  const alarmEmail = emailFrom(CONTEXT_KEYS.alarmEmail, get('alarmEmail'));
  return {
    prefix: prefixFrom(get('prefix')),
    partition,
    ...(target.region === undefined ? {} : { region: target.region }),
    webOrigins: originsFrom(get('webOrigins')) ?? originsFrom(get('evidenceUploadOrigins')) ?? ['*'],
    logRetention: retentionFrom(get('logRetentionDays')),
    senderDomain,
    senderEmail,
    mail: mailFrom(get('sesIdentity'), partition),
    oauthCallbackUrls,
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
    clientRateLimit: positiveIntegerFrom(
      CONTEXT_KEYS.clientRateLimit,
      get('clientRateLimit'),
      DEFAULT_CLIENT_RATE_LIMIT,
    ),
  };
}
