import { checkEligibilityStep, type EligibilityResult } from '../usecases/steps/check-eligibility.ts';
import { setApplicationCorrelation } from '../observability/logger.ts';
import { ApplicationPayload, workflowContext } from './context.ts';
import { retryableOnTransient } from './transient-errors.ts';

/** CheckEligibility: `{applicationId}` → `{eligible, parties, round}`. */
export const handler = retryableOnTransient(async (event: unknown): Promise<EligibilityResult> => {
  const { applicationId } = ApplicationPayload.parse(event);
  setApplicationCorrelation(applicationId);
  return checkEligibilityStep(workflowContext(), applicationId);
});
