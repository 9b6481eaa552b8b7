import { presignUpload } from '../adapters/s3/uploads.ts';
import type { EvidenceUploads } from '../ports/evidence-store.ts';
import { evidenceBucket } from './evidence-bucket.ts';
import { installedPort } from './installed.ts';

/** For a handler that only hands out upload tickets: the evidence bucket's presigned POSTs alone. */
export const evidenceUploads = (): EvidenceUploads =>
  installedPort('evidence') ?? {
    presignUpload: (request) => presignUpload(evidenceBucket(), request),
  };
