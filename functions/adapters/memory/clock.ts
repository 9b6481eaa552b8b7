import type { Clock } from '../../ports/clock.ts';

/** A clock a test sets and moves: the in-memory twin of the system clock. */
export class ManualClock implements Clock {
  #now: number;

  constructor(start: string | Date) {
    this.#now = new Date(start).getTime();
  }

  /** A bound function, so it can be handed on as a time source (`clock.now`). */
  readonly now = (): Date => new Date(this.#now);

  set(at: string | Date): void {
    this.#now = new Date(at).getTime();
  }

  advanceDays(days: number): void {
    this.#now += days * 86_400_000;
  }
}
