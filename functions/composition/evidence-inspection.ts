import { inspect } from '../adapters/s3/objects.ts';
import type { EvidenceInspection } from '../ports/evidence-store.ts';
import { evidenceBucket } from './evidence-bucket.ts';
import { installedPort } from './installed.ts';

/** For a handler that only looks at uploads: one ranged GET (or HEAD) of the evidence bucket. */
export const evidenceInspection = (): EvidenceInspection =>
  installedPort('evidence') ?? {
    inspect: (key) => inspect(evidenceBucket(), key),
  };
