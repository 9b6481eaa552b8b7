/**
 * What a crash run observed: the checks it failed (violations, each with the request or state that
 * shows it), what it noticed that the contract allows (notes: at-least-once resends), counters, and
 * when anything last made progress (a harness waits for quiet instead of sleeping fixed times).
 */

export const CHECKS = [
  /** An answer the service acknowledged (2xx) is not reflected in the final state. */
  'acknowledged',
  /** An enterprise is not REGULAR with exactly one APPROVED application and none open. */
  'final-state',
  /** The approved application's timeline lacks a change, or shows one twice. */
  'timeline',
  /** ListingChanged events: none, or several changes (different changeIds) for one enterprise. */
  'listing-change',
  /** An outcome email never sent, or sent twice outside the crash window. */
  'outcome-email',
  /** POST /applications with the first key did not answer the first application. */
  'same-key',
  /** A 5xx from a running service (never right for anything a client sends). */
  'no-5xx',
  /** 409 IDEMPOTENCY_KEY_IN_PROGRESS without Retry-After, or for a dead request long after it died. */
  'in-progress',
  /** An answer no client of the contract expects (a refusal of a valid request). */
  'unexpected-answer',
  /** A secret in the output after the start banner. */
  'log-hygiene',
] as const;
export type CheckName = (typeof CHECKS)[number];

export interface Violation {
  readonly check: CheckName;
  readonly enterpriseId?: string;
  readonly applicationId?: string;
  readonly detail: string;
  /** What the harness saw: the answer, the state, the stored items. */
  readonly data?: unknown;
  /** Violations with one key are one: the first is kept and the others counted in `repeats`. */
  readonly key?: string;
  repeats?: number;
}

export interface Note {
  readonly kind: string;
  readonly enterpriseId?: string;
  readonly applicationId?: string;
  readonly detail: string;
}

/** Thrown into clients when the run is over, to unwind their loops. */
export class RunStopped extends Error {
  constructor() {
    super('the run is over');
    this.name = 'RunStopped';
  }
}

export class RunRecorder {
  readonly violations: Violation[] = [];
  readonly notes: Note[] = [];
  readonly counters = new Map<string, number>();
  /** Requests on their way, by label, for the census at each kill. */
  readonly inFlight = new Map<string, number>();
  #lastProgressAt = Date.now();
  #stopped = false;

  /** `say` hears each violation as it happens (a bench prints them live; a test reads the list). */
  constructor(private readonly say?: (line: string) => void) {}

  violate(violation: Violation): void {
    const first =
      violation.key === undefined ? undefined : this.violations.find((v) => v.key === violation.key);
    if (first) {
      first.repeats = (first.repeats ?? 1) + 1;
      return;
    }
    this.violations.push(violation);
    this.say?.(
      `VIOLATION ${violation.check}${violation.enterpriseId ? ` ${violation.enterpriseId}` : ''}: ${violation.detail}`,
    );
  }

  note(note: Note): void {
    this.notes.push(note);
  }

  count(name: string, by = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + by);
  }

  readonly #marks = new Map<string, number>();

  /** Notes when something last happened (`markedWithin` asks), e.g. the last acknowledged application. */
  mark(what: string): void {
    this.#marks.set(what, Date.now());
  }

  markedWithin(what: string, ms: number): boolean {
    return Date.now() - (this.#marks.get(what) ?? 0) <= ms;
  }

  /** Something moved forward (an acknowledgement, a status change). */
  progress(): void {
    this.#lastProgressAt = Date.now();
  }

  get quietForMs(): number {
    return Date.now() - this.#lastProgressAt;
  }

  stop(): void {
    this.#stopped = true;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  throwIfStopped(): void {
    if (this.#stopped) throw new RunStopped();
  }

  enter(label: string): void {
    this.inFlight.set(label, (this.inFlight.get(label) ?? 0) + 1);
  }

  leave(label: string): void {
    const left = (this.inFlight.get(label) ?? 1) - 1;
    if (left <= 0) this.inFlight.delete(label);
    else this.inFlight.set(label, left);
  }
}
