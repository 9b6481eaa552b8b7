import { publishListingChangeStep } from '../usecases/steps/publish-listing-change.ts';
import { setApplicationCorrelation } from '../observability/logger.ts';
import { ApplicationPayload, workflowContext } from './context.ts';
import { retryableOnTransient } from './transient-errors.ts';

/** PublishListingChange: tells the other agencies (EventBridge ListingChanged) once. */
export const handler = retryableOnTransient(async (event: unknown): Promise<{ published: boolean }> => {
  const { applicationId } = ApplicationPayload.parse(event);
  setApplicationCorrelation(applicationId);
  return publishListingChangeStep(workflowContext(), applicationId);
});
