import type { LocalDate } from './dates.ts';
import { evidenceExpiresOn, reviewSchedule } from './deadlines.ts';
import type { ReviewSchedule } from './deadlines.ts';
import type { ApplicationState } from './lifecycle.ts';
import { policyOf, roundVerdict } from './lifecycle.ts';
import { isFinalStatus } from './vocabulary.ts';
import type { Party } from './vocabulary.ts';

/**
 * What the daily sweep must do for one application on a date (RULES.md §4, §5.5), as data.
 *
 * Each duty has a deterministic key; the sweep records the key when it has done the duty and
 * passes the recorded keys back, so a duty is done once however often the sweep runs. A duty
 * the sweep missed on its day (the sweep did not run) is still due on later days, except:
 * - a reminder only up to the review deadline's day (afterwards the escalation speaks instead);
 * - reminders and escalations stop once the review has timed out (the timeout ends it).
 * Reviews count only while their round is undecided: once a rejection decided it, the pending
 * reviews are being superseded, not chased.
 */

export const DUTY_KINDS = [
  'EVIDENCE_TIMEOUT',
  'REVIEW_REMINDER',
  'REVIEW_ESCALATION',
  'REVIEW_TIMEOUT',
] as const;
export type DutyKind = (typeof DUTY_KINDS)[number];

export interface ApplicationDuty {
  readonly key: string;
  readonly kind: DutyKind;
  readonly applicationId: string;
  readonly round: number;
  /** The reviewing party, for reminders and escalations. */
  readonly party?: Party;
  /** The date the duty fell due (on or before the sweep's date). */
  readonly dueOn: LocalDate;
}

export const dutyKey = (kind: DutyKind, applicationId: string, round: number, party?: Party): string =>
  [kind, applicationId, `R${round}`, ...(party ? [party] : [])].join('#');

function duty(state: ApplicationState, kind: DutyKind, dueOn: LocalDate, party?: Party): ApplicationDuty {
  return {
    key: dutyKey(kind, state.id, state.round, party),
    kind,
    applicationId: state.id,
    round: state.round,
    ...(party ? { party } : {}),
    dueOn,
  };
}

/** The parties whose reviews the sweep chases: pending, in an undecided open round. */
function chasedReviews(state: ApplicationState): { schedule: ReviewSchedule; parties: Party[] } | null {
  if (state.status !== 'UNDER_REVIEW' || state.reviewOpenedOn === undefined) return null;
  if (roundVerdict(state).result !== 'PENDING') return null;
  const parties = state.parties.filter((p) => state.reviews[p]?.status === 'PENDING');
  return { schedule: reviewSchedule(state.reviewOpenedOn, policyOf(state)), parties };
}

/** Every duty due on `today` (or earlier and not yet done), in a stable order. */
export function allDutiesOn(state: ApplicationState, today: LocalDate): ApplicationDuty[] {
  if (isFinalStatus(state.status)) return [];
  if (state.status === 'AWAITING_EVIDENCE') {
    const expiresOn = evidenceExpiresOn(state.evidenceDueOn);
    return today >= expiresOn ? [duty(state, 'EVIDENCE_TIMEOUT', expiresOn)] : [];
  }
  const chased = chasedReviews(state);
  if (!chased) return [];
  const { schedule, parties } = chased;
  if (today >= schedule.timeoutOn) return [duty(state, 'REVIEW_TIMEOUT', schedule.timeoutOn)];
  const duties: ApplicationDuty[] = [];
  for (const party of parties) {
    if (today >= schedule.reminderOn && today <= schedule.deadlineOn) {
      duties.push(duty(state, 'REVIEW_REMINDER', schedule.reminderOn, party));
    }
    if (today >= schedule.escalationOn)
      duties.push(duty(state, 'REVIEW_ESCALATION', schedule.escalationOn, party));
  }
  return duties;
}

/** The duties due on `today` that the sweep has not recorded as done. */
export function applicationDutiesOn(
  state: ApplicationState,
  today: LocalDate,
  recordedKeys: Iterable<string>,
): ApplicationDuty[] {
  const done = new Set(recordedKeys);
  return allDutiesOn(state, today).filter((d) => !done.has(d.key));
}

/**
 * The earliest date after `today` on which a duty of this application falls due, or null when
 * none will (final, or waiting on a step of the workflow rather than on time). The sweep's sparse
 * index stores it; a sweep that could not finish today's duties keeps today's date there instead.
 */
export function nextApplicationDueOn(state: ApplicationState, today: LocalDate): LocalDate | null {
  if (isFinalStatus(state.status)) return null;
  let candidates: readonly LocalDate[] = [];
  if (state.status === 'AWAITING_EVIDENCE') {
    candidates = [evidenceExpiresOn(state.evidenceDueOn)];
  } else {
    const chased = chasedReviews(state);
    if (chased)
      candidates = [chased.schedule.reminderOn, chased.schedule.escalationOn, chased.schedule.timeoutOn];
  }
  const future = candidates.filter((d) => d > today).sort();
  return future[0] ?? null;
}

/**
 * The date the sweep should look at an application next (its due-index date): today while an
 * expiry or a chase is already due (a sweep that missed a day must still find it), else the next
 * date one falls due. A decided application stays due until its workflow has told everyone
 * (`closedOut`): if the execution was lost on the way, the sweep restarts it and it fast-forwards.
 */
export function applicationDueOn(
  state: ApplicationState,
  today: LocalDate,
  closedOut = false,
): LocalDate | null {
  if (isFinalStatus(state.status)) return closedOut ? null : today;
  if (allDutiesOn(state, today).length > 0) return today;
  return nextApplicationDueOn(state, today);
}
