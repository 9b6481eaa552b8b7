import { classify } from '../../../domain/classification.ts';
import type { LocalDate } from '../../../domain/dates.ts';
import { checkEligibility, type Eligibility, type Refusal } from '../../../domain/eligibility.ts';
import { fenToYuan } from '../../../domain/money.ts';
import { isFinalStatus } from '../../../domain/vocabulary.ts';
import type { StoreReader } from '../../ports/store/store.ts';
import { loadApplication } from '../applications/records.ts';
import { requireEnterprise } from './records.ts';

/**
 * GET /enterprises/{id}/eligibility: whether the enterprise may apply today and, if not, every
 * reason with the earliest date, before an attempt (RULES.md §3). The same check POST
 * /applications makes; it reads only. A claim left by an application that has already ended (a
 * crash between its final write and the release) counts as no open application, as the next
 * POST /applications would release it.
 */
/** A refusal on the wire: money in yuan, as everywhere else the API shows it. */
export type RefusalView =
  | Exclude<Refusal, { code: 'OUTSTANDING_OBLIGATIONS' }>
  | {
      readonly code: 'OUTSTANDING_OBLIGATIONS';
      readonly facts: readonly { factId: string; type: string; amount: number; dueOn: LocalDate }[];
    };

export type EligibilityView = Pick<
  Eligibility,
  'eligible' | 'earliestApplicationOn' | 'requiredDocuments' | 'parties' | 'fromTier' | 'targetTier'
> & { readonly enterpriseId: string; readonly asOf: LocalDate; readonly reasons: readonly RefusalView[] };

const refusalView = (refusal: Refusal): RefusalView =>
  refusal.code === 'OUTSTANDING_OBLIGATIONS'
    ? {
        code: refusal.code,
        facts: refusal.facts.map((f) => ({
          factId: f.factId,
          type: f.type,
          amount: fenToYuan(f.amountFen),
          dueOn: f.dueOn,
        })),
      }
    : refusal;

export async function enterpriseEligibility(
  store: StoreReader,
  enterpriseId: string,
  today: LocalDate,
): Promise<EligibilityView> {
  const enterprise = await requireEnterprise(store, enterpriseId);
  let openApplicationId = enterprise.profile.openApplicationId;
  if (openApplicationId !== undefined) {
    const open = await loadApplication(store, openApplicationId);
    if (open && isFinalStatus(open.state.status)) openApplicationId = undefined;
  }
  const eligibility = checkEligibility(
    {
      classification: classify(enterprise.input, today),
      ...(openApplicationId === undefined ? {} : { openApplicationId }),
    },
    today,
  );
  return {
    enterpriseId,
    asOf: today,
    eligible: eligibility.eligible,
    reasons: eligibility.reasons.map(refusalView),
    earliestApplicationOn: eligibility.earliestApplicationOn,
    requiredDocuments: eligibility.requiredDocuments,
    parties: eligibility.parties,
    fromTier: eligibility.fromTier,
    targetTier: eligibility.targetTier,
  };
}
