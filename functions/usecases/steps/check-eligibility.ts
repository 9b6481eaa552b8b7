import type { Needs } from '../../ports/ports.ts';
import { classify } from '../../../domain/classification.ts';
import { localDateIn } from '../../../domain/dates.ts';
import { checkEligibility } from '../../../domain/eligibility.ts';
import type { Party, RefusalCode } from '../../../domain/vocabulary.ts';
import { requireEnterprise } from '../enterprises/records.ts';
import type { Store } from '../../ports/store/store.ts';
import { requireApplication } from '../applications/records.ts';

export interface EligibilityResult {
  readonly eligible: boolean;
  readonly parties: Party[];
  readonly round: number;
}

interface EligibilityVerdict {
  readonly eligible: boolean;
  readonly reasons: RefusalCode[];
}

const CHECK_ELIGIBILITY = 'CheckEligibility';
const ONLY_CHECK = 1;

/**
 * Re-checks eligibility when the workflow starts (the enterprise's facts may have changed since
 * submission); the verdict is recorded once. The round returned is the application's current one,
 * so a restarted execution resumes there instead of replaying earlier rounds.
 */
export async function checkEligibilityStep(
  ports: Needs<'store' | 'clock'>,
  applicationId: string,
): Promise<EligibilityResult> {
  const record = await requireApplication(ports.store, applicationId);
  const verdict = await ports.store.memoizedStep<EligibilityVerdict>(
    applicationId,
    CHECK_ELIGIBILITY,
    ONLY_CHECK,
    async () => {
      const today = localDateIn(ports.clock.now());
      const enterprise = await requireEnterprise(ports.store, record.state.enterpriseId);
      const open = enterprise.profile.openApplicationId;
      const eligibility = checkEligibility(
        {
          classification: classify(enterprise.input, today),
          // The application's own claim does not count against it.
          ...(open === undefined || open === applicationId ? {} : { openApplicationId: open }),
        },
        today,
      );
      return { eligible: eligibility.eligible, reasons: eligibility.reasons.map((r) => r.code) };
    },
  );
  return { eligible: verdict.eligible, parties: [...record.state.parties], round: record.state.round };
}

/** The refusals CheckEligibility recorded (none when it has not run or found the application eligible). */
export async function recordedRefusals(store: Store, applicationId: string): Promise<RefusalCode[]> {
  const verdict = await store.recordedStep<EligibilityVerdict>(applicationId, CHECK_ELIGIBILITY, ONLY_CHECK);
  return verdict?.reasons ?? [];
}
