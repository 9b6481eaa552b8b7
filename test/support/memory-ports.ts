import { ManualClock } from '../../functions/adapters/memory/clock.ts';
import { MemoryEvidenceStore } from '../../functions/adapters/memory/evidence-store.ts';
import { MemoryIdempotency } from '../../functions/adapters/memory/idempotency.ts';
import { fixedLinkSecret } from '../../functions/adapters/memory/link-secret.ts';
import { MemoryListingEvents } from '../../functions/adapters/memory/listing-events.ts';
import { MemoryMailer } from '../../functions/adapters/memory/mailer.ts';
import { MemoryStore } from '../../functions/adapters/memory/store.ts';
import { MemoryWorkflowClient } from '../../functions/adapters/memory/workflow.ts';
import type { Ports } from '../../functions/ports/ports.ts';

/** Every port on its in-memory twin, with the twins' own methods in reach for a test. */
export interface MemoryPorts extends Ports {
  readonly store: MemoryStore;
  readonly clock: ManualClock;
  readonly mailer: MemoryMailer;
  readonly evidence: MemoryEvidenceStore;
  readonly workflow: MemoryWorkflowClient;
  readonly events: MemoryListingEvents;
  readonly idempotency: MemoryIdempotency;
  /** Where review links point (the sweep's reminders and escalations mint them). */
  readonly reviewBaseUrl: string;
}

/** The ports of a use-case test: every one in memory, the clock at `now`. */
export function memoryPorts(now = '2026-05-04T02:00:00.000Z'): MemoryPorts {
  const clock = new ManualClock(now);
  return {
    store: new MemoryStore({ clock }),
    clock,
    mailer: new MemoryMailer(),
    evidence: new MemoryEvidenceStore(),
    workflow: new MemoryWorkflowClient(),
    events: new MemoryListingEvents(),
    idempotency: new MemoryIdempotency(),
    linkSecret: fixedLinkSecret('memory-link-secret'),
    reviewBaseUrl: 'https://review.test',
  };
}
