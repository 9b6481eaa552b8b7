import { notifyStep } from '../usecases/steps/notify.ts';
import { setApplicationCorrelation } from '../observability/logger.ts';
import { ApplicationPayload, workflowContext } from './context.ts';
import { retryableOnTransient } from './transient-errors.ts';

/** Notify: emails the outcome to the applicant and to the review parties, once each. */
export const handler = retryableOnTransient(async (event: unknown): Promise<{ sent: number }> => {
  const { applicationId } = ApplicationPayload.parse(event);
  setApplicationCorrelation(applicationId);
  return notifyStep(workflowContext(), applicationId);
});
