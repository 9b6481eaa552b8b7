import type { Needs } from '../../ports/ports.ts';
import { isFinalStatus } from '../../../domain/vocabulary.ts';
import { requireApplication } from '../applications/records.ts';
import { StepPreconditionError, WHOLE_APPLICATION } from './context.ts';
import { recordedUpgrade } from './upgrade-tier.ts';
import { sendOnce } from './send-once.ts';
import type { ListingChangedDetail } from '../../ports/listing-events.ts';

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
  // Intent, send, mark (send-once.ts): a crash after the send publishes the recorded event again,
  // with its changeId, which subscribers use to drop the copy (docs/deploy.md).
  return sendOnce<ListingChangedDetail, { published: boolean }>(
    store,
    { applicationId, step: 'PublishListingChange', round: WHOLE_APPLICATION },
    {
      prepare: async () => {
        const { state } = await requireApplication(store, applicationId);
        const upgrade = await recordedUpgrade(store, applicationId);
        if (
          upgrade?.outcome === 'NOT_UPGRADED' &&
          isFinalStatus(state.status) &&
          state.status !== 'APPROVED'
        ) {
          return null;
        }
        if (!upgrade || state.status !== 'APPROVED')
          throw new StepPreconditionError('the tier has not been upgraded');
        const fromTier = upgrade.fromTier ?? state.fromTier;
        if (fromTier === upgrade.tier) return null;
        return {
          enterpriseId: state.enterpriseId,
          fromTier,
          toTier: upgrade.tier,
          reason: 'REPAIRED',
          effectiveOn: upgrade.on,
          policyId: state.policyId,
          changeId: repairChangeId(applicationId),
          applicationId,
        };
      },
      send: async (detail) => {
        await ports.events.publishListingChanged(detail);
      },
      result: (detail) => ({ published: detail !== null }),
      sentPoint: 'publish.sent',
    },
  );
}

/** The changeId of the listing change an approved application makes: one per application. */
export const repairChangeId = (applicationId: string): string => `${applicationId}#REPAIRED`;
