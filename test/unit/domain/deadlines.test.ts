import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../../domain/dates.ts';
import {
  evidenceDueOn,
  evidenceTimeoutSeconds,
  reviewSchedule,
  reviewTimeoutSeconds,
} from '../../../domain/deadlines.ts';
import { POLICY } from '../../../domain/policy.ts';

describe('evidenceDueOn', () => {
  it.each([
    { from: '2026-05-04', due: '2026-06-03' },
    { from: '2026-02-10', due: '2026-03-12' },
    { from: '2028-02-10', due: '2028-03-11' },
    { from: '2026-12-15', due: '2027-01-14' },
  ])('$from → $due', ({ from, due }) => {
    expect(evidenceDueOn(from)).toBe(due);
    expect(daysBetween(from, due)).toBe(POLICY.evidence.deadlineDays);
  });
});

describe('reviewSchedule', () => {
  it('puts the reminder on day 11, deadline and escalation on day 14, timeout on day 60', () => {
    expect(reviewSchedule('2026-05-04')).toEqual({
      openedOn: '2026-05-04',
      reminderOn: '2026-05-15',
      deadlineOn: '2026-05-18',
      escalationOn: '2026-05-18',
      timeoutOn: '2026-07-03',
    });
  });

  it('derives every day from the policy', () => {
    const opened = '2026-11-20';
    const s = reviewSchedule(opened);
    const { deadlineDays, reminderDaysBeforeDeadline, escalationAfterDays, timeoutDays } = POLICY.review;
    expect(daysBetween(opened, s.deadlineOn)).toBe(deadlineDays);
    expect(daysBetween(s.reminderOn, s.deadlineOn)).toBe(reminderDaysBeforeDeadline);
    expect(daysBetween(opened, s.escalationOn)).toBe(escalationAfterDays);
    expect(daysBetween(opened, s.timeoutOn)).toBe(timeoutDays);
    expect(s.timeoutOn).toBe(addDays(opened, 60));
  });
});

describe('state machine timeouts', () => {
  it('are one day longer than the date rule, so they never fire before it', () => {
    expect(evidenceTimeoutSeconds()).toBe((30 + 1) * 86_400);
    expect(reviewTimeoutSeconds()).toBe((60 + 1) * 86_400);
    // Step Functions caps TimeoutSeconds at 99999999.
    expect(reviewTimeoutSeconds()).toBeLessThan(99_999_999);
  });
});
