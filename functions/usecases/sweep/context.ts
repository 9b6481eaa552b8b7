import type { LocalDate } from '../../../domain/dates.ts';
import type { Log } from '../../observability/logger.ts';
import type { Needs } from '../../ports/ports.ts';
import type { SweepCounts } from './counts.ts';

/**
 * The ports a sweep run uses: it reads and writes the table, mails, publishes and restarts
 * executions, and issues review links for reminders and escalations (`${reviewBaseUrl}/review/<id>`).
 */
export type SweepPorts = Needs<'store' | 'clock' | 'mailer' | 'workflow' | 'events' | 'linkSecret'> & {
  readonly reviewBaseUrl: string;
};

/**
 * What every part of one sweep run shares: its ports (the store with a read meter of its own), its
 * day and instant, its log and its tally.
 */
export interface SweepContext extends SweepPorts {
  readonly today: LocalDate;
  /** The run's instant (ISO 8601 UTC): claim leases and timeline entries use it. */
  readonly now: string;
  readonly log: Log;
  readonly counts: SweepCounts;
  /** Whether stopped executions are restarted (§5.6); off for a store with no workflow behind it. */
  readonly restartExecutions: boolean;
}

/** How one item of the due index ended. */
export type ItemOutcome =
  /** Acted on what was due, and moved the due date. */
  | 'SWEPT'
  /** The base item is gone or no longer due (the index lags behind the table). */
  | 'NOT_DUE'
  /** Another run holds a claim on one of its duties; that run finishes the item. */
  | 'IN_PROGRESS';
