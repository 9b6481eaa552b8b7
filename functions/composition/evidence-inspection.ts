import { inspect, s3Bucket } from '../adapters/s3/objects.ts';
import type { EvidenceInspection } from '../ports/evidence-store.ts';
import { EVIDENCE_BUCKET_ENV, requiredEnv } from './environment.ts';
import { installedPort } from './installed.ts';

/** For a handler that only looks at uploads: one ranged GET (or HEAD) of the evidence bucket. */
export const evidenceInspection = (): EvidenceInspection =>
  installedPort('evidence') ?? {
    inspect: (key) =>
      inspect(
        s3Bucket(() => requiredEnv(EVIDENCE_BUCKET_ENV)),
        key,
      ),
  };
