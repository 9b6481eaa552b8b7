import { classify, nextTimeEvent } from '../../domain/classification.ts';
import { enterpriseDutiesOn, type EnterpriseDuty } from '../../domain/enterprise-duties.ts';
import { POLICY } from '../../domain/policy.ts';
import {
  appendEnterpriseEvent,
  loadEnterprise,
  recordRestoration,
  updateProfile,
  type LoadedEnterprise,
} from '../lib/enterprises/index.ts';
import { publishListingChanged } from '../lib/events-publisher.ts';
import { enterprisePartition, keys } from '../lib/store/index.ts';
import { doneDutyKeys, runDuty, type DutyClaim } from './claims.ts';
import type { ItemOutcome, SweepContext } from './context.ts';
import type { DutyCounter } from './counts.ts';
import { setDueIfVersion } from './due.ts';
import {
  arrearsDeterminedEmail,
  certificationNoticeEmail,
  certificationOverdueEmail,
  eligibilityNoticeEmail,
  listingRestoredEmail,
  sendBilingual,
} from './emails.ts';

/**
 * RULES.md §5.1–§5.4 for one enterprise the due index points to: arrears determinations,
 * eligibility notices, listing-expiry restorations and certification reviews. The duties come from
 * the domain (enterpriseDutiesOn); this module claims, does and records them.
 */

const COUNTER: Readonly<Record<EnterpriseDuty['kind'], DutyCounter>> = {
  ARREARS_DETERMINED: 'arrearsDetermined',
  ELIGIBILITY_NOTICE: 'eligibilityNotices',
  LISTING_RESTORED: 'listingsRestored',
  CERTIFICATION_NOTICE: 'certificationNotices',
  CERTIFICATION_OVERDUE: 'certificationOverdue',
};

/**
 * A restoration changes what else is due (a restored enterprise gets no eligibility notice for the
 * listing it left), so it goes first and the rest is recomputed after it.
 */
const ORDER: readonly EnterpriseDuty['kind'][] = [
  'LISTING_RESTORED',
  'ARREARS_DETERMINED',
  'CERTIFICATION_OVERDUE',
  'CERTIFICATION_NOTICE',
  'ELIGIBILITY_NOTICE',
];
const byOrder = (a: EnterpriseDuty, b: EnterpriseDuty): number =>
  ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind);

/** Enough for a restoration followed by the duties it leaves; more would mean the duties do not settle. */
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

  // Nothing left undone today: the next day time alone changes something.
  const pending = enterpriseDutiesOn(enterprise.input, ctx.today, done).length > 0;
  const next = pending ? ctx.today : nextTimeEvent(enterprise.input, ctx.today);
  if (enterprise.profile.dueOn !== next) {
    await setDueIfVersion(ctx.store, keys.enterprise(enterpriseId), enterprise.profile.version, next);
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
      key: `SWEEP#${duty.key}`,
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
      await sendBilingual(ctx.mailer, profile.contactEmail, arrearsDeterminedEmail(to, cause), duty.kind);
      return null;
    }
    case 'ELIGIBILITY_NOTICE': {
      await event('ELIGIBILITY_NOTICE', { clockStart: duty.clockStart, earliestApplicationOn: duty.on });
      await sendBilingual(ctx.mailer, profile.contactEmail, eligibilityNoticeEmail(to, duty.on), duty.kind);
      return null;
    }
    case 'LISTING_RESTORED': {
      // The restoration is recorded last: once it is, the domain no longer names this duty, so
      // everything it owes (timeline, the other agencies, the enterprise) goes out before; a run
      // that stops half-way redoes the duty from the start on its next visit.
      const from = classify(enterprise.input, ctx.today).tier;
      const toTier = classify(
        { ...enterprise.input, restorations: [...enterprise.input.restorations, duty.restoration] },
        ctx.today,
      ).tier;
      await event('RESTORED', {
        kind: duty.restoration.kind,
        on: duty.restoration.on,
        listingUntil: duty.listingUntil,
        from,
        to: toTier,
      });
      // The other agencies learn of a listing that ends by time as of one ended by approval
      // (RULES.md §4). The change id depends only on the restoration, so a redone duty sends an
      // event receivers already know to drop.
      await publishListingChanged({
        enterpriseId: profile.id,
        fromTier: from,
        toTier,
        reason: duty.restoration.kind,
        effectiveOn: duty.restoration.on,
        policyId: POLICY.id,
        changeId: `${profile.id}#${duty.restoration.kind}#${duty.restoration.on}`,
      });
      await sendBilingual(
        ctx.mailer,
        profile.contactEmail,
        listingRestoredEmail(to, { on: duty.restoration.on, listingUntil: duty.listingUntil }),
        duty.kind,
      );
      const restored = await recordRestoration(ctx.store, profile.id, duty.restoration, {
        now: claim.claimedAt,
        today: ctx.today,
      });
      return restored.enterprise;
    }
    case 'CERTIFICATION_NOTICE': {
      await event('CERTIFICATION_REVIEW_NOTICE', { reviewDueOn: duty.reviewDueOn });
      await sendBilingual(
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
      await sendBilingual(
        ctx.mailer,
        profile.contactEmail,
        certificationOverdueEmail(to, duty.reviewDueOn),
        duty.kind,
      );
      return marked.enterprise;
    }
  }
}
