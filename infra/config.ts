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
}

export const CONTEXT_KEYS = {
  prefix: 'prefix',
  evidenceUploadOrigins: 'evidenceUploadOrigins',
  logRetentionDays: 'logRetentionDays',
} as const;

const DEFAULT_LOG_RETENTION = RetentionDays.THREE_MONTHS;

function listFrom(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' && value.trim() !== '') return value.split(',').map((s) => s.trim());
  return undefined;
}

function retentionFrom(value: unknown): RetentionDays {
  if (value === undefined) return DEFAULT_LOG_RETENTION;
  const days = Number(value);
  const known = Object.values(RetentionDays).filter((v): v is RetentionDays => typeof v === 'number');
  if (!known.includes(days))
    throw new Error(`logRetentionDays must be one of ${known.join(', ')}; got ${String(value)}`);
  return days;
}

export function readDeployConfig(node: Node): DeployConfig {
  const prefix = node.tryGetContext(CONTEXT_KEYS.prefix) as unknown;
  return {
    prefix: typeof prefix === 'string' && prefix !== '' ? prefix : DEFAULT_FUNCTION_PREFIX,
    evidenceUploadOrigins: listFrom(node.tryGetContext(CONTEXT_KEYS.evidenceUploadOrigins)) ?? ['*'],
    logRetention: retentionFrom(node.tryGetContext(CONTEXT_KEYS.logRetentionDays)),
  };
}
