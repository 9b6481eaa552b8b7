import { randomBytes } from 'node:crypto';

/**
 * Fact ids sort by the time they were recorded (a 9-digit base-36 millisecond prefix lasts until
 * the year 5188) and carry 80 random bits, so two officers recording at the same instant do not
 * collide. Sortable ids make a partition listing read in recording order.
 */
export function newFactId(recordedAt: string): string {
  const millis = Date.parse(recordedAt);
  if (Number.isNaN(millis)) throw new RangeError(`not an instant: ${recordedAt}`);
  return `${millis.toString(36).padStart(9, '0')}-${randomBytes(10).toString('hex')}`;
}
