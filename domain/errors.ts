/**
 * Errors the domain raises. Each carries a stable `code` that the HTTP edge maps to a problem
 * document (CONTRACT.md) without parsing messages, and optional `details` a client can act on
 * (for example the list of missing documents).
 */

export class DomainError extends Error {
  readonly code: string;
  readonly details?: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, details?: Readonly<Record<string, unknown>>) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

/** Codes an illegal lifecycle transition is reported with; handlers map most of them to 409. */
export const TRANSITION_ERROR_CODES = [
  /** The event is malformed (fails the event schema, or names a party or document twice). */
  'INVALID_EVENT',
  /** An event other than SUBMITTED before the application exists; SUBMITTED twice. */
  'NO_APPLICATION',
  'ALREADY_SUBMITTED',
  /** The application is APPROVED, REJECTED, WITHDRAWN or EXPIRED: nothing changes it any more. */
  'APPLICATION_FINAL',
  /** The event is not allowed in the application's current status. */
  'WRONG_STATUS',
  /** Evidence submitted before every required document was uploaded; details.missing lists them. */
  'MISSING_DOCUMENTS',
  /** A resubmission from round 2 without a response to the change requests (RULES.md §6.10). */
  'RESPONSE_REQUIRED',
  /** SUBMITTED with parties other than the policy's parties for the from-tier (RULES.md §6.8). */
  'WRONG_PARTIES',
  'DOCUMENT_NOT_REQUIRED',
  /** Acting after a deadline whose expiry is not recorded yet; details.dueOn. */
  'DEADLINE_PASSED',
  /** Recording an expiry before its date; details.dueOn. */
  'DEADLINE_NOT_PASSED',
  /** A review event for another round than the current one (an old link or task). */
  'STALE_ROUND',
  'REVIEWS_NOT_OPEN',
  'REVIEW_ALREADY_OPEN',
  'UNKNOWN_PARTY',
  'REVIEW_NOT_PENDING',
  /** REJECT needs a reason, REQUEST_CHANGES a note. */
  'COMMENT_REQUIRED',
  /** The round's outcome is already fixed (approved, or a rejection decided it). */
  'ROUND_DECIDED',
  /** Superseding a review whose party can still decide the round. */
  'ROUND_NOT_DECIDED',
  /** ROUND_ENDED with a result the round's reviews do not make; details.expected. */
  'ROUND_RESULT_MISMATCH',
] as const;
export type TransitionErrorCode = (typeof TRANSITION_ERROR_CODES)[number];

export class IllegalTransitionError extends DomainError {
  declare readonly code: TransitionErrorCode;

  constructor(code: TransitionErrorCode, message: string, details?: Readonly<Record<string, unknown>>) {
    super(code, message, details);
    this.name = 'IllegalTransitionError';
  }
}
