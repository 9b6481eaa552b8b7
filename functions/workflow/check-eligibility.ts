import { clock } from '../composition/clock.ts';
import { store } from '../composition/store.ts';
import { setApplicationCorrelation } from '../observability/logger.ts';
import { checkEligibilityStep, type EligibilityResult } from '../usecases/steps/check-eligibility.ts';
import { ApplicationPayload } from './payloads.ts';
import { retryableOnTransient } from './transient-errors.ts';

/** CheckEligibility: `{applicationId}` → `{eligible, parties, round}`. */
export const handler = retryableOnTransient(async (event: unknown): Promise<EligibilityResult> => {
  const { applicationId } = ApplicationPayload.parse(event);
  setApplicationCorrelation(applicationId);
  return checkEligibilityStep({ store: store(), clock: clock() }, applicationId);
});
