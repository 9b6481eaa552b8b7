import type { Needs } from '../../ports/ports.ts';
import { reached } from '../../observability/crash-points.ts';
import { classify } from '../../../domain/classification.ts';
import { addYears, localDateIn, type LocalDate } from '../../../domain/dates.ts';
import { policyOf, type ApplicationEvent } from '../../../domain/lifecycle.ts';
import type { Tier } from '../../../domain/tiers.ts';
import { isFinalStatus } from '../../../domain/vocabulary.ts';
import { recordRepair } from '../enterprises/repair.ts';
import { releaseOpenApplication } from '../enterprises/open-claim.ts';
import { requireEnterprise } from '../enterprises/records.ts';
import type { Store } from '../../ports/store/store.ts';
import { coveredCauseIdsOf } from '../applications/causes-changed.ts';
import { changeApplication, requireApplication } from '../applications/records.ts';
import { StepPreconditionError, WHOLE_APPLICATION, WORKFLOW_ACTOR } from './context.ts';

/**
 * UpgradeTier (RULES.md §4, §6.1). The repair is recorded on the enterprise first, in one
 * conditional write that checks once more that its active causes are exactly the covered ones, all
 * rectified, closes the covered ones as REPAIRED (by id, dated the day the reviews approved) and
 * releases the open-application claim (recordRepair). A fact recorded meanwhile either is seen by
 * that check, or finds the claim released and stands as a cause after the repair. Only then is the
 * application APPROVED, so whoever sees it approved sees the enterprise repaired. When the check
 * fails, the application ends instead (NEW_CAUSE_DETERMINED, or LISTING_ENDED when no covered cause
 * is left) and nothing is repaired.
 */

interface UpgradeRecord {
  /** UPGRADED, or the reason the application ended instead. Absent in records written before revision 2. */
  readonly outcome?: 'UPGRADED' | 'NOT_UPGRADED';
  readonly tier: Tier;
  readonly on: LocalDate;
  readonly certificationBarUntil?: LocalDate;
  /** The tier the repair changed from (the tier shown just before it). */
  readonly fromTier?: Tier;
}

const UPGRADE_TIER = 'UpgradeTier';

export async function upgradeTierStep(
  ports: Needs<'store' | 'clock'>,
  applicationId: string,
): Promise<{ tier: Tier }> {
  const { store } = ports;
  const upgrade = await store.memoizedStep<UpgradeRecord>(
    applicationId,
    UPGRADE_TIER,
    WHOLE_APPLICATION,
    async () => {
      const nowIso = ports.clock.now().toISOString();
      const today = localDateIn(ports.clock.now());
      let { state } = await requireApplication(store, applicationId);
      if (state.approvedAt === undefined) {
        throw new StepPreconditionError('the reviews have not approved this application');
      }
      const notUpgraded = (): UpgradeRecord => ({ outcome: 'NOT_UPGRADED', tier: state.fromTier, on: today });
      // Ended by its causes while the upgrade was pending: there is nothing to repair.
      if (isFinalStatus(state.status) && state.status !== 'APPROVED') return notUpgraded();
      // A step re-run after APPROVED finds the repair recorded: recordRepair changes nothing then.

      // The repair takes effect on the day the round was approved, whenever this step runs.
      const on = localDateIn(state.approvedAt);
      const enterprise = await requireEnterprise(store, state.enterpriseId);
      // The tier shown just before the repair (without it, if a re-run finds it recorded already).
      const fromTier = classify(
        {
          ...enterprise.input,
          closures: enterprise.input.closures.filter((c) => c.applicationId !== applicationId),
        },
        on,
      ).tier;
      const certificationBarUntil = addYears(on, policyOf(state).repair.certificationBarYears);
      const repair = await recordRepair(
        store,
        state.enterpriseId,
        {
          applicationId,
          on,
          causeIds: coveredCauseIdsOf(state, enterprise.input),
          certificationBarUntil,
        },
        { now: nowIso, today },
      );
      reached('upgrade.restored');
      const { verdict } = repair;
      const event: ApplicationEvent =
        verdict.kind === 'COVERED'
          ? { type: 'UPGRADED', at: nowIso }
          : verdict.kind === 'NEW_CAUSE_DETERMINED'
            ? { type: 'NEW_CAUSE_DETERMINED', at: nowIso, causeIds: [...verdict.causeIds] }
            : { type: 'LISTING_ENDED', at: nowIso };
      ({ state } = (
        await changeApplication(
          ports,
          applicationId,
          (s) => (isFinalStatus(s.status) ? null : event),
          WORKFLOW_ACTOR,
        )
      ).record);
      reached('upgrade.upgraded');
      await releaseOpenApplication(store, state.enterpriseId, applicationId);
      if (state.status !== 'APPROVED') return notUpgraded();
      return { outcome: 'UPGRADED', tier: state.targetTier, on, certificationBarUntil, fromTier };
    },
  );
  return { tier: upgrade.tier };
}

/** What UpgradeTier recorded, once it has run. */
export const recordedUpgrade = (store: Store, applicationId: string): Promise<UpgradeRecord | undefined> =>
  store.recordedStep<UpgradeRecord>(applicationId, UPGRADE_TIER, WHOLE_APPLICATION);
