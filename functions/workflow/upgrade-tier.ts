import type { Tier } from '../../domain/tiers.ts';
import { clock } from '../composition/clock.ts';
import { store } from '../composition/store.ts';
import { setApplicationCorrelation } from '../observability/logger.ts';
import { upgradeTierStep } from '../usecases/steps/upgrade-tier.ts';
import { ApplicationPayload } from './payloads.ts';
import { retryableOnTransient } from './transient-errors.ts';

/** UpgradeTier: records the repair (REPAIRED closures, the certification bar), then APPROVED. */
export const handler = retryableOnTransient(async (event: unknown): Promise<{ tier: Tier }> => {
  const { applicationId } = ApplicationPayload.parse(event);
  setApplicationCorrelation(applicationId);
  return upgradeTierStep({ store: store(), clock: clock() }, applicationId);
});
