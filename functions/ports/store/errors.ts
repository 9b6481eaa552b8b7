import { DomainError } from '../../../domain/errors.ts';

/**
 * Typed outcomes of conditional writes. Callers decide what a conflict means (409, retry with a fresh
 * read, or "someone else already did it"); the store never guesses.
 */

export type ConflictKind =
  /** putNew found an item under the key. */
  | 'ALREADY_EXISTS'
  /** updateVersioned found another version, or no item at all (setDue: no item). */
  | 'VERSION_MISMATCH'
  /** appendEvent found an event under the same key with other content. */
  | 'EVENT_DIFFERS';

export class ConflictError extends Error {
  readonly kind: ConflictKind;
  readonly pk: string;
  readonly sk: string;

  constructor(kind: ConflictKind, key: { pk: string; sk: string }, options?: { cause?: unknown }) {
    super(`conditional write failed (${kind}) on ${key.pk} / ${key.sk}`, options);
    this.name = 'ConflictError';
    this.kind = kind;
    this.pk = key.pk;
    this.sk = key.sk;
  }
}

/** A `nextToken` a client sent that this store did not issue (or for another query). Maps to 400. */
export class InvalidPageTokenError extends DomainError {
  constructor(message = 'nextToken is not one this query returned; start again without it') {
    super('INVALID_NEXT_TOKEN', message);
    this.name = 'InvalidPageTokenError';
  }
}

/** Another writer got there first: the loser reads again and decides again. */
export const lostRace = (error: unknown): error is ConflictError =>
  error instanceof ConflictError && (error.kind === 'VERSION_MISMATCH' || error.kind === 'ALREADY_EXISTS');

/**
 * The optimistic loop, written once: `attempt` reads what it needs, decides, and writes with a
 * version check (or creates with putNew). When another writer got there first (a ConflictError of
 * a lost race), it runs again on a fresh read, up to `attempts` times; then `busy()` is thrown. Any
 * other error, EVENT_DIFFERS included, leaves at once.
 */
export async function retryOnConflict<T>(
  attempts: number,
  attempt: () => Promise<T>,
  busy: () => Error,
): Promise<T> {
  for (let round = 0; round < attempts; round += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!lostRace(error)) throw error;
    }
  }
  throw busy();
}
