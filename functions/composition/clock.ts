import type { Clock } from '../ports/clock.ts';
import { installedPort } from './installed.ts';

const systemClock: Clock = { now: () => new Date() };

/**
 * The clock handlers give their use cases: the installed one (the embedded runtime's simulated
 * clock) or the system clock. It asks on every call, so an adapter built with it follows a clock
 * installed later.
 */
const current: Clock = { now: () => (installedPort('clock') ?? systemClock).now() };

export const clock = (): Clock => current;
