import { iso, looseObject, nullish, optional } from 'zod/mini';
import { localDateIn, type LocalDate } from '../../domain/dates.ts';
import { clock } from '../composition/clock.ts';
import { reviewBaseUrl } from '../composition/environment.ts';
import { linkSecret } from '../composition/link-secret.ts';
import { listingEvents } from '../composition/events.ts';
import { mailer } from '../composition/mailer.ts';
import { store } from '../composition/store.ts';
import { workflow } from '../composition/workflow.ts';
import { publishCounts } from '../observability/metrics.ts';
import type { SweepCounts } from '../usecases/sweep/counts.ts';
import { runSweep } from '../usecases/sweep/run.ts';

/**
 * The daily sweep's handler (the use case is functions/usecases/sweep). On AWS, EventBridge
 * Scheduler invokes it daily at 02:00 Asia/Shanghai; on this machine the runtime's timer and
 * POST /_local/sweep call runScheduledSweep. Either way the counts become one metric each.
 */

/**
 * The EventBridge Scheduler event. The schedule's input carries `<aws.scheduler.scheduled-time>` as
 * `scheduledTime`, so a retry later in the day (or the next morning) still sweeps the scheduled day;
 * a plain EventBridge scheduled event carries `time`. Anything else sweeps the clock's today.
 */
export const ScheduledSweepEvent = nullish(
  looseObject({
    scheduledTime: optional(iso.datetime({ offset: true })),
    time: optional(iso.datetime({ offset: true })),
  }),
);

export function sweepDayOf(event: unknown): LocalDate | undefined {
  const parsed = ScheduledSweepEvent.parse(event);
  const at = parsed?.scheduledTime ?? parsed?.time;
  return at === undefined ? undefined : localDateIn(at);
}

/** Sweeps `today` (the clock's when absent) with the deployed ports, and publishes the counts. */
export async function runScheduledSweep(options: { readonly today?: LocalDate } = {}): Promise<SweepCounts> {
  const ports = {
    store: store(),
    clock: clock(),
    mailer: mailer(),
    workflow: workflow(),
    events: listingEvents(),
    linkSecret: linkSecret(),
    reviewBaseUrl: reviewBaseUrl(),
  };
  const counts = await runSweep(ports, options.today === undefined ? {} : { today: options.today });
  publishCounts(counts);
  return counts;
}

/** The Lambda entry point for EventBridge Scheduler. */
export async function handler(event: unknown): Promise<SweepCounts> {
  const today = sweepDayOf(event);
  return runScheduledSweep(today === undefined ? {} : { today });
}
