import { classify, determineCauses, knownOnDay } from './classification.ts';
import type { Cause, Classification, ClassificationInput } from './classification.ts';
import { localDateIn, maxDate } from './dates.ts';
import type { LocalDate } from './dates.ts';
import type { Tier } from './tiers.ts';

/**
 * What the daily sweep must do for one enterprise on a day (RULES.md §5, §6.5), as pure data.
 * Each duty has a deterministic key; the sweep records the key when it has acted, and passes the
 * recorded keys back in, so every duty happens exactly once however often the sweep runs.
 *
 * Determinations and listing changes are announced as they were shown. The enterprise's history is
 * replayed day by day: each day something was recorded (a fact, a payment, a void, a repair) and
 * each day on which time alone changed the picture known then (arrears arising, a listing
 * closing). On each such day the classification known at its end is compared with the one before:
 * - an arrears cause that becomes active is announced (ARREARS_DETERMINED), once per debt;
 * - a change of tier that a listing closure brings is announced (LISTING_CHANGED): the notice to
 *   the enterprise and the event to the other agencies, effective on the closure's date. A
 *   closure recorded by id (a repair) is announced by the workflow, not here; a change of tier
 *   nobody was shown (a debt recorded after its listing had ended) is not announced at all.
 * So whether the sweep runs daily, weekly or once, it finds the same points and announces the
 * same things once each; a closure that lies in the past is announced on the next run.
 *
 * Eligibility and certification notices speak of the present (you may apply now, a review is due)
 * and are worked out from today's classification only.
 */

export type EnterpriseDuty =
  | {
      readonly kind: 'ARREARS_DETERMINED';
      readonly key: `ARREARS#${string}`;
      /** The day the cause arose (earlier than today when a sweep was missed or a fact was recorded late). */
      readonly on: LocalDate;
      readonly cause: Cause;
    }
  | {
      readonly kind: 'ELIGIBILITY_NOTICE';
      readonly key: `ELIGIBLE#${string}`;
      readonly on: LocalDate;
      readonly clockStart: LocalDate;
    }
  | {
      readonly kind: 'LISTING_CHANGED';
      readonly key: `LISTING#${string}`;
      /** The day the change took effect: the latest closure it brings. */
      readonly on: LocalDate;
      readonly from: Tier;
      readonly to: Tier;
      /** The causes whose listings closed, with the policy each was determined under. */
      readonly closed: readonly Pick<Cause, 'id' | 'code' | 'policyId' | 'listingUntil'>[];
      /** The listing that remains (a SERIOUSLY_DISHONEST listing that ended under a DISHONEST one), if any. */
      readonly listingUntil: LocalDate | null;
    }
  | {
      readonly kind: 'CERTIFICATION_NOTICE' | 'CERTIFICATION_OVERDUE';
      readonly key: `CERT_NOTICE#${string}` | `CERT_OVERDUE#${string}`;
      readonly on: LocalDate;
      readonly reviewDueOn: LocalDate;
    };

type Announcement = Extract<EnterpriseDuty, { kind: 'ARREARS_DETERMINED' | 'LISTING_CHANGED' }>;

const isArrears = (cause: Cause): boolean => cause.code === 'TAX_ARREARS' || cause.code === 'FINE_ARREARS';

/** What changed from `before` to `after` that the enterprise and the agencies must hear. */
function announcementsBetween(before: Classification, after: Classification): Announcement[] {
  const wasActive = new Set(before.causes.map((c) => c.id));
  const found: Announcement[] = after.causes
    .filter((c) => isArrears(c) && !wasActive.has(c.id))
    // An arrears cause owns exactly its debt, so the debt's id keys the notice.
    .map((cause) => ({
      kind: 'ARREARS_DETERMINED',
      key: `ARREARS#${cause.factIds[0]}`,
      on: cause.determinedOn,
      cause,
    }));
  const closedByListing = after.determined.filter(
    (c) => wasActive.has(c.id) && c.closed?.kind === 'LISTING_EXPIRED' && !c.closed.recorded,
  );
  if (after.tier !== before.tier && closedByListing.length > 0) {
    const days = closedByListing.map((c) => (c.closed as { on: LocalDate }).on);
    const on = maxDate(days[0]!, ...days);
    found.push({
      kind: 'LISTING_CHANGED',
      key: `LISTING#${on}#${before.tier}#${after.tier}`,
      on,
      from: before.tier,
      to: after.tier,
      closed: closedByListing.map(({ id, code, policyId, listingUntil }) => ({
        id,
        code,
        policyId,
        listingUntil,
      })),
      listingUntil: after.listing?.until ?? null,
    });
  }
  return found;
}

/** The days on which something was recorded, in order, up to `today`. */
function recordDays(input: ClassificationInput, today: LocalDate): LocalDate[] {
  const instants = [
    ...input.facts.flatMap((f) => [
      f.recordedAt,
      ...(f.paidOn !== undefined && f.paymentRecordedAt !== undefined ? [f.paymentRecordedAt] : []),
      ...(f.voided ? [f.voided.recordedAt] : []),
    ]),
    ...input.closures.map((c) => c.recordedAt),
  ];
  return [...new Set(instants.map((at) => localDateIn(at)))].filter((day) => day <= today).sort();
}

/**
 * The determinations and listing changes shown up to `today`, in the order they were shown (see
 * the module comment). What was shown on a day is what was known at its end: records made on one
 * day count together, so a debt and its old payment recorded minutes apart never showed the debt.
 * Pure: the same input gives the same list on any day after.
 */
export function shownAnnouncements(input: ClassificationInput, today: LocalDate): Announcement[] {
  const days = recordDays(input, today);
  const announcements: Announcement[] = [];
  const nothingKnown: ClassificationInput = { ...input, facts: [], closures: [] };
  let shown = classify(nothingKnown, days[0] ?? today);
  const step = (next: Classification): void => {
    announcements.push(...announcementsBetween(shown, next));
    shown = next;
  };
  for (let i = 0; i < days.length; i++) {
    const recordedOn = days[i]!;
    const known = knownOnDay(input, recordedOn);
    step(classify(known, recordedOn));
    // The days after it, before the next record day, on which time alone changed the picture.
    const next = days[i + 1];
    const timeDays = new Set<LocalDate>();
    for (const cause of determineCauses(known, next ?? today)) {
      for (const day of [cause.determinedOn, cause.closed?.on]) {
        if (day !== undefined && day > recordedOn && (next === undefined ? day <= today : day < next)) {
          timeDays.add(day);
        }
      }
    }
    for (const day of [...timeDays].sort()) step(classify(known, day));
  }
  return announcements;
}

export function enterpriseDutiesOn(
  input: ClassificationInput,
  today: LocalDate,
  recorded: ReadonlySet<string>,
): EnterpriseDuty[] {
  const classification = classify(input, today);
  const duties: EnterpriseDuty[] = [...shownAnnouncements(input, today)];

  // One notice per clock start: a new fact restarts the clock and earns a new notice later.
  const rectification = classification.rectification;
  if (
    rectification?.clockStart &&
    rectification.earliestApplicationOn &&
    rectification.earliestApplicationOn <= today
  ) {
    duties.push({
      kind: 'ELIGIBILITY_NOTICE',
      key: `ELIGIBLE#${rectification.clockStart}`,
      on: rectification.earliestApplicationOn,
      clockStart: rectification.clockStart,
    });
  }

  // A missed notice is not sent once the review is due: the overdue duty replaces it.
  const certification = classification.certification;
  if (certification && today >= certification.noticeOn) {
    const { reviewDueOn } = certification;
    duties.push(
      certification.overdue
        ? { kind: 'CERTIFICATION_OVERDUE', key: `CERT_OVERDUE#${reviewDueOn}`, on: reviewDueOn, reviewDueOn }
        : {
            kind: 'CERTIFICATION_NOTICE',
            key: `CERT_NOTICE#${reviewDueOn}`,
            on: certification.noticeOn,
            reviewDueOn,
          },
    );
  }

  const seen = new Set<string>();
  return duties.filter((duty) => {
    if (recorded.has(duty.key) || seen.has(duty.key)) return false;
    seen.add(duty.key);
    return true;
  });
}
