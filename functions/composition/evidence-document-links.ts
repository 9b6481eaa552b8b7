import { presignDocumentLink } from '../adapters/s3/document-links.ts';
import type { EvidenceDocumentLinks } from '../ports/evidence-store.ts';
import { evidenceBucket } from './evidence-bucket.ts';
import { installedPort } from './installed.ts';

/** For a handler that only opens frozen documents: the evidence bucket's presigned GETs alone. */
export const evidenceDocumentLinks = (): EvidenceDocumentLinks =>
  installedPort('evidence') ?? {
    presignDocumentLink: (request) => presignDocumentLink(evidenceBucket(), request),
  };
