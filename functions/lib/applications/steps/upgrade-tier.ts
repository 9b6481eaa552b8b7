import { addYears, localDateIn, type LocalDate } from '../../../../domain/dates.ts';
import { POLICY } from '../../../../domain/policy.ts';
import type { Tier } from '../../../../domain/tiers.ts';
import { recordRestoration, releaseOpenApplication } from '../../enterprises/index.ts';
import type { Store } from '../../store/index.ts';
import { changeApplication, requireApplication } from '../repository.ts';
import { StepPreconditionError, WHOLE_APPLICATION, WORKFLOW_ACTOR, type WorkflowContext } from './context.ts';

interface UpgradeRecord {
  readonly tier: Tier;
  readonly on: LocalDate;
  readonly certificationBarUntil: LocalDate;
}

const UPGRADE_TIER = 'UpgradeTier';

export async function upgradeTierStep(ctx: WorkflowContext, applicationId: string): Promise<{ tier: Tier }> {
  const { store } = ctx;
  const upgrade = await store.memoizedStep<UpgradeRecord>(
    applicationId,
    UPGRADE_TIER,
    WHOLE_APPLICATION,
    async () => {
      const { state } = await requireApplication(store, applicationId);
      if (state.approvedAt === undefined)
        throw new StepPreconditionError('the reviews have not approved this application');
      // The repair takes effect on the day the round was approved, whenever this step runs.
      const on = localDateIn(state.approvedAt);
      const certificationBarUntil = addYears(on, POLICY.repair.certificationBarYears);
      await recordRestoration(
        store,
        state.enterpriseId,
        { on, kind: 'REPAIRED', applicationId, certificationBarUntil },
        { now: ctx.now().toISOString(), today: localDateIn(ctx.now()) },
      );
      const { record } = await changeApplication(
        store,
        applicationId,
        (s) => (s.status === 'APPROVED' ? null : { type: 'UPGRADED', at: ctx.now().toISOString() }),
        WORKFLOW_ACTOR,
      );
      await releaseOpenApplication(store, record.state.enterpriseId, applicationId);
      return { tier: record.state.targetTier, on, certificationBarUntil };
    },
  );
  return { tier: upgrade.tier };
}

/** What UpgradeTier recorded, once it has run. */
export const recordedUpgrade = (store: Store, applicationId: string): Promise<UpgradeRecord | undefined> =>
  store.recordedStep<UpgradeRecord>(applicationId, UPGRADE_TIER, WHOLE_APPLICATION);
