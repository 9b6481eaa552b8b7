import { TABLE_SCHEMA } from './schema.ts';

/**
 * Time-to-live for items nothing needs after a while (schema.ts `ttlAttribute`). DynamoDB deletes
 * an item some time after the instant; dynalite never does. So every reader still checks its own
 * dates (a link's expiresAt, a claim's day): the TTL only keeps the table from growing forever.
 */

const SECONDS_PER_DAY = 86_400;

/**
 * How long after its own end each expiring kind of item is kept. Generous on purpose: deletion
 * must never come before the last moment a reader could still want the item.
 */
export const RETENTION_DAYS = {
  /**
   * A review link after it expires: its page answers 410 (or 409 with the recorded decision)
   * for a year; after that an unknown link's 404. The decision itself lives on the application.
   */
  reviewLink: 365,
  /**
   * A task token after it was stored: a Standard execution lasts at most a year, and a token is
   * void once its execution has ended.
   */
  taskToken: 400,
  /**
   * An application's sweep-duty claim after the day it fell due: it is consulted only while its
   * round is open, which the review timeout ends within weeks.
   */
  applicationDutyClaim: 365,
} as const;

/** The TTL attribute for an item to be deleted `days` after `from` (an ISO instant or date). */
export function expiresAfter(from: string, days: number): Record<string, number> {
  const start = Date.parse(from);
  if (Number.isNaN(start)) throw new RangeError(`not a date: ${from}`);
  return { [TABLE_SCHEMA.ttlAttribute]: Math.ceil(start / 1000) + days * SECONDS_PER_DAY };
}
