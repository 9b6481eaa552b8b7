import * as z from './zod.ts';

/** Causes of a downgrade (RULES.md §2). */
export const CAUSE_CODES = [
  'EXCESSIVE_FINES',
  'TAX_ARREARS',
  'FINE_ARREARS',
  'BRIBERY',
  'OBSTRUCTION',
  'REPEATED_MAJOR_INFRACTIONS',
] as const;
export const CauseCode = /* @__PURE__ */ z.schema(() => z.enum(CAUSE_CODES));
export type CauseCode = z.infer<typeof CauseCode>;

export const FACT_TYPES = ['FINE', 'TAX_ASSESSMENT', 'BRIBERY', 'OBSTRUCTION', 'MAJOR_INFRACTION'] as const;
export const FactType = /* @__PURE__ */ z.schema(() => z.enum(FACT_TYPES));
export type FactType = z.infer<typeof FactType>;

export const DOCUMENT_TYPES = [
  'REPAIR_APPLICATION',
  'COMMITMENT_LETTER',
  'PENALTY_DECISION',
  'PENALTY_PAID_PROOF',
  'TAX_PAID_PROOF',
  'COOPERATION_PROOF',
  'RECTIFICATION_REPORT',
] as const;
export const DocumentType = /* @__PURE__ */ z.schema(() => z.enum(DOCUMENT_TYPES));
export type DocumentType = z.infer<typeof DocumentType>;

export const PARTIES = ['CUSTOMS', 'TAX', 'MARKET_REGULATION', 'FINANCIAL_REGULATION'] as const;
export const Party = /* @__PURE__ */ z.schema(() => z.enum(PARTIES));
export type Party = z.infer<typeof Party>;

/**
 * Who holds a review link of a party: its reviewer, or (once the review is overdue) its escalation
 * contact, who gets a link of their own (CONTRACT.md, reminders and escalations).
 */
export const REVIEW_ROLES = ['REVIEWER', 'ESCALATION'] as const;
export type ReviewRole = (typeof REVIEW_ROLES)[number];

export const APPLICATION_STATUSES = [
  'AWAITING_EVIDENCE',
  'UNDER_REVIEW',
  'APPROVED',
  'REJECTED',
  'WITHDRAWN',
  'EXPIRED',
] as const;
export const ApplicationStatus = /* @__PURE__ */ z.schema(() => z.enum(APPLICATION_STATUSES));
export type ApplicationStatus = z.infer<typeof ApplicationStatus>;
export const FINAL_STATUSES: readonly ApplicationStatus[] = ['APPROVED', 'REJECTED', 'WITHDRAWN', 'EXPIRED'];
export const isFinalStatus = (s: ApplicationStatus): boolean => FINAL_STATUSES.includes(s);
// Marked as the schemas are (domain/zod.ts, `schema`): a bundle that never reads it leaves it out.
export const OPEN_STATUSES: readonly ApplicationStatus[] = /* @__PURE__ */ APPLICATION_STATUSES.filter(
  (s) => !isFinalStatus(s),
);

export const DECISIONS = ['APPROVE', 'REJECT', 'REQUEST_CHANGES'] as const;
export const Decision = /* @__PURE__ */ z.schema(() => z.enum(DECISIONS));
export type Decision = z.infer<typeof Decision>;

/** RULES.md §4: a rejection needs a reason and a change request a note; an approval needs nothing. */
export const commentRequired = (decision: Decision): boolean => decision !== 'APPROVE';

/** The longest comment a reviewer may leave with a decision (the form's limit and the API's). */
export const REVIEW_COMMENT_MAX_LENGTH = 4000;

export const REVIEW_STATUSES = [
  'PENDING',
  'APPROVED',
  'REJECTED',
  'CHANGES_REQUESTED',
  'SUPERSEDED',
  'EXPIRED',
] as const;
export const ReviewStatus = /* @__PURE__ */ z.schema(() => z.enum(REVIEW_STATUSES));
export type ReviewStatus = z.infer<typeof ReviewStatus>;

/** Rule codes for refusing an application (RULES.md §3). */
export const REFUSAL_CODES = [
  'NOT_DOWNGRADED',
  'OUTSTANDING_OBLIGATIONS',
  'RECTIFICATION_PERIOD_NOT_MET',
  'APPLICATION_OPEN',
] as const;
export const RefusalCode = /* @__PURE__ */ z.schema(() => z.enum(REFUSAL_CODES));
export type RefusalCode = z.infer<typeof RefusalCode>;

/** Why an application ended without approval. */
export const OUTCOME_REASONS = [
  'ALL_APPROVED',
  'PARTY_REJECTED',
  'ROUND_LIMIT_REACHED',
  'NOT_ELIGIBLE',
  'EVIDENCE_TIMEOUT',
  'REVIEW_TIMEOUT',
  'WITHDRAWN_BY_APPLICANT',
  'WORKFLOW_FAILED',
  /** A cause the application does not cover was determined while it was open (RULES.md §6.1). */
  'NEW_CAUSE_DETERMINED',
  /** Every cause it covered closed by listing expiry: nothing is left to repair (RULES.md §6.1). */
  'LISTING_ENDED',
] as const;
export const OutcomeReason = /* @__PURE__ */ z.schema(() => z.enum(OUTCOME_REASONS));
export type OutcomeReason = z.infer<typeof OutcomeReason>;

/** How a cause closed (RULES.md §6.1, §6.5): repaired by an approved application, or its listing ended. */
export const CLOSURE_KINDS = ['REPAIRED', 'LISTING_EXPIRED'] as const;
export const ClosureKind = /* @__PURE__ */ z.schema(() => z.enum(CLOSURE_KINDS));
export type ClosureKind = z.infer<typeof ClosureKind>;
