import { nextTimeEvent } from '../../../domain/classification.ts';
import { enterpriseDutiesOn, type EnterpriseDuty } from '../../../domain/enterprise-duties.ts';
import { settleOpenApplication } from '../applications/causes-changed.ts';
import { appendEnterpriseEvent } from '../enterprises/timeline.ts';
import {
  enterpriseIndex,
  loadEnterprise,
  updateProfile,
  type LoadedEnterprise,
} from '../enterprises/records.ts';
import { enterprisePartition, eventKeys, keys } from '../../ports/store/keys.ts';
import { doneDutyKeys, runDuty, type DutyClaim } from './claims.ts';
import type { ItemOutcome, SweepContext } from './context.ts';
import type { DutyCounter } from './counts.ts';
import { setDueIfVersion } from './due.ts';
import {
  arrearsDeterminedEmail,
  certificationNoticeEmail,
  certificationOverdueEmail,
  eligibilityNoticeEmail,
  listingChangedEmail,
} from '../../pages/email/sweep-emails.ts';
import { sendNotice } from './notices.ts';

/**
 * RULES.md §5 and §6 for one enterprise the due index points to: arrears determinations, listing
 * changes (each announced once, as it was shown: domain/enterprise-duties.ts), eligibility notices
 * and certification reviews; then the enterprise's open application, if the causes it covers no
 * longer match (RULES.md §6.1). The duties come from the domain; this module claims, does and
 * records them. Listing ends are computed from dates, so nothing here changes the causes.
 */

const COUNTER: Readonly<Record<EnterpriseDuty['kind'], DutyCounter>> = {
  ARREARS_DETERMINED: 'arrearsDetermined',
  ELIGIBILITY_NOTICE: 'eligibilityNotices',
  LISTING_CHANGED: 'listingChanges',
  CERTIFICATION_NOTICE: 'certificationNotices',
  CERTIFICATION_OVERDUE: 'certificationOverdue',
};

/** Announcements in the order they were shown, then what speaks of today. */
const ORDER: Readonly<Record<EnterpriseDuty['kind'], number>> = {
  ARREARS_DETERMINED: 0,
  LISTING_CHANGED: 0,
  CERTIFICATION_OVERDUE: 1,
  CERTIFICATION_NOTICE: 2,
  ELIGIBILITY_NOTICE: 3,
};
const byOrder = (a: EnterpriseDuty, b: EnterpriseDuty): number => ORDER[a.kind] - ORDER[b.kind];

/** Enough for a profile change followed by the duties it leaves; more would mean the duties do not settle. */
const MAX_PASSES = 4;

export async function sweepEnterprise(ctx: SweepContext, enterpriseId: string): Promise<ItemOutcome> {
  let enterprise = await loadEnterprise(ctx.store, enterpriseId);
  const dueOn = enterprise?.profile.dueOn;
  if (enterprise === null || dueOn === undefined || dueOn > ctx.today) return 'NOT_DUE';

  const done = await doneDutyKeys(ctx.store, enterprisePartition(enterpriseId));
  let inProgress = false;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const current: LoadedEnterprise = enterprise;
    const duties = enterpriseDutiesOn(current.input, ctx.today, done).sort(byOrder);
    let changed: LoadedEnterprise | null = null;
    for (const duty of duties) {
      const run = await runDuty<LoadedEnterprise | null>(
        ctx,
        keys.enterprise(enterpriseId),
        { key: duty.key, kind: duty.kind, on: duty.on, payload: duty },
        done,
        COUNTER[duty.kind],
        (claim) => act(ctx, current, duty, claim),
      );
      if (!run.ran) {
        inProgress ||= run.inProgress;
        continue;
      }
      changed = run.result;
      if (changed !== null) break;
    }
    if (changed === null) break;
    enterprise = changed;
  }
  if (inProgress) return 'IN_PROGRESS';

  // A cause arose, or a covered listing ended, under an open application: it ends now.
  ({ enterprise } = await settleOpenApplication(ctx, enterprise, new Date(ctx.now), 'sweep'));

  // Nothing left undone today: the next day time alone changes something.
  const pending = enterpriseDutiesOn(enterprise.input, ctx.today, done).length > 0;
  const next = pending ? ctx.today : nextTimeEvent(enterprise.input, ctx.today);
  // The tier may have moved by time alone (a listing ended, arrears determined): the tier index
  // follows in the same conditional write as the due date.
  const index = enterpriseIndex(enterprise.profile, enterprise.input, ctx.today);
  if (
    enterprise.profile.dueOn !== next ||
    enterprise.profile.gsi2pk !== index.gsi2pk ||
    enterprise.profile.gsi2sk !== index.gsi2sk
  ) {
    await setDueIfVersion(ctx.store, keys.enterprise(enterpriseId), enterprise.profile.version, next, index);
  }
  return 'SWEPT';
}

/** Does one duty; returns the enterprise as changed when the duty changed its profile, else null. */
async function act(
  ctx: SweepContext,
  enterprise: LoadedEnterprise,
  duty: EnterpriseDuty,
  claim: DutyClaim,
): Promise<LoadedEnterprise | null> {
  const { profile } = enterprise;
  const to = { id: profile.id, name: profile.name };
  // Timeline events take the first claim's instant, so a redone duty writes the same event once.
  const event = (type: string, detail: Record<string, string | number | boolean | null>) =>
    appendEnterpriseEvent(ctx.store, profile.id, {
      at: claim.claimedAt,
      key: eventKeys.enterpriseSweepDuty(duty.key),
      type,
      actor: 'sweep',
      detail,
    });

  switch (duty.kind) {
    case 'ARREARS_DETERMINED': {
      const { cause } = duty;
      await event('ARREARS_DETERMINED', {
        cause: cause.code,
        determinedOn: cause.determinedOn,
        factIds: cause.factIds.join(','),
        tier: cause.tier,
        policyId: cause.policyId,
      });
      await sendNotice(ctx.mailer, profile.contactEmail, arrearsDeterminedEmail(to, cause), duty.kind);
      return null;
    }
    case 'ELIGIBILITY_NOTICE': {
      await event('ELIGIBILITY_NOTICE', { clockStart: duty.clockStart, earliestApplicationOn: duty.on });
      await sendNotice(ctx.mailer, profile.contactEmail, eligibilityNoticeEmail(to, duty.on), duty.kind);
      return null;
    }
    case 'LISTING_CHANGED': {
      const causeIds = duty.closed.map((c) => c.id).join(',');
      await event('LISTING_CHANGED', {
        from: duty.from,
        to: duty.to,
        on: duty.on,
        causeIds,
        listingUntil: duty.listingUntil,
      });
      // The other agencies learn of a listing that ends by time as of one ended by approval
      // (RULES.md §4). The change id depends only on the change, so a redone duty sends an event
      // receivers already know to drop.
      const last = duty.closed[duty.closed.length - 1];
      await ctx.events.publishListingChanged({
        enterpriseId: profile.id,
        fromTier: duty.from,
        toTier: duty.to,
        reason: 'LISTING_EXPIRED',
        effectiveOn: duty.on,
        policyId: last?.policyId ?? '',
        changeId: `${profile.id}#LISTING_EXPIRED#${duty.on}#${duty.to}`,
      });
      await sendNotice(ctx.mailer, profile.contactEmail, listingChangedEmail(to, duty), duty.kind);
      return null;
    }
    case 'CERTIFICATION_NOTICE': {
      await event('CERTIFICATION_REVIEW_NOTICE', { reviewDueOn: duty.reviewDueOn });
      await sendNotice(
        ctx.mailer,
        profile.contactEmail,
        certificationNoticeEmail(to, duty.reviewDueOn),
        duty.kind,
      );
      return null;
    }
    case 'CERTIFICATION_OVERDUE': {
      const marked = await updateProfile(ctx.store, profile.id, ctx.today, (current) =>
        current.profile.certificationReviewOverdueSince === duty.reviewDueOn
          ? null
          : { certificationReviewOverdueSince: duty.reviewDueOn },
      );
      await event('CERTIFICATION_REVIEW_OVERDUE', { reviewDueOn: duty.reviewDueOn });
      await sendNotice(
        ctx.mailer,
        profile.contactEmail,
        certificationOverdueEmail(to, duty.reviewDueOn),
        duty.kind,
      );
      return marked.enterprise;
    }
  }
}
