import type { ListingChangedDetail, ListingEvents } from '../../ports/listing-events.ts';

/** The in-memory twin of the EventBridge publisher: it keeps every event, in order. */
export class MemoryListingEvents implements ListingEvents {
  readonly published: ListingChangedDetail[] = [];

  async publishListingChanged(detail: ListingChangedDetail): Promise<{ eventId: string }> {
    this.published.push(detail);
    return { eventId: `memory-${this.published.length}` };
  }
}
