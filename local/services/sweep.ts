/**
 * The daily sweep on this machine: `runSweepNow()` for POST /_local/sweep, and a timer standing in
 * for EventBridge Scheduler's daily cron.
 *
 * The timer ticks every `intervalMs` of wall time and runs the sweep when the simulated date
 * (Asia/Shanghai) differs from the date of the last run, so it runs once per simulated day, as the
 * deployed schedule does, including right after the clock is moved past midnight. The sweep is
 * idempotent per day, so a manual run on the same day does nothing twice.
 *
 * The sweep module is imported on first use, after the runtime has set the handlers' environment.
 */
import { localDateIn } from '../../domain/dates.ts';
import type { SweepCounts } from '../../functions/usecases/sweep/counts.ts';
import { runAs, SWEEP_FUNCTION_KEY } from '../call-attribution.ts';

export type { SweepCounts } from '../../functions/usecases/sweep/counts.ts';

/**
 * Runs the sweep once now, as its own function (its AWS calls are attributed to it, as on AWS).
 * The module loads on first use, after the runtime has set the handlers' environment.
 */
export async function runSweepNow(): Promise<SweepCounts> {
  const { runScheduledSweep } = await import('../../functions/schedule/sweep.ts');
  return runAs(SWEEP_FUNCTION_KEY, () => runScheduledSweep());
}

export interface SweepTimer {
  /** The simulated date of the last completed run, if any. */
  lastRunOn(): string | undefined;
  /** Runs the sweep now if the simulated date changed since the last run; resolves when done. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export function startSweepTimer(options: {
  readonly intervalMs: number;
  readonly now: () => Date;
  readonly run?: () => Promise<SweepCounts>;
  readonly onResult?: (on: string, counts: SweepCounts) => void;
  readonly onError?: (error: unknown) => void;
}): SweepTimer {
  const run = options.run ?? runSweepNow;
  let lastRunOn: string | undefined;
  let running: Promise<void> | undefined;

  const tick = (): Promise<void> => {
    // Ticks never overlap: a slow sweep makes the next tick wait for it rather than run beside it.
    if (running) return running;
    const on = localDateIn(options.now());
    if (on === lastRunOn) return Promise.resolve();
    running = run()
      .then((counts) => {
        lastRunOn = on;
        options.onResult?.(on, counts);
      })
      .catch((error: unknown) => {
        options.onError?.(error);
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const timer = setInterval(() => void tick(), options.intervalMs);
  timer.unref();
  return {
    lastRunOn: () => lastRunOn,
    tick,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
