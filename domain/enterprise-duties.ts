import { classify, listingRestorationDue } from './classification.ts';
import type { Cause, ClassificationInput } from './classification.ts';
import type { LocalDate } from './dates.ts';

/**
 * What the daily sweep must do for one enterprise on a day (RULES.md §5.1–§5.4), as pure data.
 * Each duty has a deterministic key; the sweep records the key when it has acted, and passes the
 * recorded keys back in, so every duty happens exactly once however often the sweep runs.
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
      readonly kind: 'LISTING_RESTORED';
      readonly key: `RESTORE#${string}`;
      readonly on: LocalDate;
      /** The listing end the restoration answers; `on` is later when obligations were met late. */
      readonly listingUntil: LocalDate;
      readonly restoration: { readonly on: LocalDate; readonly kind: 'LISTING_EXPIRED' };
    }
  | {
      readonly kind: 'CERTIFICATION_NOTICE' | 'CERTIFICATION_OVERDUE';
      readonly key: `CERT_NOTICE#${string}` | `CERT_OVERDUE#${string}`;
      readonly on: LocalDate;
      readonly reviewDueOn: LocalDate;
    };

export type EnterpriseDutyKind = EnterpriseDuty['kind'];

export function enterpriseDutiesOn(
  input: ClassificationInput,
  today: LocalDate,
  recorded: ReadonlySet<string>,
): EnterpriseDuty[] {
  const classification = classify(input, today);
  const duties: EnterpriseDuty[] = [];

  // An arrears fact makes at most one arrears cause, so its id keys the determination.
  for (const cause of classification.causes) {
    if (cause.code === 'TAX_ARREARS' || cause.code === 'FINE_ARREARS') {
      duties.push({
        kind: 'ARREARS_DETERMINED',
        key: `ARREARS#${cause.factIds[0]}`,
        on: cause.determinedOn,
        cause,
      });
    }
  }

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

  const restorationOn = listingRestorationDue(input, today);
  if (restorationOn !== null && classification.listing !== null) {
    const until = classification.listing.until;
    // The ordinal of this restoration keeps a later listing that happens to end on the same day
    // (an old fact recorded after a restoration) from looking already restored.
    const ordinal = input.restorations.length + 1;
    duties.push({
      kind: 'LISTING_RESTORED',
      key: `RESTORE#${ordinal}#${until}`,
      on: restorationOn,
      listingUntil: until,
      restoration: { on: restorationOn, kind: 'LISTING_EXPIRED' },
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

  return duties.filter((duty) => !recorded.has(duty.key));
}
