/**
 * What one sweep run did, per duty (RULES.md §5), plus what it cost. The local endpoint answers
 * these counts, the summary log line carries them, and each becomes one CloudWatch metric.
 */

export const DUTY_COUNTERS = [
  'arrearsDetermined',
  'eligibilityNotices',
  'listingChanges',
  'certificationNotices',
  'certificationOverdue',
  'reviewReminders',
  'reviewEscalations',
  'evidenceTimeouts',
  'reviewTimeouts',
  'executionsRestarted',
] as const;
export type DutyCounter = (typeof DUTY_COUNTERS)[number];

export const COST_COUNTERS = ['itemsRead', 'readUnits', 'failed'] as const;
export type CostCounter = (typeof COST_COUNTERS)[number];

export type SweepCounts = Record<DutyCounter | CostCounter, number>;

export function emptyCounts(): SweepCounts {
  const counts = {} as SweepCounts;
  for (const name of [...DUTY_COUNTERS, ...COST_COUNTERS]) counts[name] = 0;
  return counts;
}
