import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { ListingChangedDetail, ListingEvents } from '../../ports/listing-events.ts';
import { eventBridgeClient } from './client.ts';

/** Listing changes on an EventBridge bus, where the other agencies' rules pick them up. */

export const EVENT_SOURCE = 'credit-repair';
export const LISTING_CHANGED = 'ListingChanged';

export class EventBridgeListingEvents implements ListingEvents {
  readonly #busName: () => string;
  readonly #client: () => EventBridgeClient;

  /** The bus is named when an event is published (`busName` may read the environment then). */
  constructor(options: {
    readonly busName: string | (() => string);
    readonly client?: () => EventBridgeClient;
  }) {
    const bus = options.busName;
    this.#busName = typeof bus === 'string' ? () => bus : bus;
    this.#client = options.client ?? eventBridgeClient;
  }

  async publishListingChanged(detail: ListingChangedDetail): Promise<{ eventId: string }> {
    const out = await this.#client().send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.#busName(),
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
}
