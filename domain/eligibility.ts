import type { Classification, OutstandingObligation } from './classification.ts';
import type { LocalDate } from './dates.ts';
import { requiredDocuments } from './documents.ts';
import { policyInForce } from './policy.ts';
import type { Tier } from './tiers.ts';
import type { DocumentType, Party } from './vocabulary.ts';

/** Whether an enterprise may apply for credit repair today (RULES.md §3), with every reason it may not. */

export type Refusal =
  | { readonly code: 'NOT_DOWNGRADED'; readonly tier: Tier }
  | { readonly code: 'OUTSTANDING_OBLIGATIONS'; readonly facts: readonly OutstandingObligation[] }
  | {
      readonly code: 'RECTIFICATION_PERIOD_NOT_MET';
      /** Null while obligations are outstanding: the period starts only once they are met. */
      readonly earliestApplicationOn: LocalDate | null;
    }
  | { readonly code: 'APPLICATION_OPEN'; readonly applicationId: string };

export interface Eligibility {
  readonly eligible: boolean;
  readonly reasons: readonly Refusal[];
  readonly earliestApplicationOn: LocalDate | null;
  readonly requiredDocuments: readonly DocumentType[];
  readonly parties: readonly Party[];
  readonly fromTier: Tier;
  readonly targetTier: Tier;
  /** The policy in force today: an accepted application follows its process rules. */
  readonly policyId: string;
  /** The active causes an application accepted today covers (RULES.md §6.1). */
  readonly coveredCauseIds: readonly string[];
}

export function checkEligibility(
  input: { readonly classification: Classification; readonly openApplicationId?: string },
  today: LocalDate,
): Eligibility {
  const { classification, openApplicationId } = input;
  const { tier, rectification } = classification;
  const policy = policyInForce(today);
  const reasons: Refusal[] = [];
  const downgraded = tier === 'DISHONEST' || tier === 'SERIOUSLY_DISHONEST';
  if (!downgraded) reasons.push({ code: 'NOT_DOWNGRADED', tier });
  if (rectification !== null && rectification.outstanding.length > 0) {
    reasons.push({ code: 'OUTSTANDING_OBLIGATIONS', facts: rectification.outstanding });
  }
  const earliestApplicationOn = rectification?.earliestApplicationOn ?? null;
  if (rectification !== null && (earliestApplicationOn === null || today < earliestApplicationOn)) {
    reasons.push({ code: 'RECTIFICATION_PERIOD_NOT_MET', earliestApplicationOn });
  }
  if (openApplicationId !== undefined)
    reasons.push({ code: 'APPLICATION_OPEN', applicationId: openApplicationId });
  return {
    eligible: reasons.length === 0,
    reasons,
    earliestApplicationOn,
    requiredDocuments: requiredDocuments(
      classification.causes.map((c) => c.code),
      policy,
    ),
    parties: downgraded ? policy.review.parties[tier] : [],
    fromTier: tier,
    targetTier: policy.repair.restoredTier,
    policyId: policy.id,
    coveredCauseIds: classification.causes.map((c) => c.id),
  };
}
