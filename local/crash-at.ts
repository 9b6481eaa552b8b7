import { isCrashPoint, setCrashHook, type CrashPoint } from '../functions/observability/crash-points.ts';

/**
 * CRASH_AT=<point>[@n][,<point>[@n]...]: the process kills itself (SIGKILL, as an operator's kill or
 * a power cut would) the n-th time (default the first) it reaches a named point between two writes
 * (functions/observability/crash-points.ts). For tests of what a restart on the same data folder
 * recovers; nothing sets it in normal use.
 */
export const CRASH_AT_ENV = 'CRASH_AT';

export interface CrashPlan {
  readonly point: CrashPoint;
  readonly nth: number;
}

export function parseCrashAt(value: string): CrashPlan[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const [point = '', nth = '1'] = part.split('@');
      const count = Number(nth);
      if (!isCrashPoint(point) || !Number.isInteger(count) || count < 1) {
        throw new Error(`${CRASH_AT_ENV}: "${part}" is not <point>[@n] with a known point and n ≥ 1`);
      }
      return { point, nth: count };
    });
}

/**
 * Installs the kill for the plan in `env[CRASH_AT]`, if any; returns what removes it. The line it
 * prints names the point, so a test can tell its crash from any other end.
 */
export function installCrashAt(env: NodeJS.ProcessEnv = process.env): () => void {
  const value = env[CRASH_AT_ENV];
  if (value === undefined || value.trim() === '') return () => undefined;
  const plans = parseCrashAt(value);
  const reachedCount = new Map<CrashPoint, number>();
  return setCrashHook((point) => {
    const count = (reachedCount.get(point) ?? 0) + 1;
    reachedCount.set(point, count);
    if (!plans.some((plan) => plan.point === point && plan.nth === count)) return;
    process.stderr.write(`[local] crash at ${point} (${count})\n`);
    process.kill(process.pid, 'SIGKILL');
  });
}
