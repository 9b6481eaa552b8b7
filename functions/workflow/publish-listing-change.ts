import { publishListingChangeStep } from '../lib/applications/steps/publish-listing-change.ts';
import { setApplicationCorrelation } from '../lib/logger.ts';
import { ApplicationPayload, workflowContext } from './context.ts';

/** PublishListingChange: tells the other agencies (EventBridge ListingChanged) once. */
export async function handler(event: unknown): Promise<{ published: boolean }> {
  const { applicationId } = ApplicationPayload.parse(event);
  setApplicationCorrelation(applicationId);
  return publishListingChangeStep(workflowContext(), applicationId);
}
