import { notifyStep } from '../lib/applications/steps/notify.ts';
import { setApplicationCorrelation } from '../lib/logger.ts';
import { ApplicationPayload, workflowContext } from './context.ts';

/** Notify: emails the outcome to the applicant and to the review parties, once each. */
export async function handler(event: unknown): Promise<{ sent: number }> {
  const { applicationId } = ApplicationPayload.parse(event);
  setApplicationCorrelation(applicationId);
  return notifyStep(workflowContext(), applicationId);
}
