import { enterprisePartition, keys, prefixes } from '../../ports/store/keys.ts';
import { type Store, type StoredItem, type StoreReader } from '../../ports/store/store.ts';
import { EnterpriseNotFoundError } from './errors.ts';

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

export interface EnterpriseEventPage {
  readonly items: EnterpriseEvent[];
  readonly nextToken?: string;
}

interface EnterpriseEventItem extends StoredItem {
  readonly at: string;
  readonly eventKey: string;
  readonly type: string;
  readonly actor: string;
  readonly detail?: EnterpriseEvent['detail'];
}

/**
 * GET /enterprises/{id}/events: the enterprise's timeline, newest first, one Query of its own
 * partition per page. An unknown enterprise is EnterpriseNotFoundError (its profile is read first,
 * so an enterprise without events answers an empty list, not a 404).
 */
export async function listEnterpriseEvents(
  store: StoreReader,
  enterpriseId: string,
  page: { readonly limit: number; readonly nextToken?: string },
): Promise<EnterpriseEventPage> {
  if ((await store.get(keys.enterprise(enterpriseId), { consistent: false })) === undefined) {
    throw new EnterpriseNotFoundError(enterpriseId);
  }
  const result = await store.queryPage<EnterpriseEventItem>(
    {
      partition: enterprisePartition(enterpriseId),
      sortKey: { beginsWith: prefixes.events() },
      descending: true,
      limit: page.limit,
    },
    page.nextToken,
  );
  return {
    items: result.items.map(({ at, eventKey, type, actor, detail }) => ({
      at,
      key: eventKey,
      type,
      actor,
      ...(detail === undefined ? {} : { detail }),
    })),
    ...(result.nextToken === undefined ? {} : { nextToken: result.nextToken }),
  };
}
