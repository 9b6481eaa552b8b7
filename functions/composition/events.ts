import { EventBridgeListingEvents } from '../adapters/eventbridge/listing-events.ts';
import type { ListingEvents } from '../ports/listing-events.ts';
import { EVENT_BUS_NAME_ENV, requiredEnv } from './environment.ts';
import { installedPort } from './installed.ts';

/** Listing changes to the bus of EVENT_BUS_NAME (read at each publish) on EventBridge. */
const deployed = new EventBridgeListingEvents({ busName: () => requiredEnv(EVENT_BUS_NAME_ENV) });

export const listingEvents = (): ListingEvents => installedPort('events') ?? deployed;
