import { s3Bucket } from '../adapters/s3/objects.ts';
import { presignUpload } from '../adapters/s3/uploads.ts';
import type { EvidenceUploads } from '../ports/evidence-store.ts';
import { EVIDENCE_BUCKET_ENV, requiredEnv } from './environment.ts';
import { installedPort } from './installed.ts';

/** For a handler that only hands out upload tickets: the evidence bucket's presigned POSTs alone. */
export const evidenceUploads = (): EvidenceUploads =>
  installedPort('evidence') ?? {
    presignUpload: (request) =>
      presignUpload(
        s3Bucket(() => requiredEnv(EVIDENCE_BUCKET_ENV)),
        request,
      ),
  };
