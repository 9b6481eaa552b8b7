import type { Clock } from './clock.ts';
import type { EvidenceStore } from './evidence-store.ts';
import type { Idempotency } from './idempotency.ts';
import type { LinkSecret } from './link-secret.ts';
import type { ListingEvents } from './listing-events.ts';
import type { Mailer } from './mailer.ts';
import type { Store } from './store/store.ts';
import type { WorkflowClient } from './workflow.ts';

/**
 * Every port a use case may be given. A use case names the ones it uses (`Needs<'store' | 'clock'>`)
 * and its caller passes exactly those: a handler from functions/composition/, a test from the
 * in-memory twins. So each deployed function builds only the adapters (and SDK clients) its use
 * cases name, and the access table (infra/function-access.ts) reads like their signatures.
 */
export interface Ports {
  readonly store: Store;
  readonly clock: Clock;
  readonly mailer: Mailer;
  readonly evidence: EvidenceStore;
  readonly workflow: WorkflowClient;
  readonly events: ListingEvents;
  readonly idempotency: Idempotency;
  readonly linkSecret: LinkSecret;
}

export type Needs<K extends keyof Ports> = Pick<Ports, K>;
