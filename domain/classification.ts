import * as z from './zod.ts';
import { Instant, LocalDate, addDays, addMonths, addYears, localDateIn, maxDate, minDate } from './dates.ts';
import { compareFacts, factDate, isPayable, liveFacts } from './facts.ts';
import type { Fact, FineFact, PayableFact } from './facts.ts';
import { policyInForce } from './policy.ts';
import type { DowngradedTierName, Policy } from './policy.ts';
import { TIER_INFO, isCertified, worseTier } from './tiers.ts';
import type { Tier } from './tiers.ts';
import { CAUSE_CODES, ClosureKind } from './vocabulary.ts';
import type { CauseCode } from './vocabulary.ts';

/**
 * Classification (RULES.md §2, §3 and §6): from an enterprise's facts and recorded closures, as of
 * a day, every cause determined so far (each with its id, policy, owned facts, own listing and
 * closure), the active ones, the tier, the public listing, the rectification state and the
 * certification schedule. Pure, and a function of the facts as a set: the order they were recorded
 * in changes nothing.
 *
 * - Determination walks the calendar once, day by day, and a fact belongs to the first cause that
 *   takes it (§6.2). On one day the causes are taken in the order of CAUSE_CODES. A fine or
 *   infraction that belongs to no cause keeps counting in later windows, whatever closed in between.
 * - A cause's id is its code and the fact that determined it (the arrears debt, the incident, the
 *   last fine or infraction of its day in fact order): stable while later facts arrive, and never
 *   the id of a cause determined on another day.
 * - A cause is judged under the policy in force on its determination date (§6.6); the arrears
 *   periods are those of the policy in force on the debt's due date, the windows those of the day
 *   examined (the numbers are the same in every policy of the table so far).
 * - Closures: a REPAIRED closure is recorded by id when an application is approved; a
 *   LISTING_EXPIRED closure is computed from dates (§6.5): the later of the cause's listing end and
 *   the day its obligations were met. The earlier of the two wins; on a tie the recorded one, so a
 *   repair approved on the day a listing ends is announced as the repair it is.
 * - Only facts dated on or before `today` count, and only payments made on or before it.
 * - While any active cause is unrectified the compliance clock has not started: `clockStart` and
 *   `earliestApplicationOn` are null. The clock never runs on a guess.
 */

export const RegisteredTier = /* @__PURE__ */ z.schema(() =>
  z.enum(['ADVANCED_CERTIFIED', 'CERTIFIED', 'REGULAR']),
);
export type RegisteredTier = z.infer<typeof RegisteredTier>;

/** `<CAUSE_CODE>-<fact id>`: the cause and the fact that determined it. */
export const CauseId = /* @__PURE__ */ z.schema(() =>
  z.string().check(z.regex(/^[A-Z_]+-[A-Za-z0-9_-]{1,64}$/, 'a cause id')),
);
export type CauseId = z.infer<typeof CauseId>;
export const causeIdOf = (code: CauseCode, factId: string): CauseId => `${code}-${factId}`;

/** A closure recorded by cause id: an approved repair, or one carried over from revision-1 data. */
export const RecordedClosure = /* @__PURE__ */ z.schema(() =>
  z.object({
    causeId: CauseId,
    kind: ClosureKind,
    on: LocalDate,
    /** When it was recorded: before that instant nobody knew the cause was closed. */
    recordedAt: Instant,
    applicationId: z.optional(z.string().check(z.minLength(1))),
  }),
);
export type RecordedClosure = z.infer<typeof RecordedClosure>;

export interface ClassificationInput {
  /** The tier held before any cause: ACE, CE or REGULAR. */
  readonly registeredTier: RegisteredTier;
  readonly certifiedOn?: LocalDate;
  /** The last completed certification re-review; the next one is due from it. */
  readonly lastCertificationReviewOn?: LocalDate;
  readonly facts: readonly Fact[];
  readonly closures: readonly RecordedClosure[];
}

export interface Closure {
  readonly kind: ClosureKind;
  readonly on: LocalDate;
  /** True for a closure recorded by id (a repair); false for one computed from dates (a listing end). */
  readonly recorded: boolean;
}

export interface Cause {
  readonly id: CauseId;
  readonly code: CauseCode;
  readonly determinedOn: LocalDate;
  /** The facts this cause owns; none of them counts in another cause. */
  readonly factIds: readonly string[];
  readonly tier: DowngradedTierName;
  readonly minimumMonths: number;
  readonly policyId: string;
  /** The end of this cause's own listing: determinedOn + 1 or 3 years (2 under GAC-251-2021). */
  readonly listingUntil: LocalDate;
  readonly rectified: boolean;
  readonly rectifiedOn?: LocalDate;
  /** Set once the cause is closed (on or before today); absent while it is active. */
  readonly closed?: Closure;
}

export interface OutstandingObligation {
  readonly factId: string;
  readonly type: PayableFact['type'];
  readonly amountFen: number;
  readonly dueOn: LocalDate;
}

export interface Listing {
  readonly label: string;
  /** The earliest determination among the active causes. */
  readonly since: LocalDate;
  /** The latest listing end among the active causes (it may have passed while obligations are outstanding). */
  readonly until: LocalDate;
}

export interface Rectification {
  /** Null while obligations are outstanding: the clock starts when the last one is met. */
  readonly clockStart: LocalDate | null;
  readonly earliestApplicationOn: LocalDate | null;
  /** The longest minimum rectification period among the active causes. */
  readonly minimumMonths: number;
  readonly outstanding: readonly OutstandingObligation[];
}

export interface CertificationSchedule {
  readonly tier: Extract<Tier, 'ADVANCED_CERTIFIED' | 'CERTIFIED'>;
  readonly reviewFrom: LocalDate;
  readonly noticeOn: LocalDate;
  readonly reviewDueOn: LocalDate;
  readonly overdue: boolean;
}

export interface Classification {
  readonly tier: Tier;
  /** Active causes only: determined on or before today and not closed by then. */
  readonly causes: readonly Cause[];
  /** Every cause determined on or before today, closed ones included, in determination order. */
  readonly determined: readonly Cause[];
  readonly listing: Listing | null;
  readonly rectification: Rectification | null;
  readonly certification?: CertificationSchedule;
}

/** The facts as they stood at the end of `today`: dated on or before it, payments made by then. */
function factsAsOf(input: ClassificationInput, today: LocalDate): Fact[] {
  return liveFacts(input.facts)
    .filter((f) => factDate(f) <= today)
    .map((f): Fact => (f.paidOn !== undefined && f.paidOn > today ? withoutPayment(f) : f))
    .sort(compareFacts);
}

function withoutPayment(fact: Fact): Fact {
  const { paidOn: _paidOn, paymentRecordedAt: _recordedAt, ...unpaid } = fact;
  return unpaid as Fact;
}

/** RULES.md §6.3: a fact dated `x` lies in the N-month window ending on `d` when x ≤ d < x + N months. */
export const inWindow = (x: LocalDate, d: LocalDate, months: number): boolean =>
  x <= d && addMonths(x, months) > d;

/**
 * RULES.md §6.4: the last day a payable fact may be paid in time (dueOn + 3 months for tax,
 * + 6 months for a fine above ¥10,000), or null when it can never become arrears (a small fine).
 * Paying on that day is in time (a period ends at 24:00 of its last day).
 */
export function arrearsLastDay(fact: Fact): LocalDate | null {
  if (!isPayable(fact)) return null;
  const { triggers } = policyInForce(fact.dueOn);
  if (fact.type === 'TAX_ASSESSMENT') return addMonths(fact.dueOn, triggers.taxArrearsAfterMonths);
  if (fact.amountFen > triggers.fineArrearsThresholdFen) {
    return addMonths(fact.dueOn, triggers.fineArrearsAfterMonths);
  }
  return null;
}

/** The day arrears arise if the fact is still unpaid at the end of its last day: the day after it. */
export function arrearsOn(fact: Fact): LocalDate | null {
  const last = arrearsLastDay(fact);
  return last === null ? null : addDays(last, 1);
}

/** Whether the fact was (or will be) unpaid at the end of its last day, so arrears arise. */
const becomesArrears = (fact: Fact): boolean => {
  const last = arrearsLastDay(fact);
  return last !== null && (fact.paidOn === undefined || fact.paidOn > last);
};

interface Determination {
  readonly code: CauseCode;
  readonly determinedOn: LocalDate;
  readonly facts: readonly Fact[];
  /** The fact whose day (or debt) determined the cause: part of the cause's id. */
  readonly by: Fact;
}

/**
 * Every determination up to `today` in one walk over the calendar (RULES.md §6.2): on each day,
 * in CAUSE_CODES order, a cause takes the facts it needs among those no earlier cause has taken.
 */
function determine(facts: readonly Fact[], today: LocalDate): Determination[] {
  const taken = new Set<string>();
  const free = (f: Fact): boolean => !taken.has(f.id);
  const fines = facts.filter((f): f is FineFact => f.type === 'FINE');
  const infractions = facts.filter((f) => f.type === 'MAJOR_INFRACTION');
  const arrears = facts.filter(becomesArrears).map((fact) => ({ fact, on: arrearsOn(fact) as LocalDate }));
  const days = [
    ...new Set([
      ...facts.filter((f) => f.type !== 'TAX_ASSESSMENT').map(factDate),
      ...arrears.map((a) => a.on).filter((on) => on <= today),
    ]),
  ].sort();

  const found: Determination[] = [];
  const take = (code: CauseCode, day: LocalDate, owned: readonly Fact[], by: Fact): void => {
    for (const f of owned) taken.add(f.id);
    found.push({ code, determinedOn: day, facts: owned, by });
  };
  /** The unassigned facts of the window ending on `day`, if one of them is dated `day`. */
  const windowOn = <F extends Fact>(candidates: readonly F[], day: LocalDate, months: number): F[] => {
    if (!candidates.some((f) => factDate(f) === day && free(f))) return [];
    return candidates.filter((f) => free(f) && inWindow(factDate(f), day, months));
  };
  const lastOfDay = (window: readonly Fact[], day: LocalDate): Fact =>
    window
      .filter((f) => factDate(f) === day)
      .sort(compareFacts)
      .at(-1) as Fact;

  for (const day of days) {
    const { triggers } = policyInForce(day);
    for (const code of CAUSE_CODES) {
      switch (code) {
        case 'EXCESSIVE_FINES': {
          const window = windowOn(fines, day, triggers.excessiveFinesWindowMonths);
          const sum = window.reduce((total, f) => total + f.amountFen, 0);
          if (sum > triggers.excessiveFinesThresholdFen) take(code, day, window, lastOfDay(window, day));
          break;
        }
        case 'TAX_ARREARS':
        case 'FINE_ARREARS':
          for (const { fact } of arrears.filter((a) => a.on === day && free(a.fact))) {
            if ((fact.type === 'TAX_ASSESSMENT') === (code === 'TAX_ARREARS')) take(code, day, [fact], fact);
          }
          break;
        case 'BRIBERY':
        case 'OBSTRUCTION':
          for (const fact of facts.filter((f) => f.type === code && factDate(f) === day)) {
            take(code, day, [fact], fact);
          }
          break;
        case 'REPEATED_MAJOR_INFRACTIONS': {
          const window = windowOn(infractions, day, triggers.repeatedInfractionsWindowMonths);
          if (window.length >= 2) take(code, day, window, lastOfDay(window, day));
          break;
        }
      }
    }
  }
  return found;
}

/** Payable causes are rectified when all their facts are paid; the others on their determination date. */
function rectifiedOn(determination: Determination): LocalDate | undefined {
  const payable = determination.facts.filter(isPayable);
  if (payable.some((f) => f.paidOn === undefined)) return undefined;
  return maxDate(determination.determinedOn, ...payable.map((f) => f.paidOn as LocalDate));
}

/** A cause with its closure, which may lie after the day classified. */
interface CauseWithClosure extends Omit<Cause, 'closed'> {
  readonly closure?: Closure;
}

function closureOf(
  input: ClassificationInput,
  id: CauseId,
  determinedOn: LocalDate,
  listingUntil: LocalDate,
  rectified: LocalDate | undefined,
): Closure | undefined {
  const candidates: Closure[] = input.closures
    .filter((c) => c.causeId === id && c.on >= determinedOn)
    .map((c) => ({ kind: c.kind, on: c.on, recorded: true }));
  if (rectified !== undefined) {
    candidates.push({ kind: 'LISTING_EXPIRED', on: maxDate(listingUntil, rectified), recorded: false });
  }
  // Earliest first; on a tie the recorded closure (sort is stable, recorded ones come first).
  return candidates.sort((a, b) => a.on.localeCompare(b.on))[0];
}

function causesOf(input: ClassificationInput, today: LocalDate): CauseWithClosure[] {
  return determine(factsAsOf(input, today), today).map((d): CauseWithClosure => {
    const policy: Policy = policyInForce(d.determinedOn);
    const rules = policy.causes[d.code];
    const id = causeIdOf(d.code, d.by.id);
    const listingUntil = addYears(d.determinedOn, policy.listingYears[rules.tier]);
    const rectified = rectifiedOn(d);
    const closure = closureOf(input, id, d.determinedOn, listingUntil, rectified);
    return {
      id,
      code: d.code,
      determinedOn: d.determinedOn,
      factIds: d.facts.map((f) => f.id),
      tier: rules.tier,
      minimumMonths: rules.minimumRectificationMonths,
      policyId: policy.id,
      listingUntil,
      rectified: rectified !== undefined,
      ...(rectified === undefined ? {} : { rectifiedOn: rectified }),
      ...(closure === undefined ? {} : { closure }),
    };
  });
}

function asOf({ closure, ...cause }: CauseWithClosure, today: LocalDate): Cause {
  return closure !== undefined && closure.on <= today ? { ...cause, closed: closure } : cause;
}

/** Every cause determined on or before `today`, closed ones included (with `closed`). */
export const determineCauses = (input: ClassificationInput, today: LocalDate): Cause[] =>
  causesOf(input, today).map((c) => asOf(c, today));

function baseTier(input: ClassificationInput, history: readonly Cause[]): Tier {
  // Any cause ends a certified tier for good, unless the enterprise was certified anew after it.
  if (!isCertified(input.registeredTier) || history.length === 0) return input.registeredTier;
  const lastDowngrade = maxDate(history[0]!.determinedOn, ...history.map((c) => c.determinedOn));
  return input.certifiedOn !== undefined && input.certifiedOn > lastDowngrade
    ? input.registeredTier
    : 'REGULAR';
}

/** FINE, BRIBERY, OBSTRUCTION and MAJOR_INFRACTION restart the compliance clock; tax assessments do not. */
const restartsClock = (fact: Fact): boolean => fact.type !== 'TAX_ASSESSMENT';

function outstandingObligations(facts: readonly Fact[], active: readonly Cause[]): OutstandingObligation[] {
  const unpaid = new Set(active.filter((c) => !c.rectified).flatMap((c) => c.factIds));
  return facts
    .filter((f): f is PayableFact => unpaid.has(f.id) && isPayable(f) && f.paidOn === undefined)
    .map((f) => ({ factId: f.id, type: f.type, amountFen: f.amountFen, dueOn: f.dueOn }))
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.factId.localeCompare(b.factId));
}

function rectificationOf(facts: readonly Fact[], active: readonly Cause[]): Rectification {
  const minimumMonths = Math.max(...active.map((c) => c.minimumMonths));
  const outstanding = outstandingObligations(facts, active);
  if (outstanding.length > 0 || active.some((c) => !c.rectified)) {
    return { clockStart: null, earliestApplicationOn: null, minimumMonths, outstanding };
  }
  const lastDetermination = maxDate(active[0]!.determinedOn, ...active.map((c) => c.determinedOn));
  const clockStart = maxDate(
    lastDetermination,
    ...active.map((c) => c.rectifiedOn as LocalDate),
    ...facts.filter((f) => restartsClock(f) && factDate(f) > lastDetermination).map(factDate),
  );
  return {
    clockStart,
    earliestApplicationOn: addMonths(clockStart, minimumMonths),
    minimumMonths,
    outstanding,
  };
}

function listingOf(tier: Tier, active: readonly Cause[]): Listing | null {
  if (tier !== 'DISHONEST' && tier !== 'SERIOUSLY_DISHONEST') return null;
  const since = active.map((c) => c.determinedOn);
  const until = active.map((c) => c.listingUntil);
  return {
    label: TIER_INFO[tier].label,
    since: minDate(since[0]!, ...since),
    until: maxDate(until[0]!, ...until),
  };
}

function certificationOf(
  input: ClassificationInput,
  tier: Tier,
  today: LocalDate,
): CertificationSchedule | undefined {
  if ((tier !== 'ADVANCED_CERTIFIED' && tier !== 'CERTIFIED') || input.certifiedOn === undefined)
    return undefined;
  const { certification } = policyInForce(today);
  const reviewFrom = maxDate(input.certifiedOn, input.lastCertificationReviewOn ?? input.certifiedOn);
  const reviewDueOn = addYears(reviewFrom, certification.reviewEveryYears[tier]);
  return {
    tier,
    reviewFrom,
    noticeOn: addDays(reviewDueOn, -certification.noticeDaysBefore),
    reviewDueOn,
    overdue: today >= reviewDueOn,
  };
}

export function classify(input: ClassificationInput, today: LocalDate): Classification {
  const determined = determineCauses(input, today);
  const active = determined.filter((c) => c.closed === undefined);
  const tier = active.reduce<Tier>((worst, c) => worseTier(worst, c.tier), baseTier(input, determined));
  const certification = certificationOf(input, tier, today);
  return {
    tier,
    causes: active,
    determined,
    listing: listingOf(tier, active),
    rectification: active.length === 0 ? null : rectificationOf(factsAsOf(input, today), active),
    ...(certification === undefined ? {} : { certification }),
  };
}

/**
 * What was known at `instant`: the facts, payments and voids recorded by then, and the closures
 * recorded by then. Classifying it as of the instant's date gives what the system showed at that
 * moment (a fact recorded later with an earlier date was not known then).
 */
export function knownAt(input: ClassificationInput, instant: string): ClassificationInput {
  const at = Date.parse(instant);
  return knownWhen(input, (recordedAt) => Date.parse(recordedAt) <= at);
}

/** What was known at the end of `day`: everything recorded on or before it (Asia/Shanghai dates). */
export const knownOnDay = (input: ClassificationInput, day: LocalDate): ClassificationInput =>
  knownWhen(input, (recordedAt) => localDateIn(recordedAt) <= day);

function knownWhen(
  input: ClassificationInput,
  recordedBy: (recordedAt: string) => boolean,
): ClassificationInput {
  const known = (recordedAt: string | undefined): boolean =>
    recordedAt === undefined || recordedBy(recordedAt);
  const facts = input.facts
    .filter((f) => known(f.recordedAt))
    .map((f): Fact => (f.paidOn !== undefined && !known(f.paymentRecordedAt) ? withoutPayment(f) : f))
    .map((f): Fact => {
      if (f.voided === undefined || known(f.voided.recordedAt)) return f;
      const { voided: _voided, ...live } = f;
      return live as Fact;
    });
  return { ...input, facts, closures: input.closures.filter((c) => known(c.recordedAt)) };
}

/** The ids of the causes active at `instant`, as then known: what an application then submitted covered. */
export const activeCauseIdsAt = (input: ClassificationInput, instant: string): CauseId[] =>
  classify(knownAt(input, instant), localDateIn(instant)).causes.map((c) => c.id);

/**
 * Closures for the restorations revision 1 stored (`{on, kind}`: every cause determined on or
 * before the day, from facts recorded by then, closed at once). Each becomes a recorded closure of
 * every such cause still open that day, so what was repaired or announced then stays so.
 */
export function closuresOfRestorations(
  input: ClassificationInput,
  restorations: readonly {
    readonly on: LocalDate;
    readonly kind: ClosureKind;
    readonly recordedAt: string;
    readonly applicationId?: string;
  }[],
): RecordedClosure[] {
  const closures: RecordedClosure[] = [...input.closures];
  const ordered = [...restorations].sort((a, b) => a.on.localeCompare(b.on));
  for (const restoration of ordered) {
    const knownThatDay: ClassificationInput = {
      ...input,
      facts: input.facts.filter((f) => localDateIn(f.recordedAt) <= restoration.on),
      closures,
    };
    for (const cause of causesOf(knownThatDay, restoration.on)) {
      if (cause.closure !== undefined && cause.closure.on < restoration.on) continue;
      closures.push({
        causeId: cause.id,
        kind: restoration.kind,
        on: restoration.on,
        recordedAt: restoration.recordedAt,
        ...(restoration.applicationId === undefined ? {} : { applicationId: restoration.applicationId }),
      });
    }
  }
  return closures.slice(input.closures.length);
}

/**
 * The earliest day after `today` on which time alone changes the classification, the eligibility
 * or a duty: an arrears determination, earliestApplicationOn, a cause's listing end or closure, a
 * certification notice or review. Dated facts, payments and closures after `today` (only possible
 * when classifying the past) count too. Null when nothing is scheduled.
 */
export function nextTimeEvent(input: ClassificationInput, today: LocalDate): LocalDate | null {
  const classification = classify(input, today);
  const facts = liveFacts(input.facts);
  const candidates = [
    ...facts.map(factDate),
    ...facts.flatMap((f) => (f.paidOn === undefined ? [] : [f.paidOn])),
    ...facts.flatMap((f) => (becomesArrears(f) ? [arrearsOn(f) as LocalDate] : [])),
    ...input.closures.map((c) => c.on),
    // A cause's listing end and closure, while it is open: after that nothing of it changes.
    ...causesOf(input, today)
      .filter((c) => c.closure === undefined || c.closure.on > today)
      .flatMap((c) => [c.listingUntil, ...(c.closure ? [c.closure.on] : [])]),
    classification.rectification?.earliestApplicationOn ?? null,
    classification.certification?.noticeOn ?? null,
    classification.certification?.reviewDueOn ?? null,
  ].filter((d): d is LocalDate => d !== null && d > today);
  return candidates.length === 0 ? null : minDate(candidates[0]!, ...candidates);
}
