/**
 * Named points between the writes of a multi-write step (docs/reliability.md lists them with what
 * recovery does after a crash at each). Reaching one does nothing, unless a host installed a hook:
 * the embedded runtime installs one that kills its own process at a chosen point (CRASH_AT), so a
 * test can stop the system exactly between two writes. Lambda installs nothing.
 */
export const CRASH_POINTS = [
  /** POST /applications: the enterprise's claim is written, the application not yet. */
  'submit.claimed',
  /** POST /applications: the application is written, the answer not yet recorded for its key. */
  'submit.created',
  /** Tally: the round's end is written, the step's memo not yet. */
  'tally.roundEnded',
  /** UpgradeTier: the repair is recorded on the enterprise, the application not yet APPROVED. */
  'upgrade.restored',
  /** UpgradeTier: the application is APPROVED, the step's memo not yet. */
  'upgrade.upgraded',
  /** PublishListingChange: the event is sent, not yet marked sent. */
  'publish.sent',
  /** Notify: the applicant's outcome email is sent, not yet marked sent. */
  'notify.sent.applicant',
  /** Notify: the parties' outcome email is sent, not yet marked sent. */
  'notify.sent.parties',
  /** A review decision is written, the workflow not yet resumed. */
  'review.decided',
  /** Evidence submit: the submission is written, the workflow not yet resumed. */
  'evidence.submitted',
  /** A withdrawal is written, the claim not yet released. */
  'withdraw.withdrawn',
] as const;

export type CrashPoint = (typeof CRASH_POINTS)[number];

export const isCrashPoint = (name: string): name is CrashPoint =>
  (CRASH_POINTS as readonly string[]).includes(name);

let hook: ((point: CrashPoint) => void) | undefined;

/** Marks that the code is at `point` (between two writes). */
export function reached(point: CrashPoint): void {
  hook?.(point);
}

/** Installs the hook every reached point calls; returns what removes it. */
export function setCrashHook(next: (point: CrashPoint) => void): () => void {
  hook = next;
  return () => {
    if (hook === next) hook = undefined;
  };
}
