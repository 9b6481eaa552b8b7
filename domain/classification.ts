import * as z from 'zod';
import { LocalDate, addDays, addMonths, addYears, localDateIn, maxDate, minDate } from './dates.ts';
import { compareFacts, factDate, isPayable, liveFacts } from './facts.ts';
import type { Fact, FineFact, PayableFact } from './facts.ts';
import { POLICY } from './policy.ts';
import { TIER_INFO, isCertified, worseTier } from './tiers.ts';
import type { Tier } from './tiers.ts';
import { CAUSE_CODES, RESTORATION_KINDS } from './vocabulary.ts';
import type { CauseCode } from './vocabulary.ts';

/**
 * Classification (RULES.md §2–§3): from an enterprise's facts and restorations, as of a day, its
 * tier, active causes, public listing, rectification state and certification schedule. Pure and
 * order-independent: the same facts in any order give the same result.
 *
 * Decisions the rules leave open (each tested in test/unit/domain/classification.test.ts):
 * - Only facts dated on or before `today` count, and only payments made on or before it.
 * - EXCESSIVE_FINES is determined on every day a fine is imposed while the fines in the window
 *   ending that day sum to more than the threshold, each determination naming the fines in its
 *   window. A further fine while over the threshold is a fresh instance of the condition, and this
 *   keeps the rule monotone: adding a fine never removes a determination or shrinks its fines.
 * - REPEATED_MAJOR_INFRACTIONS likewise: every infraction day with another infraction in the
 *   window ending that day (two on one day count).
 * - A restoration (repair approved, listing expired) is a fresh start: it closes every cause
 *   determined on or before its day, and fines and infractions it covered no longer count in
 *   later windows. It covers only facts recorded by its day: a cause an officer records later,
 *   with a historical date, was unknown to the restoration and stays active until rectified.
 * - While any active cause is unrectified the compliance clock has not started: `clockStart` and
 *   `earliestApplicationOn` are null. The clock never runs on a guess.
 */

export const RegisteredTier = z.enum(['ADVANCED_CERTIFIED', 'CERTIFIED', 'REGULAR']);
export type RegisteredTier = z.infer<typeof RegisteredTier>;

export const Restoration = z.object({ on: LocalDate, kind: z.enum(RESTORATION_KINDS) });
export type Restoration = z.infer<typeof Restoration>;

export interface ClassificationInput {
  /** The tier held before any cause: ACE, CE or REGULAR. */
  readonly registeredTier: RegisteredTier;
  readonly certifiedOn?: LocalDate;
  /** The last completed certification re-review; the next one is due from it. */
  readonly lastCertificationReviewOn?: LocalDate;
  readonly facts: readonly Fact[];
  readonly restorations: readonly Restoration[];
}

export interface Cause {
  readonly code: CauseCode;
  readonly determinedOn: LocalDate;
  readonly factIds: readonly string[];
  readonly tier: Extract<Tier, 'DISHONEST' | 'SERIOUSLY_DISHONEST'>;
  readonly minimumMonths: number;
  readonly rectified: boolean;
  readonly rectifiedOn?: LocalDate;
  readonly policyId: string;
}

/** A determined cause with the restoration that closed it, if one did. */
export interface DeterminedCause extends Cause {
  readonly closedOn?: LocalDate;
}

export interface OutstandingObligation {
  readonly factId: string;
  readonly type: PayableFact['type'];
  readonly amountFen: number;
  readonly dueOn: LocalDate;
}

export interface Listing {
  readonly label: string;
  readonly since: LocalDate;
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
  /** Active causes only: determined on or before today and not closed by a restoration. */
  readonly causes: readonly Cause[];
  readonly listing: Listing | null;
  readonly rectification: Rectification | null;
  readonly certification?: CertificationSchedule;
  readonly policyId: string;
}

/** The facts, payments and restorations as they stood at the end of `today`. */
interface View {
  readonly today: LocalDate;
  readonly facts: readonly Fact[];
  readonly restorations: readonly Restoration[];
  readonly recordedOn: ReadonlyMap<string, LocalDate>;
}

function viewAsOf(input: ClassificationInput, today: LocalDate): View {
  const facts = liveFacts(input.facts)
    .filter((f) => factDate(f) <= today)
    .map((f): Fact => (f.paidOn !== undefined && f.paidOn > today ? { ...f, paidOn: undefined } : f))
    .sort(compareFacts);
  return {
    today,
    facts,
    restorations: input.restorations.filter((r) => r.on <= today),
    recordedOn: new Map(facts.map((f) => [f.id, localDateIn(f.recordedAt)])),
  };
}

const coveredBy = (view: View, fact: Fact, restoration: Restoration): boolean =>
  factDate(fact) <= restoration.on && view.recordedOn.get(fact.id)! <= restoration.on;

/** Whether a restoration before `day` settled this fact, so it no longer counts in windows ending on `day`. */
const settledBefore = (view: View, fact: Fact, day: LocalDate): boolean =>
  view.restorations.some((r) => r.on < day && coveredBy(view, fact, r));

/** The first day of the rolling window that ends on `day`: [day - N months + 1 day, day]. */
const windowStart = (day: LocalDate, months: number): LocalDate => addDays(addMonths(day, -months), 1);

interface Determination {
  readonly code: CauseCode;
  readonly determinedOn: LocalDate;
  readonly facts: readonly Fact[];
}

function windowDeterminations<F extends Fact>(
  view: View,
  code: CauseCode,
  candidates: readonly F[],
  windowMonths: number,
  crosses: (window: readonly F[]) => boolean,
): Determination[] {
  const days = [...new Set(candidates.map(factDate))];
  return days.flatMap((day) => {
    const from = windowStart(day, windowMonths);
    const window = candidates.filter(
      (f) => factDate(f) >= from && factDate(f) <= day && !settledBefore(view, f, day),
    );
    return crosses(window) ? [{ code, determinedOn: day, facts: window }] : [];
  });
}

/** The day a payable fact becomes arrears if still unpaid, or null if it never can (small fines). */
export function arrearsOn(fact: Fact): LocalDate | null {
  if (fact.type === 'TAX_ASSESSMENT') return addMonths(fact.dueOn, POLICY.triggers.taxArrearsAfterMonths);
  if (fact.type === 'FINE' && fact.amountFen > POLICY.triggers.fineArrearsThresholdFen) {
    return addMonths(fact.dueOn, POLICY.triggers.fineArrearsAfterMonths);
  }
  return null;
}

/**
 * Decision: a payment made on the arrears day itself no longer prevents the cause. The day the
 * period ends is the day the determination is made, and the sweep makes it at the start of that
 * day; only a payment before it settles the debt in time.
 */
function arrearsDeterminations(view: View): Determination[] {
  return view.facts.flatMap((fact) => {
    const on = arrearsOn(fact);
    if (on === null || on > view.today || (fact.paidOn !== undefined && fact.paidOn < on)) return [];
    return [{ code: fact.type === 'FINE' ? 'FINE_ARREARS' : 'TAX_ARREARS', determinedOn: on, facts: [fact] }];
  });
}

function allDeterminations(view: View): Determination[] {
  const { triggers } = POLICY;
  const fines = view.facts.filter((f): f is FineFact => f.type === 'FINE');
  const infractions = view.facts.filter((f) => f.type === 'MAJOR_INFRACTION');
  const incidents = view.facts.flatMap((f): Determination[] =>
    f.type === 'BRIBERY' || f.type === 'OBSTRUCTION'
      ? [{ code: f.type, determinedOn: f.occurredOn, facts: [f] }]
      : [],
  );
  return [
    ...windowDeterminations(
      view,
      'EXCESSIVE_FINES',
      fines,
      triggers.excessiveFinesWindowMonths,
      (window) => window.reduce((sum, f) => sum + f.amountFen, 0) > triggers.excessiveFinesThresholdFen,
    ),
    ...arrearsDeterminations(view),
    ...incidents,
    ...windowDeterminations(
      view,
      'REPEATED_MAJOR_INFRACTIONS',
      infractions,
      triggers.repeatedInfractionsWindowMonths,
      (window) => window.length >= 2,
    ),
  ];
}

/** Payable causes are rectified when all their facts are paid; the others on their determination date. */
function rectifiedOn(determination: Determination): LocalDate | undefined {
  const payable = determination.facts.filter(isPayable);
  if (payable.some((f) => f.paidOn === undefined)) return undefined;
  return maxDate(determination.determinedOn, ...payable.map((f) => f.paidOn as LocalDate));
}

const compareCauses = (a: Cause, b: Cause): number =>
  a.determinedOn.localeCompare(b.determinedOn) ||
  CAUSE_CODES.indexOf(a.code) - CAUSE_CODES.indexOf(b.code) ||
  a.factIds.join(',').localeCompare(b.factIds.join(','));

function determinedCauses(view: View): DeterminedCause[] {
  return allDeterminations(view)
    .map((d): DeterminedCause => {
      const policy = POLICY.causes[d.code];
      const rectified = rectifiedOn(d);
      const closing = view.restorations
        .filter((r) => r.on >= d.determinedOn && d.facts.every((f) => coveredBy(view, f, r)))
        .map((r) => r.on);
      return {
        code: d.code,
        determinedOn: d.determinedOn,
        factIds: d.facts.map((f) => f.id),
        tier: policy.tier,
        minimumMonths: policy.minimumRectificationMonths,
        rectified: rectified !== undefined,
        ...(rectified === undefined ? {} : { rectifiedOn: rectified }),
        policyId: POLICY.id,
        ...(closing.length === 0 ? {} : { closedOn: minDate(closing[0]!, ...closing) }),
      };
    })
    .sort(compareCauses);
}

/** Every cause determined on or before `today`, including those a restoration has closed. */
export const determineCauses = (input: ClassificationInput, today: LocalDate): DeterminedCause[] =>
  determinedCauses(viewAsOf(input, today));

function baseTier(input: ClassificationInput, view: View, history: readonly DeterminedCause[]): Tier {
  // Any cause or restoration ends a certified tier for good, unless the enterprise was certified anew after it.
  const downgradeDays = [...history.map((c) => c.determinedOn), ...view.restorations.map((r) => r.on)];
  if (!isCertified(input.registeredTier) || downgradeDays.length === 0) return input.registeredTier;
  const lastDowngrade = maxDate(downgradeDays[0]!, ...downgradeDays);
  return input.certifiedOn !== undefined && input.certifiedOn > lastDowngrade
    ? input.registeredTier
    : 'REGULAR';
}

/** FINE, BRIBERY, OBSTRUCTION and MAJOR_INFRACTION restart the compliance clock; tax assessments do not. */
const restartsClock = (fact: Fact): boolean => fact.type !== 'TAX_ASSESSMENT';

function outstandingObligations(view: View, active: readonly Cause[]): OutstandingObligation[] {
  const unpaid = new Set(active.filter((c) => !c.rectified).flatMap((c) => c.factIds));
  return view.facts
    .filter((f): f is PayableFact => unpaid.has(f.id) && isPayable(f) && f.paidOn === undefined)
    .map((f) => ({ factId: f.id, type: f.type, amountFen: f.amountFen, dueOn: f.dueOn }))
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.factId.localeCompare(b.factId));
}

function rectificationOf(view: View, active: readonly Cause[]): Rectification {
  const minimumMonths = Math.max(...active.map((c) => c.minimumMonths));
  const outstanding = outstandingObligations(view, active);
  if (outstanding.length > 0 || active.some((c) => !c.rectified)) {
    return { clockStart: null, earliestApplicationOn: null, minimumMonths, outstanding };
  }
  const lastDetermination = maxDate(active[0]!.determinedOn, ...active.map((c) => c.determinedOn));
  const clockStart = maxDate(
    lastDetermination,
    ...active.map((c) => c.rectifiedOn as LocalDate),
    ...view.facts.filter((f) => restartsClock(f) && factDate(f) > lastDetermination).map(factDate),
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
  const days = active.map((c) => c.determinedOn);
  return {
    label: TIER_INFO[tier].label,
    since: minDate(days[0]!, ...days),
    until: addYears(maxDate(days[0]!, ...days), POLICY.listingYears[tier]),
  };
}

function certificationOf(
  input: ClassificationInput,
  tier: Tier,
  today: LocalDate,
): CertificationSchedule | undefined {
  if ((tier !== 'ADVANCED_CERTIFIED' && tier !== 'CERTIFIED') || input.certifiedOn === undefined)
    return undefined;
  const reviewFrom = maxDate(input.certifiedOn, input.lastCertificationReviewOn ?? input.certifiedOn);
  const reviewDueOn = addYears(reviewFrom, POLICY.certification.reviewEveryYears[tier]);
  return {
    tier,
    reviewFrom,
    noticeOn: addDays(reviewDueOn, -POLICY.certification.noticeDaysBefore),
    reviewDueOn,
    overdue: today >= reviewDueOn,
  };
}

const stripClosure = ({ closedOn: _closedOn, ...cause }: DeterminedCause): Cause => cause;

export function classify(input: ClassificationInput, today: LocalDate): Classification {
  const view = viewAsOf(input, today);
  const history = determinedCauses(view);
  const active = history.filter((c) => c.closedOn === undefined).map(stripClosure);
  const tier = active.reduce<Tier>((worst, c) => worseTier(worst, c.tier), baseTier(input, view, history));
  const certification = certificationOf(input, tier, today);
  return {
    tier,
    causes: active,
    listing: listingOf(tier, active),
    rectification: active.length === 0 ? null : rectificationOf(view, active),
    ...(certification === undefined ? {} : { certification }),
    policyId: POLICY.id,
  };
}

/** The day the last active cause was rectified, or null while any is not. */
function lastRectifiedOn(classification: Classification): LocalDate | null {
  const days = classification.causes.map((c) => c.rectifiedOn);
  if (days.length === 0 || days.some((d) => d === undefined)) return null;
  return maxDate(...(days as [LocalDate, ...LocalDate[]]));
}

/**
 * RULES.md §5.3: the day a listing-expiry restoration is (or was) due, or null when it is not due
 * by `today`. Due at the listing's end when every obligation is met by then, else on the day the
 * last one is met. `classify` honours only restorations recorded in the input; the sweep records
 * this one (kind LISTING_EXPIRED, on the returned day).
 */
export function listingRestorationDue(input: ClassificationInput, today: LocalDate): LocalDate | null {
  const classification = classify(input, today);
  const rectified = lastRectifiedOn(classification);
  if (classification.listing === null || rectified === null) return null;
  const due = maxDate(classification.listing.until, rectified);
  return due <= today ? due : null;
}

/**
 * The earliest day after `today` on which time alone changes the classification, the eligibility
 * or a duty: an arrears determination, earliestApplicationOn, the listing's end, a certification
 * notice or review. Dated facts, payments and restorations after `today` (only possible when
 * classifying the past) count too. Null when nothing is scheduled.
 */
export function nextTimeEvent(input: ClassificationInput, today: LocalDate): LocalDate | null {
  const classification = classify(input, today);
  const facts = liveFacts(input.facts);
  const candidates = [
    ...facts.map(factDate),
    ...facts.flatMap((f) => (f.paidOn === undefined ? [] : [f.paidOn])),
    ...facts.flatMap((f) => {
      const on = arrearsOn(f);
      return on === null || (f.paidOn !== undefined && f.paidOn < on) ? [] : [on];
    }),
    ...input.restorations.map((r) => r.on),
    classification.rectification?.earliestApplicationOn ?? null,
    classification.listing?.until ?? null,
    classification.certification?.noticeOn ?? null,
    classification.certification?.reviewDueOn ?? null,
  ].filter((d): d is LocalDate => d !== null && d > today);
  return candidates.length === 0 ? null : minDate(candidates[0]!, ...candidates);
}
