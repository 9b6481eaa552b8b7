import { createHash, randomBytes } from 'node:crypto';

/**
 * Sortable unique ids for applications and evidence: 10 characters of the creation time in
 * milliseconds (Crockford base32, so lexical order is time order) and 16 random characters
 * (80 bits). URL-safe, and valid as a Step Functions execution name.
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;

function encodeTime(ms: number): string {
  let value = Math.floor(ms);
  let out = '';
  for (let i = 0; i < TIME_CHARS; i += 1) {
    out = ALPHABET[value % 32] + out;
    value = Math.floor(value / 32);
  }
  return out;
}

function randomPart(): string {
  const bytes = randomBytes(RANDOM_CHARS);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % 32];
  return out;
}

/** A new id whose sort order follows `at` (the clock port's time). */
export function newSortableId(at: Date): string {
  return encodeTime(at.getTime()) + randomPart();
}

/**
 * The id of the application a POST /applications with this caller, key and enterprise creates: the
 * same on every attempt, so an attempt cut short by a crash and its retry name one application
 * (its claim, its item, its execution). 26 characters of a SHA-256 in the alphabet above.
 */
export function applicationIdFor(request: {
  readonly subject: string;
  readonly key: string;
  readonly enterpriseId: string;
}): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(['application', request.subject, request.key, request.enterpriseId]))
    .digest();
  let out = '';
  for (let i = 0; i < TIME_CHARS + RANDOM_CHARS; i += 1) out += ALPHABET[digest[i]! % 32];
  return out;
}
