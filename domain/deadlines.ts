import { addDays } from './dates.ts';
import type { LocalDate } from './dates.ts';
import { POLICY } from './policy.ts';

/**
 * Deadlines of a repair application (RULES.md §4).
 *
 * Days are calendar dates in Asia/Shanghai, not 24-hour spans: "day N" of something that started
 * on date D is D + N days, whatever the hour it started. The sweep runs once a day and acts on
 * dates, so a date rule gives every application of the same day the same deadline, and a sweep
 * that runs late or twice in a day still does the same thing. A duty "on" a date is due from that
 * date on; nothing is due before it.
 *
 * - Evidence is due `POLICY.evidence.deadlineDays` after submission (or after a change request);
 *   on that date an application still awaiting evidence expires.
 * - A review opened on D is due on D + deadlineDays (day 14). The reviewer is reminded from
 *   `reminderDaysBeforeDeadline` before it (day 11) until the deadline; the party's escalation
 *   contact is emailed from D + escalationAfterDays (day 14: the deadline day, once the review is
 *   overdue); on D + timeoutDays (day 60) the review times out and the application expires.
 */

const SECONDS_PER_DAY = 86_400;

export const evidenceDueOn = (from: LocalDate): LocalDate => addDays(from, POLICY.evidence.deadlineDays);

export interface ReviewSchedule {
  readonly openedOn: LocalDate;
  readonly reminderOn: LocalDate;
  readonly deadlineOn: LocalDate;
  readonly escalationOn: LocalDate;
  readonly timeoutOn: LocalDate;
}

export function reviewSchedule(openedOn: LocalDate): ReviewSchedule {
  const { deadlineDays, reminderDaysBeforeDeadline, escalationAfterDays, timeoutDays } = POLICY.review;
  return {
    openedOn,
    reminderOn: addDays(openedOn, deadlineDays - reminderDaysBeforeDeadline),
    deadlineOn: addDays(openedOn, deadlineDays),
    escalationOn: addDays(openedOn, escalationAfterDays),
    timeoutOn: addDays(openedOn, timeoutDays),
  };
}

/*
 * TimeoutSeconds of the state machine's callback tasks. The sweep expires applications on the
 * calendar date; the task timeout is the backstop for a sweep that did not run. It is one day longer
 * than the rule so that it can never fire before the date on which the rule allows the expiry
 * (a task may start a moment before the instant its deadline is counted from, across midnight).
 * Asia/Shanghai keeps no daylight saving time, so whole days of seconds map onto whole dates.
 */
export const evidenceTimeoutSeconds = (): number => (POLICY.evidence.deadlineDays + 1) * SECONDS_PER_DAY;
export const reviewTimeoutSeconds = (): number => (POLICY.review.timeoutDays + 1) * SECONDS_PER_DAY;
