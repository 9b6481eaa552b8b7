import { addDays } from './dates.ts';
import type { LocalDate } from './dates.ts';
import { POLICIES } from './policy.ts';
import type { Policy } from './policy.ts';

/**
 * Deadlines of a repair application (RULES.md §4, §6.7), from the policy the application was
 * submitted under.
 *
 * Days are whole calendar dates in Asia/Shanghai, not 24-hour spans: "day N" of something that
 * started on date D is D + N days, whatever the hour it started, and "by day N" means until the end
 * of that day (24:00). The sweep runs once a day and acts on dates, so a date rule gives every
 * application of the same day the same deadline, and a sweep that runs late or twice in a day
 * still does the same thing. A duty "on" a date is due from that date on; nothing is due before it.
 *
 * - Evidence may be uploaded and submitted through day 30 after submission (or after a change
 *   request): `evidenceDueOn`. On day 31 an application still awaiting evidence expires.
 * - A review opened on D is due by the end of D + 14. The reviewer is reminded on day 11 (3 days
 *   before) and, if that sweep was missed, on any later day up to the deadline; the party's
 *   escalation contact is emailed on day 15, the first overdue day; on day 60 the review times out
 *   and the application expires.
 */

const SECONDS_PER_DAY = 86_400;

/** The last day evidence may be uploaded and submitted. */
export const evidenceDueOn = (from: LocalDate, policy: Policy): LocalDate =>
  addDays(from, policy.evidence.deadlineDays);

/** The day an application still awaiting evidence expires: the day after the last one allowed. */
export const evidenceExpiresOn = (dueOn: LocalDate): LocalDate => addDays(dueOn, 1);

export interface ReviewSchedule {
  readonly openedOn: LocalDate;
  readonly reminderOn: LocalDate;
  /** The review is due by the end of this day. */
  readonly deadlineOn: LocalDate;
  /** The first overdue day. */
  readonly escalationOn: LocalDate;
  readonly timeoutOn: LocalDate;
}

export function reviewSchedule(openedOn: LocalDate, policy: Policy): ReviewSchedule {
  const { deadlineDays, reminderDaysBeforeDeadline, timeoutDays } = policy.review;
  const deadlineOn = addDays(openedOn, deadlineDays);
  return {
    openedOn,
    reminderOn: addDays(deadlineOn, -reminderDaysBeforeDeadline),
    deadlineOn,
    escalationOn: addDays(deadlineOn, 1),
    timeoutOn: addDays(openedOn, timeoutDays),
  };
}

/*
 * TimeoutSeconds of the state machine's callback tasks. The sweep expires applications on the
 * calendar date; the task timeout is the backstop for a sweep that did not run. It covers the whole
 * of the expiry date's eve plus one day, so that it can never fire before the date on which the
 * rule allows the expiry (a task may start a moment before the instant its deadline is counted
 * from, across midnight). Asia/Shanghai keeps no daylight saving time, so whole days of seconds map
 * onto whole dates. One state machine serves every policy: the longest deadline of the table.
 */
export const evidenceTimeoutSeconds = (): number =>
  (Math.max(...POLICIES.map((p) => p.evidence.deadlineDays)) + 2) * SECONDS_PER_DAY;
export const reviewTimeoutSeconds = (): number =>
  (Math.max(...POLICIES.map((p) => p.review.timeoutDays)) + 1) * SECONDS_PER_DAY;
