import { publishListingChanged } from '../../events-publisher.ts';
import { requireApplication } from '../repository.ts';
import { StepPreconditionError, WHOLE_APPLICATION, type WorkflowContext } from './context.ts';
import { recordedUpgrade } from './upgrade-tier.ts';

export async function publishListingChangeStep(
  ctx: WorkflowContext,
  applicationId: string,
): Promise<{ published: boolean }> {
  const { store } = ctx;
  return store.memoizedStep(applicationId, 'PublishListingChange', WHOLE_APPLICATION, async () => {
    const { state } = await requireApplication(store, applicationId);
    const upgrade = await recordedUpgrade(store, applicationId);
    if (!upgrade || state.status !== 'APPROVED')
      throw new StepPreconditionError('the tier has not been upgraded');
    await publishListingChanged({
      enterpriseId: state.enterpriseId,
      fromTier: state.fromTier,
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
