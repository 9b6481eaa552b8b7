import { listingEvents } from '../composition/events.ts';
import { store } from '../composition/store.ts';
import { setApplicationCorrelation } from '../observability/logger.ts';
import { publishListingChangeStep } from '../usecases/steps/publish-listing-change.ts';
import { ApplicationPayload } from './payloads.ts';
import { retryableOnTransient } from './transient-errors.ts';

/** PublishListingChange: tells the other agencies (EventBridge ListingChanged) once. */
export const handler = retryableOnTransient(async (event: unknown): Promise<{ published: boolean }> => {
  const { applicationId } = ApplicationPayload.parse(event);
  setApplicationCorrelation(applicationId);
  return publishListingChangeStep({ store: store(), events: listingEvents() }, applicationId);
});
