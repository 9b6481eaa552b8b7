import { s3Bucket, type S3Bucket } from '../adapters/s3/objects.ts';
import { EVIDENCE_BUCKET_ENV, requiredEnv } from './environment.ts';

/**
 * The evidence bucket EVIDENCE_BUCKET names, read at each call (a test may point it elsewhere).
 * Its own module, holding only the object operations' package (client-s3), so the narrow
 * compositions (evidence-uploads.ts, evidence-inspection.ts, evidence-document-links.ts) can share it
 * without reaching the whole store's presigner packages.
 */
export const evidenceBucketName = (): string => requiredEnv(EVIDENCE_BUCKET_ENV);

export const evidenceBucket = (): S3Bucket => s3Bucket(evidenceBucketName);
