import { addDays } from './dates.ts';
import type { CauseCode, DocumentType, Party } from './vocabulary.ts';
import type { Tier } from './tiers.ts';

/**
 * The one home of every number in the credit-repair rules: a table of policies, each in force from
 * its effective date until the next one starts (RULES.md §6.6). A cause is judged under the policy
 * in force on its determination date and keeps that policy's tier, minimum and listing length; an
 * application follows the process rules (documents, parties, deadlines, rounds) of the policy in
 * force when it was submitted. Every determination, application and decision records the policy id.
 * Decisions the rules leave open are written beside the entry they shape.
 */

export type DowngradedTierName = Extract<Tier, 'DISHONEST' | 'SERIOUSLY_DISHONEST'>;

export interface CausePolicy {
  readonly tier: DowngradedTierName;
  readonly minimumRectificationMonths: number;
  /** Documents required in addition to the ones every application needs. */
  readonly documents: readonly DocumentType[];
}

export interface Policy {
  readonly id: string;
  /** The first day the policy is in force; it ends the day before the next policy's. */
  readonly effectiveFrom: string;
  readonly causes: Readonly<Record<CauseCode, CausePolicy>>;
  /** Documents every application needs, whatever its causes. */
  readonly alwaysRequiredDocuments: readonly DocumentType[];
  readonly triggers: {
    /** Fines in one 12-month window summing to MORE than this (strictly) make EXCESSIVE_FINES. */
    readonly excessiveFinesWindowMonths: number;
    readonly excessiveFinesThresholdFen: number;
    /** A tax assessment still unpaid at the end of dueOn + this many months is arrears the day after. */
    readonly taxArrearsAfterMonths: number;
    /** A fine strictly above this amount, unpaid at the end of dueOn + these months, is arrears the day after. */
    readonly fineArrearsThresholdFen: number;
    readonly fineArrearsAfterMonths: number;
    /** A second major infraction within this many months of another. */
    readonly repeatedInfractionsWindowMonths: number;
  };
  /** How long a cause of each grade lists the enterprise, from the cause's own determination. */
  readonly listingYears: Readonly<Record<DowngradedTierName, number>>;
  readonly evidence: {
    readonly allowedContentTypes: readonly string[];
    readonly maxBytes: number;
    /** Evidence may be uploaded and submitted through this day after submission (or a change request). */
    readonly deadlineDays: number;
  };
  readonly review: {
    readonly parties: Readonly<Record<DowngradedTierName, readonly Party[]>>;
    /** Leads the interagency review: sees the others' decisions, issues the outcome notices. */
    readonly leadParty: Party;
    readonly maxRounds: number;
    /** A review is due by the end of this day after it opens; the first overdue day escalates. */
    readonly deadlineDays: number;
    readonly reminderDaysBeforeDeadline: number;
    /** On this day after it opens the review times out and the application expires. */
    readonly timeoutDays: number;
  };
  readonly repair: {
    /** Tier an approved repair restores, from either downgraded tier. */
    readonly restoredTier: Tier;
    readonly certificationBarYears: number;
  };
  readonly certification: {
    readonly reviewEveryYears: Readonly<Record<'ADVANCED_CERTIFIED' | 'CERTIFIED', number>>;
    readonly noticeDaysBefore: number;
  };
}

/** GAC Order No. 282, in force 1 April 2026: the defaults of RULES.md §1–§5. */
const GAC_282_2026 = {
  id: 'GAC-282-2026',
  effectiveFrom: '2026-04-01',
  causes: {
    EXCESSIVE_FINES: {
      tier: 'DISHONEST',
      minimumRectificationMonths: 6,
      documents: ['PENALTY_DECISION', 'PENALTY_PAID_PROOF'],
    },
    TAX_ARREARS: { tier: 'DISHONEST', minimumRectificationMonths: 3, documents: ['TAX_PAID_PROOF'] },
    FINE_ARREARS: {
      tier: 'DISHONEST',
      minimumRectificationMonths: 3,
      documents: ['PENALTY_DECISION', 'PENALTY_PAID_PROOF'],
    },
    BRIBERY: {
      tier: 'SERIOUSLY_DISHONEST',
      minimumRectificationMonths: 12,
      documents: ['PENALTY_DECISION', 'RECTIFICATION_REPORT'],
    },
    OBSTRUCTION: {
      tier: 'SERIOUSLY_DISHONEST',
      minimumRectificationMonths: 12,
      documents: ['PENALTY_DECISION', 'COOPERATION_PROOF'],
    },
    REPEATED_MAJOR_INFRACTIONS: {
      tier: 'SERIOUSLY_DISHONEST',
      minimumRectificationMonths: 12,
      documents: ['PENALTY_DECISION', 'RECTIFICATION_REPORT'],
    },
  },
  alwaysRequiredDocuments: ['REPAIR_APPLICATION', 'COMMITMENT_LETTER'],
  triggers: {
    excessiveFinesWindowMonths: 12,
    excessiveFinesThresholdFen: 1_000_000_00,
    taxArrearsAfterMonths: 3,
    fineArrearsThresholdFen: 10_000_00,
    fineArrearsAfterMonths: 6,
    repeatedInfractionsWindowMonths: 12,
  },
  listingYears: { DISHONEST: 1, SERIOUSLY_DISHONEST: 3 },
  evidence: {
    allowedContentTypes: ['application/pdf', 'image/jpeg', 'image/png'],
    maxBytes: 10 * 1024 * 1024,
    deadlineDays: 30,
  },
  review: {
    parties: {
      DISHONEST: ['CUSTOMS', 'TAX'],
      SERIOUSLY_DISHONEST: ['CUSTOMS', 'TAX', 'MARKET_REGULATION', 'FINANCIAL_REGULATION'],
    },
    leadParty: 'CUSTOMS',
    maxRounds: 3,
    deadlineDays: 14,
    reminderDaysBeforeDeadline: 3,
    timeoutDays: 60,
  },
  repair: { restoredTier: 'REGULAR', certificationBarYears: 1 },
  certification: { reviewEveryYears: { ADVANCED_CERTIFIED: 5, CERTIFIED: 3 }, noticeDaysBefore: 30 },
} as const satisfies Policy;

/** A cause Order No. 251 graded DISHONEST where Order No. 282 grades it SERIOUSLY_DISHONEST. */
const dishonestUnder251 = (cause: CausePolicy): CausePolicy => ({ ...cause, tier: 'DISHONEST' });

/**
 * GAC Order No. 251 as far as it is modelled here (RULES.md §6.6): bribery, obstruction and
 * repeated major infractions are DISHONEST-grade (their 12-month minimum is the same number), and a
 * DISHONEST-grade listing lasts 2 years. Everything else, the process rules included, is as above.
 */
const GAC_251_2021 = {
  ...GAC_282_2026,
  id: 'GAC-251-2021',
  effectiveFrom: '2021-11-01',
  causes: {
    ...GAC_282_2026.causes,
    BRIBERY: dishonestUnder251(GAC_282_2026.causes.BRIBERY),
    OBSTRUCTION: dishonestUnder251(GAC_282_2026.causes.OBSTRUCTION),
    REPEATED_MAJOR_INFRACTIONS: dishonestUnder251(GAC_282_2026.causes.REPEATED_MAJOR_INFRACTIONS),
  },
  listingYears: { ...GAC_282_2026.listingYears, DISHONEST: 2 },
} satisfies Policy;

/** Every policy, newest first. */
export const POLICIES: readonly Policy[] = [GAC_282_2026, GAC_251_2021];

/**
 * The newest policy. Only for what is not judged on a date: the descriptions of the API document
 * and the bounds every policy shares. A rule takes its policy from `policyInForce` (a date) or
 * `policyById` (what a cause or an application recorded).
 */
export const POLICY: Policy = GAC_282_2026;

/** The first day any policy is in force: facts dated earlier cannot be judged (BEFORE_FIRST_POLICY). */
export const FIRST_POLICY_FROM: string = POLICIES[POLICIES.length - 1]!.effectiveFrom;

/** The last day a policy is in force (the day before its successor starts), or null while it is the newest. */
export function policyEffectiveUntil(policy: Policy): string | null {
  const index = POLICIES.indexOf(policy);
  const successor = index > 0 ? POLICIES[index - 1] : undefined;
  return successor === undefined ? null : addDays(successor.effectiveFrom, -1);
}

/**
 * The policy in force on `date` (YYYY-MM-DD). A date before the first policy is judged under the
 * oldest one: new facts that early are refused at the edge, so only data stored before the table
 * had a start date (RULES.md revision 1) can reach here with one.
 */
export function policyInForce(date: string): Policy {
  return POLICIES.find((policy) => policy.effectiveFrom <= date) ?? POLICIES[POLICIES.length - 1]!;
}

export class UnknownPolicyError extends Error {
  constructor(id: string) {
    super(`no policy ${id} in the policy table`);
    this.name = 'UnknownPolicyError';
  }
}

export function policyById(id: string): Policy {
  const policy = POLICIES.find((p) => p.id === id);
  if (policy === undefined) throw new UnknownPolicyError(id);
  return policy;
}

/**
 * The most review rounds any policy allows: bounds what an event may name before its policy is
 * known. Marked as the schemas are (domain/zod.ts, `schema`): left out where no event is parsed.
 */
export const MAX_REVIEW_ROUNDS = /* @__PURE__ */ (() =>
  Math.max(...POLICIES.map((p) => p.review.maxRounds)))();
