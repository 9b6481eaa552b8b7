/**
 * The clock port: the time every use case acts at. On AWS it is the system clock; the embedded
 * runtime installs its forward-only simulated clock, and tests a clock they set
 * (functions/adapters/memory/clock.ts). No use case reads the time any other way.
 */
export interface Clock {
  now(): Date;
}
