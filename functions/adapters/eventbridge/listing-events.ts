import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { eventBridgeClient } from './client.ts';
import { requiredEnv } from '../../composition/environment.ts';

/** Listing changes go to the other agencies through an EventBridge bus. */

export const EVENT_BUS_NAME_ENV = 'EVENT_BUS_NAME';
export const EVENT_SOURCE = 'credit-repair';
export const LISTING_CHANGED = 'ListingChanged';

export interface ListingChangedDetail {
  readonly enterpriseId: string;
  readonly fromTier: string;
  readonly toTier: string;
  /** REPAIRED (an approved application) or LISTING_EXPIRED (the sweep). */
  readonly reason: string;
  readonly effectiveOn: string;
  readonly policyId: string;
  /** Deterministic id of the change, so receivers can drop the duplicates an at-least-once retry sends. */
  readonly changeId: string;
  readonly applicationId?: string;
}

export async function publishListingChanged(detail: ListingChangedDetail): Promise<{ eventId: string }> {
  const out = await eventBridgeClient().send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: requiredEnv(EVENT_BUS_NAME_ENV),
          Source: EVENT_SOURCE,
          DetailType: LISTING_CHANGED,
          Detail: JSON.stringify(detail),
        },
      ],
    }),
  );
  const entry = out.Entries?.[0];
  if ((out.FailedEntryCount ?? 0) > 0 || !entry?.EventId) {
    throw new Error(
      `EventBridge refused the event: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`.trim(),
    );
  }
  return { eventId: entry.EventId };
}
