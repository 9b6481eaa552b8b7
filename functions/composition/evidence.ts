import { S3EvidenceStore } from '../adapters/s3/evidence-store.ts';
import type { EvidenceStore } from '../ports/evidence-store.ts';
import { evidenceBucketName } from './evidence-bucket.ts';
import { installedPort } from './installed.ts';

/**
 * The evidence bucket of EVIDENCE_BUCKET (read at each call) on S3, the whole store. A handler
 * that calls one operation takes it from a module of its own (evidence-uploads.ts,
 * evidence-inspection.ts, evidence-document-links.ts): esbuild keeps every SDK import of every module a bundle reaches, so
 * reaching this one would load the presigned-POST and URL-presigner packages at its cold start.
 */
let deployed: EvidenceStore | undefined;

export const evidenceStore = (): EvidenceStore =>
  installedPort('evidence') ?? (deployed ??= new S3EvidenceStore({ bucket: evidenceBucketName }));
