import type { Needs } from '../../ports/ports.ts';
import { isFinalStatus } from '../../../domain/vocabulary.ts';
import { requireApplication } from '../applications/records.ts';
import { StepPreconditionError, WHOLE_APPLICATION } from './context.ts';
import { recordedUpgrade } from './upgrade-tier.ts';

/**
 * Tells the other agencies of a repair (RULES.md §4): one ListingChanged event, from the tier the
 * enterprise showed just before the repair to the restored one. An application that UpgradeTier
 * found ended by its causes (RULES.md §6.1) changed no listing, so nothing is published.
 */
export async function publishListingChangeStep(
  ports: Needs<'store' | 'events'>,
  applicationId: string,
): Promise<{ published: boolean }> {
  const { store } = ports;
  return store.memoizedStep(applicationId, 'PublishListingChange', WHOLE_APPLICATION, async () => {
    const { state } = await requireApplication(store, applicationId);
    const upgrade = await recordedUpgrade(store, applicationId);
    if (upgrade?.outcome === 'NOT_UPGRADED' && isFinalStatus(state.status) && state.status !== 'APPROVED') {
      return { published: false };
    }
    if (!upgrade || state.status !== 'APPROVED')
      throw new StepPreconditionError('the tier has not been upgraded');
    const fromTier = upgrade.fromTier ?? state.fromTier;
    if (fromTier === upgrade.tier) return { published: false };
    await ports.events.publishListingChanged({
      enterpriseId: state.enterpriseId,
      fromTier,
      toTier: upgrade.tier,
      reason: 'REPAIRED',
      effectiveOn: upgrade.on,
      policyId: state.policyId,
      changeId: `${applicationId}#REPAIRED`,
      applicationId,
    });
    return { published: true };
  });
}
