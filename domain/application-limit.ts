import type { OutcomeReason } from './vocabulary.ts';

/**
 * The abuse limit on applications (CONTRACT.md revision 2): an enterprise may create at most
 * `perWindow` applications in any `windowDays` days. Each application starts a workflow and mails
 * reviewers, so a create→withdraw loop would otherwise be unbounded work. Withdrawn applications
 * count (withdrawing is the applicant's doing); those that ended without the applicant's doing do
 * not. It is not a rule of the credit scheme: refusals are 429, never NOT_ELIGIBLE.
 */
export const APPLICATION_LIMIT = { perWindow: 5, windowDays: 30 } as const;

/** Outcomes the applicant did not cause: such applications do not count against the limit. */
const NOT_THE_APPLICANTS_DOING: ReadonlySet<OutcomeReason> = new Set<OutcomeReason>([
  'REVIEW_TIMEOUT',
  'NEW_CAUSE_DETERMINED',
  'LISTING_ENDED',
  'WORKFLOW_FAILED',
]);

export interface CreatedApplication {
  /** ISO instant the application was created. */
  readonly submittedAt: string;
  readonly outcomeReason?: OutcomeReason;
}

export type LimitCheck =
  | { readonly allowed: true }
  /** `retryAfterSeconds`: until enough counted applications have left the window. */
  | { readonly allowed: false; readonly counted: number; readonly retryAfterSeconds: number };

const DAY_MS = 86_400_000;

export function checkApplicationLimit(created: readonly CreatedApplication[], now: Date): LimitCheck {
  const windowMs = APPLICATION_LIMIT.windowDays * DAY_MS;
  const since = now.getTime() - windowMs;
  const counted = created
    .filter((a) => a.outcomeReason === undefined || !NOT_THE_APPLICANTS_DOING.has(a.outcomeReason))
    .map((a) => Date.parse(a.submittedAt))
    .filter((at) => at > since)
    .sort((a, b) => a - b);
  if (counted.length < APPLICATION_LIMIT.perWindow) return { allowed: true };
  // One more is allowed once all but perWindow − 1 of them have left the window.
  const leaving = counted[counted.length - APPLICATION_LIMIT.perWindow] ?? now.getTime();
  const retryAfterSeconds = Math.max(1, Math.ceil((leaving + windowMs - now.getTime()) / 1000));
  return { allowed: false, counted: counted.length, retryAfterSeconds };
}
