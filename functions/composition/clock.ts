import { localDateIn, type LocalDate } from '../../domain/dates.ts';

/**
 * The time every handler uses. It is the system clock unless the composition root installs another
 * source: the embedded runtime installs its forward-only simulated clock; Lambda never does, and no
 * handler asks which one it has (docs/architecture.md, Time).
 */

type ClockSource = () => Date;

const systemClock: ClockSource = () => new Date();
let source: ClockSource = systemClock;

/** Installs a time source; null restores the system clock. */
export function setClockSource(next: ClockSource | null): void {
  source = next ?? systemClock;
}

export function now(): Date {
  return new Date(source().getTime());
}

/** The current instant as ISO 8601 UTC. */
export function nowIso(): string {
  return now().toISOString();
}

/** Today's calendar date in the policy's time zone (Asia/Shanghai): the date every rule and sweep uses. */
export function today(): LocalDate {
  return localDateIn(now());
}
