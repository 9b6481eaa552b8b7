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
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { localDateIn } from '../../domain/dates.ts';
import { runAs, SWEEP_FUNCTION_KEY } from '../call-attribution.ts';

export const SWEEP_MODULE = 'functions/schedule/sweep.ts';
const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type SweepCounts = Readonly<Record<string, unknown>>;

export class SweepUnavailableError extends Error {
  constructor(detail: string) {
    super(`the sweep is not available yet: ${detail}`);
    this.name = 'SweepUnavailableError';
  }
}

type RunSweep = () => Promise<SweepCounts>;

async function loadRunSweep(): Promise<RunSweep> {
  let loaded: Record<string, unknown>;
  try {
    const url = pathToFileURL(resolve(REPOSITORY_ROOT, SWEEP_MODULE)).href;
    loaded = (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module|Failed to load url/.test(String(error))) {
      throw new SweepUnavailableError(`${SWEEP_MODULE} does not exist`);
    }
    throw error;
  }
  const runSweep = loaded['runSweep'];
  if (typeof runSweep !== 'function') throw new SweepUnavailableError(`${SWEEP_MODULE} exports no runSweep`);
  // The sweep reads its store, mailer and clock from the process (as on Lambda).
  return () => Promise.resolve((runSweep as () => unknown)()) as Promise<SweepCounts>;
}

/** Runs the sweep once now; SweepUnavailableError when the module is not there. */
export async function runSweepNow(): Promise<SweepCounts> {
  const run = await loadRunSweep();
  // As on AWS, the sweep runs as its own function (its calls are attributed to it).
  return runAs(SWEEP_FUNCTION_KEY, () => run());
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
        // Unavailable is not a failure worth repeating in the log on every tick.
        if (error instanceof SweepUnavailableError) lastRunOn = on;
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
