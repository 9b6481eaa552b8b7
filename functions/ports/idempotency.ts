/**
 * The idempotency port: a request carrying a client's Idempotency-Key runs once. A repeat with the
 * same body answers the first result; a repeat with another body, or one that arrives while the
 * first still runs, is refused with the errors below. The record expires after a day.
 */

export interface IdempotentRequest {
  /** Whose key it is: keys of different callers never meet. */
  readonly subject: string;
  /** The client's Idempotency-Key. */
  readonly key: string;
  /** What the first request asked; a repeat must ask the same. */
  readonly body: unknown;
}

export class IdempotencyKeyReusedError extends Error {
  constructor() {
    super('the Idempotency-Key was used with another body');
    this.name = 'IdempotencyKeyReusedError';
  }
}

export class IdempotencyInProgressError extends Error {
  constructor() {
    super('a request with the same Idempotency-Key is still running');
    this.name = 'IdempotencyInProgressError';
  }
}

/**
 * The record of a concurrent first request disappeared while this one looked it up (the first
 * failed and freed its key): asking again either finds the key free or finds a new record.
 */
export class IdempotencyRecordVanishedError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('the idempotency record of a concurrent request disappeared', options);
    this.name = 'IdempotencyRecordVanishedError';
  }
}

/**
 * How long an in-progress record holds its key: a request that died (a crash, a timeout) frees its
 * key after this, and a retry then runs again (which the use case makes safe to repeat).
 */
export const IN_PROGRESS_EXPIRY_MS = 5_000;

export interface Idempotency {
  /** `run`'s result, or the recorded result of the first request with this subject and key. */
  once<T>(request: IdempotentRequest, run: () => Promise<T>): Promise<T>;
}
