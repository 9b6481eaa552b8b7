import { S3EvidenceStore } from '../adapters/s3/evidence-store.ts';
import type { EvidenceStore } from '../ports/evidence-store.ts';
import { EVIDENCE_BUCKET_ENV, requiredEnv } from './environment.ts';
import { installedPort } from './installed.ts';

/** The evidence bucket of EVIDENCE_BUCKET (read at each call) on S3. */
const deployed = new S3EvidenceStore({ bucket: () => requiredEnv(EVIDENCE_BUCKET_ENV) });

export const evidenceStore = (): EvidenceStore => installedPort('evidence') ?? deployed;
