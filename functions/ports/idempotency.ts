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

/** The Lambda invocation running the request: an in-progress record expires with it. */
export interface Invocation {
  getRemainingTimeInMillis(): number;
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

export interface Idempotency {
  /** `run`'s result, or the recorded result of the first request with this subject and key. */
  once<T>(request: IdempotentRequest, run: () => Promise<T>, invocation?: Invocation): Promise<T>;
}
