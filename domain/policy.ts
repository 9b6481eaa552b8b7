import type { CauseCode, DocumentType, Party } from './vocabulary.ts';
import type { Tier } from './tiers.ts';

/**
 * The one home of every number in the credit-repair rules. Determinations, applications and
 * decisions record `POLICY.id` so a later policy can change numbers without rewriting history.
 * Decisions the rules leave open are written beside the entry they shape.
 */

export interface CausePolicy {
  readonly tier: Extract<Tier, 'DISHONEST' | 'SERIOUSLY_DISHONEST'>;
  readonly minimumRectificationMonths: number;
  /** Documents required in addition to the ones every application needs. */
  readonly documents: readonly DocumentType[];
}

export const POLICY = {
  id: 'GAC-282-2026',
  effectiveFrom: '2026-04-01',
  timeZone: 'Asia/Shanghai',

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
  } satisfies Record<CauseCode, CausePolicy>,

  /** Documents every application needs, whatever its causes. */
  alwaysRequiredDocuments: ['REPAIR_APPLICATION', 'COMMITMENT_LETTER'] as readonly DocumentType[],

  triggers: {
    /**
     * Fines imposed within any 12-month window summing to MORE than this (strictly) make the
     * excessive-fines cause. The window is [d - 12 months + 1 day, d]: a fine imposed exactly
     * 12 months before another no longer shares its window (a regulator counts "within 12 months"
     * as the 12 months up to and including the day, as for annual amounts).
     */
    excessiveFinesWindowMonths: 12,
    excessiveFinesThresholdFen: 1_000_000_00,
    /** A tax assessment unpaid this many months after dueOn is determined as arrears on that day. */
    taxArrearsAfterMonths: 3,
    /** A fine strictly above this amount, unpaid this many months after dueOn, is fine arrears. */
    fineArrearsThresholdFen: 10_000_00,
    fineArrearsAfterMonths: 6,
    /** A second major infraction within this many months of another (same window rule as fines). */
    repeatedInfractionsWindowMonths: 12,
  },

  listingYears: { DISHONEST: 1, SERIOUSLY_DISHONEST: 3 } as const,

  evidence: {
    allowedContentTypes: ['application/pdf', 'image/jpeg', 'image/png'] as readonly string[],
    maxBytes: 10 * 1024 * 1024,
    deadlineDays: 30,
  },

  review: {
    parties: {
      DISHONEST: ['CUSTOMS', 'TAX'],
      SERIOUSLY_DISHONEST: ['CUSTOMS', 'TAX', 'MARKET_REGULATION', 'FINANCIAL_REGULATION'],
    } as const satisfies Record<'DISHONEST' | 'SERIOUSLY_DISHONEST', readonly Party[]>,
    leadParty: 'CUSTOMS' as Party,
    maxRounds: 3,
    deadlineDays: 14,
    reminderDaysBeforeDeadline: 3,
    /** The escalation contact is emailed on the day the 14-day deadline passes (day 14 after opening). */
    escalationAfterDays: 14,
    timeoutDays: 60,
  },

  repair: {
    /** Tier an approved repair restores, from either downgraded tier. */
    restoredTier: 'REGULAR' as Tier,
    certificationBarYears: 1,
  },

  certification: {
    reviewEveryYears: { ADVANCED_CERTIFIED: 5, CERTIFIED: 3 } as const,
    noticeDaysBefore: 30,
  },
} as const;

export type Policy = typeof POLICY;
