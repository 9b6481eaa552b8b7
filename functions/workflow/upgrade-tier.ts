import type { Tier } from '../../domain/tiers.ts';
import { upgradeTierStep } from '../usecases/steps/upgrade-tier.ts';
import { setApplicationCorrelation } from '../observability/logger.ts';
import { ApplicationPayload, workflowContext } from './context.ts';
import { retryableOnTransient } from './transient-errors.ts';

/** UpgradeTier: records the REPAIRED restoration (tier REGULAR, certification bar) and APPROVED. */
export const handler = retryableOnTransient(async (event: unknown): Promise<{ tier: Tier }> => {
  const { applicationId } = ApplicationPayload.parse(event);
  setApplicationCorrelation(applicationId);
  return upgradeTierStep(workflowContext(), applicationId);
});
