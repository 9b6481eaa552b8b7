import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Instant,
  LocalDate,
  addDays,
  addMonths,
  addYears,
  compareDates,
  daysBetween,
  daysInMonth,
  isLocalDate,
  localDateIn,
  maxDate,
  minDate,
  startOfLocalDay,
} from '../../../domain/dates.ts';

const dateArb = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('LocalDate', () => {
  it.each(['2026-01-01', '2028-02-29', '2000-02-29', '2026-12-31'])('accepts %s', (text) => {
    expect(LocalDate.safeParse(text).success).toBe(true);
  });
  it.each([
    '2026-02-29',
    '1900-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-1-1',
    '20260101',
    '',
  ])('refuses %j', (text) => {
    expect(LocalDate.safeParse(text).success).toBe(false);
    expect(isLocalDate(text)).toBe(false);
  });
  it('accepts instants with a zone only', () => {
    expect(Instant.safeParse('2026-05-01T00:00:00Z').success).toBe(true);
    expect(Instant.safeParse('2026-05-01T08:00:00+08:00').success).toBe(true);
    expect(Instant.safeParse('2026-05-01').success).toBe(false);
  });
  it('knows month lengths', () => {
    expect([daysInMonth(2026, 2), daysInMonth(2028, 2), daysInMonth(2100, 2), daysInMonth(2000, 2)]).toEqual([
      28, 29, 28, 29,
    ]);
    expect(daysInMonth(2026, 4)).toBe(30);
    expect(daysInMonth(2026, 13)).toBeNaN();
  });
});

describe('arithmetic', () => {
  it.each([
    ['2026-08-31', 6, '2027-02-28'],
    ['2027-08-31', 6, '2028-02-29'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-05-15', 12, '2027-05-15'],
    ['2026-05-15', -17, '2024-12-15'],
    ['2026-12-01', 1, '2027-01-01'],
  ])('%s + %i months = %s', (from, months, expected) => {
    expect(addMonths(from, months)).toBe(expected);
  });
  it('adds years, clamping 29 February', () => {
    expect(addYears('2028-02-29', 1)).toBe('2029-02-28');
    expect(addYears('2028-02-29', 4)).toBe('2032-02-29');
    expect(addYears('2026-05-01', 3)).toBe('2029-05-01');
  });
  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('1970-01-01', -1)).toBe('1969-12-31');
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2028-03-01', '2028-02-01')).toBe(-29);
  });
  it('compares and picks extremes', () => {
    expect(compareDates('2026-01-01', '2026-01-02')).toBeLessThan(0);
    expect(compareDates('2026-01-02', '2026-01-01')).toBeGreaterThan(0);
    expect(compareDates('2026-01-02', '2026-01-02')).toBe(0);
    expect(maxDate('2026-03-01', '2027-01-01', '2026-12-31')).toBe('2027-01-01');
    expect(minDate('2026-03-01', '2027-01-01', '2025-12-31')).toBe('2025-12-31');
    expect(maxDate('2026-03-01')).toBe('2026-03-01');
  });
  it('refuses what is not a date, and years beyond 9999', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addYears('9999-06-01', 1)).toThrow(RangeError);
  });
});

describe('time zone', () => {
  it('gives the Asia/Shanghai date of an instant', () => {
    expect(localDateIn('2026-04-30T15:59:59.999Z')).toBe('2026-04-30');
    expect(localDateIn('2026-04-30T16:00:00Z')).toBe('2026-05-01');
    expect(localDateIn(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(localDateIn('2026-04-30T16:00:00Z', 'UTC')).toBe('2026-04-30');
    expect(() => localDateIn('not a time')).toThrow(RangeError);
  });
  it('gives the instant a local day starts', () => {
    expect(startOfLocalDay('2026-05-01')).toBe('2026-04-30T16:00:00.000Z');
    expect(startOfLocalDay('2026-05-01', 'UTC')).toBe('2026-05-01T00:00:00.000Z');
    // Across a DST change the offset is read at the result, not at the guess.
    expect(startOfLocalDay('2026-03-29', 'Europe/Berlin')).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfLocalDay('2026-03-30', 'Europe/Berlin')).toBe('2026-03-29T22:00:00.000Z');
  });
  it('round-trips: the start of a day falls on that day', () => {
    fc.assert(fc.property(dateArb, (d) => localDateIn(startOfLocalDay(d)) === d));
  });
});

describe('properties', () => {
  it('addMonths clamps: the day is kept or becomes the last of the month', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -120, max: 120 }), (d, n) => {
        const result = addMonths(d, n);
        const [y, m, day] = result.split('-').map(Number) as [number, number, number];
        const original = Number(d.slice(8));
        return day === original || (day < original && day === daysInMonth(y, m));
      }),
    );
  });
  it('addMonths is monotone in the date and in the months', () => {
    fc.assert(
      fc.property(dateArb, dateArb, fc.integer({ min: -60, max: 60 }), (a, b, n) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return addMonths(lo, n) <= addMonths(hi, n) && addMonths(lo, n) <= addMonths(lo, n + 1);
      }),
    );
  });
  it('addDays and daysBetween agree', () => {
    fc.assert(
      fc.property(
        dateArb,
        fc.integer({ min: -5000, max: 5000 }),
        (d, n) => daysBetween(d, addDays(d, n)) === n,
      ),
    );
  });
});
