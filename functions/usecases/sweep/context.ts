import type { Logger } from '@aws-lambda-powertools/logger';
import type { LocalDate } from '../../../domain/dates.ts';
import type { Mailer } from '../../composition/mailer.ts';
import type { Store } from '../../ports/store/store.ts';
import type { SweepCounts } from './counts.ts';

/** What every part of one sweep run shares: its store (with its own read meter), mailer, day and tally. */
export interface SweepContext {
  readonly store: Store;
  readonly mailer: Mailer;
  readonly today: LocalDate;
  /** The run's instant (ISO 8601 UTC): claim leases and timeline entries use it. */
  readonly now: string;
  readonly log: Logger;
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
