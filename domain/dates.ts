import * as z from './zod.ts';

/**
 * Calendar dates (`LocalDate`, 'YYYY-MM-DD' in Asia/Shanghai) and instants (ISO 8601 UTC).
 * Arithmetic runs on day numbers computed with the proleptic Gregorian calendar, so it never
 * depends on the host's time zone or on `Date`'s two-digit-year quirks.
 */

/** Calendar dates of the rules are dates in China Standard Time (RULES.md). */
export const RULES_TIME_ZONE = 'Asia/Shanghai';

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export const daysInMonth = (year: number, month: number): number =>
  month === 2 && isLeapYear(year) ? 29 : (MONTH_LENGTHS[month - 1] ?? Number.NaN);

interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

function parseCivil(text: string): CivilDate | null {
  const match = DATE_TEXT.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export const isLocalDate = (text: string): boolean => parseCivil(text) !== null;

/** A calendar date 'YYYY-MM-DD' that exists (no 2026-02-30). */
export const LocalDate = /* @__PURE__ */ z.schema(() =>
  z.string().check(z.regex(DATE_TEXT, 'a date as YYYY-MM-DD'), z.refine(isLocalDate, 'not a calendar date')),
);
export type LocalDate = z.infer<typeof LocalDate>;

/** An instant: ISO 8601 with a zone designator (timestamps are stored in UTC). */
export const Instant = /* @__PURE__ */ z.schema(() => z.iso.datetime({ offset: true }));
export type Instant = z.infer<typeof Instant>;

function civil(date: LocalDate): CivilDate {
  const parsed = parseCivil(date);
  if (!parsed) throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`);
  return parsed;
}

// Days since 1970-01-01 (H. Hinnant's days_from_civil).
function toDayNumber({ year, month, day }: CivilDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function fromDayNumber(dayNumber: number): CivilDate {
  const z0 = dayNumber + 719_468;
  const era = Math.floor(z0 / 146_097);
  const dayOfEra = z0 - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function format({ year, month, day }: CivilDate): LocalDate {
  if (year < 0 || year > 9999) throw new RangeError(`year ${year} is outside 0000-9999`);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export const addDays = (date: LocalDate, days: number): LocalDate =>
  format(fromDayNumber(toDayNumber(civil(date)) + days));

/** Calendar months; a day the target month lacks clamps to its last day (31 Aug + 6 = 28/29 Feb). */
export function addMonths(date: LocalDate, months: number): LocalDate {
  const { year, month, day } = civil(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  return format({
    year: targetYear,
    month: targetMonth,
    day: Math.min(day, daysInMonth(targetYear, targetMonth)),
  });
}

/** Calendar years, clamped like months (29 Feb + 1 year = 28 Feb). */
export const addYears = (date: LocalDate, years: number): LocalDate => addMonths(date, years * 12);

/** Negative, zero or positive as `a` is before, on or after `b`. */
export function compareDates(a: LocalDate, b: LocalDate): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

export function maxDate(first: LocalDate, ...rest: LocalDate[]): LocalDate {
  return rest.reduce((latest, d) => (d > latest ? d : latest), first);
}

export function minDate(first: LocalDate, ...rest: LocalDate[]): LocalDate {
  return rest.reduce((earliest, d) => (d < earliest ? d : earliest), first);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: LocalDate, to: LocalDate): number =>
  toDayNumber(civil(to)) - toDayNumber(civil(from));

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClockFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function toDate(instant: string | Date): Date {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) throw new RangeError(`not an instant: ${String(instant)}`);
  return date;
}

/** The wall-clock reading in `timeZone`, as milliseconds on a UTC scale. */
function wallClockMs(date: Date, timeZone: string): number {
  const fields: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of wallClockFormatter(timeZone).formatToParts(date)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const day = toDayNumber({
    year: Number(fields.year),
    month: Number(fields.month),
    day: Number(fields.day),
  });
  return (
    day * MS_PER_DAY +
    (Number(fields.hour) * 3600 + Number(fields.minute) * 60 + Number(fields.second)) * 1000
  );
}

/** Recently converted instants: the rules ask for the date of the same record instants again and again. */
const localDates = new Map<string, LocalDate>();
const LOCAL_DATES_KEPT = 10_000;

/** The calendar date an instant falls on in `timeZone` (Asia/Shanghai by default). */
export function localDateIn(instant: string | Date, timeZone: string = RULES_TIME_ZONE): LocalDate {
  const key = typeof instant === 'string' ? `${timeZone} ${instant}` : undefined;
  const known = key === undefined ? undefined : localDates.get(key);
  if (known !== undefined) return known;
  const date = format(fromDayNumber(Math.floor(wallClockMs(toDate(instant), timeZone) / MS_PER_DAY)));
  if (key !== undefined) {
    if (localDates.size >= LOCAL_DATES_KEPT) localDates.clear();
    localDates.set(key, date);
  }
  return date;
}

/** The instant (ISO 8601 UTC) at which `date` begins in `timeZone`: 2026-05-01 → 2026-04-30T16:00:00.000Z. */
export function startOfLocalDay(date: LocalDate, timeZone: string = RULES_TIME_ZONE): string {
  const midnightAsUtc = toDayNumber(civil(date)) * MS_PER_DAY;
  // The offset at a first guess, then again at the result: right across a DST change too.
  const firstGuess = midnightAsUtc - (wallClockMs(new Date(midnightAsUtc), timeZone) - midnightAsUtc);
  const offset = wallClockMs(new Date(firstGuess), timeZone) - firstGuess;
  return new Date(midnightAsUtc - offset).toISOString();
}
