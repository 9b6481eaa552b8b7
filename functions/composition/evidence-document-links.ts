import { presignDocumentLink } from '../adapters/s3/document-links.ts';
import { s3Bucket } from '../adapters/s3/objects.ts';
import type { EvidenceDocumentLinks } from '../ports/evidence-store.ts';
import { EVIDENCE_BUCKET_ENV, requiredEnv } from './environment.ts';
import { installedPort } from './installed.ts';

/** For a handler that only opens frozen documents: the evidence bucket's presigned GETs alone. */
export const evidenceDocumentLinks = (): EvidenceDocumentLinks =>
  installedPort('evidence') ?? {
    presignDocumentLink: (request) =>
      presignDocumentLink(
        s3Bucket(() => requiredEnv(EVIDENCE_BUCKET_ENV)),
        request,
      ),
  };
