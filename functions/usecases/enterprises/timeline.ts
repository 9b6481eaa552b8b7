import { keys } from '../../ports/store/keys.ts';
import { type Store } from '../../ports/store/store.ts';

/**
 * An enterprise's timeline: append-only event items in its own partition (`EVT#<at>#<key>`).
 * Callers derive `at` and `key` from what happened (the fact's record time and id, the sweep's
 * duty and day), never from the time of a retry, so a retried write stores the event once.
 */

export interface EnterpriseEvent {
  /** ISO instant of what happened. */
  readonly at: string;
  /** Unique among the enterprise's events at `at`; deterministic for the thing recorded. */
  readonly key: string;
  /** TIER_CHANGED, RESTORED, ARREARS_DETERMINED, ELIGIBILITY_NOTICE, … */
  readonly type: string;
  /** `officer:<sub>`, `sweep`, `workflow`. */
  readonly actor: string;
  readonly detail?: Readonly<Record<string, string | number | boolean | null>>;
}

export const ENTERPRISE_EVENT_ITEM = 'ENTERPRISE_EVENT';

/** Appends an event; `written: false` when the same event was already there. */
export async function appendEnterpriseEvent(
  store: Store,
  enterpriseId: string,
  event: EnterpriseEvent,
): Promise<{ written: boolean }> {
  const key = keys.enterpriseEvent(enterpriseId, event.at, event.key);
  return store.appendEvent(key.pk, {
    sk: key.sk,
    itemType: ENTERPRISE_EVENT_ITEM,
    enterpriseId,
    at: event.at,
    eventKey: event.key,
    type: event.type,
    actor: event.actor,
    ...(event.detail === undefined ? {} : { detail: event.detail }),
  });
}
