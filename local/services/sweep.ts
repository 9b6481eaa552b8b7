/**
 * The daily sweep on this machine: a runner that starts the Sweep state machine (workflows/sweep.ts)
 * in the embedded engine and waits for its counts, for POST /_local/sweep, and a timer standing in
 * for EventBridge Scheduler's daily cron. The split into pages, the Map over them, their retries
 * and the sweep function's steps are the deployed ones.
 *
 * The timer ticks every `intervalMs` of wall time and runs the sweep when the simulated date
 * (Asia/Shanghai) differs from the date of the last run, so it runs once per simulated day, as the
 * deployed schedule does, including right after the clock is moved past midnight. The sweep is
 * idempotent per day, so a manual run on the same day does nothing twice.
 */
import { localDateIn } from '../../domain/dates.ts';
import type { SweepCounts } from '../../functions/usecases/sweep/counts.ts';
import type { LocalStepFunctions } from '../stepfunctions/engine.ts';

export type { SweepCounts } from '../../functions/usecases/sweep/counts.ts';

/** A run of the sweep that ended without its counts (an execution that failed). */
export class SweepRunFailed extends Error {
  override readonly name = 'SweepRunFailed';
}

/** Runs the sweep once now: one execution of the Sweep state machine; resolves with its counts. */
export function sweepRunner(engine: LocalStepFunctions, stateMachineArn: string): () => Promise<SweepCounts> {
  return async () => {
    const { executionArn } = engine.startExecution({ stateMachineArn, input: '{}' });
    const done = await engine.waitForExecution(executionArn);
    if (done.status !== 'SUCCEEDED' || done.output === undefined) {
      throw new SweepRunFailed(
        `sweep execution ${done.status}: ${done.error ?? ''} ${done.cause ?? ''}`.trim(),
      );
    }
    return JSON.parse(done.output) as SweepCounts;
  };
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
  readonly run: () => Promise<SweepCounts>;
  readonly onResult?: (on: string, counts: SweepCounts) => void;
  readonly onError?: (error: unknown) => void;
}): SweepTimer {
  const { run } = options;
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
