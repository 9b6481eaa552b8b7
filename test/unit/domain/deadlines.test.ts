import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../../domain/dates.ts';
import {
  evidenceDueOn,
  evidenceExpiresOn,
  evidenceTimeoutSeconds,
  reviewSchedule,
  reviewTimeoutSeconds,
} from '../../../domain/deadlines.ts';
import { POLICIES, POLICY } from '../../../domain/policy.ts';

/** RULES.md §6.7: whole days in Asia/Shanghai, a deadline running to the end of its day. */

describe('evidence: uploaded and submitted through day 30, expired on day 31', () => {
  it.each([
    { from: '2026-05-04', through: '2026-06-03', expires: '2026-06-04' },
    // February of a common year, of a leap year, and across a year end.
    { from: '2026-02-10', through: '2026-03-12', expires: '2026-03-13' },
    { from: '2028-02-10', through: '2028-03-11', expires: '2028-03-12' },
    { from: '2028-01-30', through: '2028-02-29', expires: '2028-03-01' },
    { from: '2026-12-15', through: '2027-01-14', expires: '2027-01-15' },
    // A month end: day counts, not month arithmetic.
    { from: '2026-01-31', through: '2026-03-02', expires: '2026-03-03' },
  ])('from $from: through $through, expires $expires', ({ from, through, expires }) => {
    expect(evidenceDueOn(from, POLICY)).toBe(through);
    expect(daysBetween(from, through)).toBe(30);
    expect(evidenceExpiresOn(through)).toBe(expires);
    expect(daysBetween(from, expires)).toBe(31);
  });

  it('follows the policy the application was submitted under', () => {
    for (const policy of POLICIES) {
      expect(daysBetween('2026-05-04', evidenceDueOn('2026-05-04', policy))).toBe(
        policy.evidence.deadlineDays,
      );
    }
  });
});

describe('review: reminder day 11, due by the end of day 14, escalation day 15, timeout day 60', () => {
  it.each([
    {
      opened: '2026-05-04',
      reminderOn: '2026-05-15',
      deadlineOn: '2026-05-18',
      escalationOn: '2026-05-19',
      timeoutOn: '2026-07-03',
    },
    {
      opened: '2028-02-20',
      reminderOn: '2028-03-02',
      deadlineOn: '2028-03-05',
      escalationOn: '2028-03-06',
      timeoutOn: '2028-04-20',
    },
    {
      opened: '2028-02-15',
      reminderOn: '2028-02-26',
      deadlineOn: '2028-02-29',
      escalationOn: '2028-03-01',
      timeoutOn: '2028-04-15',
    },
    {
      opened: '2026-12-25',
      reminderOn: '2027-01-05',
      deadlineOn: '2027-01-08',
      escalationOn: '2027-01-09',
      timeoutOn: '2027-02-23',
    },
  ])('opened $opened', ({ opened, ...expected }) => {
    expect(reviewSchedule(opened, POLICY)).toEqual({ openedOn: opened, ...expected });
  });

  it('derives every day from the policy', () => {
    const opened = '2026-11-20';
    const s = reviewSchedule(opened, POLICY);
    const { deadlineDays, reminderDaysBeforeDeadline, timeoutDays } = POLICY.review;
    expect(daysBetween(opened, s.reminderOn)).toBe(11);
    expect(daysBetween(opened, s.deadlineOn)).toBe(deadlineDays);
    expect(daysBetween(s.reminderOn, s.deadlineOn)).toBe(reminderDaysBeforeDeadline);
    expect(daysBetween(opened, s.escalationOn)).toBe(15);
    expect(daysBetween(opened, s.timeoutOn)).toBe(timeoutDays);
    expect(s.timeoutOn).toBe(addDays(opened, 60));
  });
});

describe('state machine timeouts', () => {
  it('outlast the date rule by a day, so they never fire before it', () => {
    // Evidence expires at the start of day 31; a task may start at any time of day 0.
    expect(evidenceTimeoutSeconds()).toBe((31 + 1) * 86_400);
    expect(reviewTimeoutSeconds()).toBe((60 + 1) * 86_400);
    // Step Functions caps TimeoutSeconds at 99999999.
    expect(reviewTimeoutSeconds()).toBeLessThan(99_999_999);
  });
});
