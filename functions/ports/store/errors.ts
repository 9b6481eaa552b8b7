import { DomainError } from '../../../domain/errors.ts';
/**
 * Typed outcomes of conditional writes. Callers decide what a conflict means (409, retry with a fresh
 * read, or "someone else already did it"); the store never guesses.
 */

export type ConflictKind =
  /** putNew found an item under the key. */
  | 'ALREADY_EXISTS'
  /** updateVersioned found another version, or no item at all. */
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

export const isConditionalCheckFailed = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';
