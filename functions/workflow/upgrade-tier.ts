import type { Tier } from '../../domain/tiers.ts';
import { upgradeTierStep } from '../lib/applications/steps/upgrade-tier.ts';
import { setApplicationCorrelation } from '../lib/logger.ts';
import { ApplicationPayload, workflowContext } from './context.ts';
import { retryableOnTransient } from '../lib/transient-errors.ts';

/** UpgradeTier: records the REPAIRED restoration (tier REGULAR, certification bar) and APPROVED. */
export const handler = retryableOnTransient(async (event: unknown): Promise<{ tier: Tier }> => {
  const { applicationId } = ApplicationPayload.parse(event);
  setApplicationCorrelation(applicationId);
  return upgradeTierStep(workflowContext(), applicationId);
});
