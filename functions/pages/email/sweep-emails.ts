import type { Tier } from '../../../domain/tiers.ts';
import type { CauseCode } from '../../../domain/vocabulary.ts';
import type { LocalDate } from '../../../domain/dates.ts';
import { CAUSE_NAMES, tierName } from '../../../domain/labels.ts';
import { type Bilingual, type BilingualEmail } from './bilingual.ts';

/**
 * The sweep's messages to enterprises, each in Chinese and English (Chinese first, the authority's
 * language). The reminders and escalations it sends to reviewers carry review links and live with
 * the other review emails (application-emails.ts).
 * Dates are the calendar dates of the rules (Asia/Shanghai), written as YYYY-MM-DD in both texts.
 */

export interface EnterpriseAddressee {
  readonly id: string;
  readonly name: string;
}

const greeting = (to: EnterpriseAddressee): Bilingual => ({
  zh: `${to.name}（海关注册编码 ${to.id}）：`,
  en: `To ${to.name} (customs code ${to.id}):`,
});

export function arrearsDeterminedEmail(
  to: EnterpriseAddressee,
  cause: { code: CauseCode; determinedOn: LocalDate; tier: Tier; rectifiedOn?: LocalDate },
): BilingualEmail {
  const name = CAUSE_NAMES[cause.code];
  const tier = tierName(cause.tier);
  // An officer may record an old debt already paid: the determination stands, the advice differs.
  const next =
    cause.rectifiedOn === undefined
      ? {
          zh: '缴清欠款后即可开始信用修复期，期满后可申请信用修复。',
          en: 'Once the amount is paid the rectification period begins; when it has passed you may apply for credit repair.',
        }
      : {
          zh: `该款项已于 ${cause.rectifiedOn} 缴清，信用修复期自该日起算，期满后可申请信用修复。`,
          en: `The amount was paid on ${cause.rectifiedOn}; the rectification period runs from that day, and when it has passed you may apply for credit repair.`,
        };
  return {
    subject: { zh: `信用认定通知：${name.zh}`, en: `Credit determination: ${name.en}` },
    paragraphs: [
      greeting(to),
      {
        zh: `经核查，贵单位的应缴款项在规定期限届满后仍未缴清，自 ${cause.determinedOn} 起认定为“${name.zh}”，信用等级调整为${tier.zh}。`,
        en: `An amount owed by your enterprise remained unpaid after the period allowed. As of ${cause.determinedOn} this is determined as ${name.en}, and your credit tier becomes ${tier.en}.`,
      },
      next,
    ],
  };
}

export function eligibilityNoticeEmail(
  to: EnterpriseAddressee,
  earliestApplicationOn: LocalDate,
): BilingualEmail {
  return {
    subject: { zh: '可申请信用修复', en: 'You may now apply for credit repair' },
    paragraphs: [
      greeting(to),
      {
        zh: `贵单位的整改义务均已履行，最短修复期已于 ${earliestApplicationOn} 届满，现可提出信用修复申请。`,
        en: `Every obligation of your enterprise is met and the minimum rectification period ended on ${earliestApplicationOn}. You may now apply for credit repair.`,
      },
    ],
  };
}

/**
 * A listing that ended by time (RULES.md §6.5): the enterprise is restored, or, when another cause
 * still lists it (a SERIOUSLY_DISHONEST listing ended under a DISHONEST one), listed under that one.
 */
export function listingChangedEmail(
  to: EnterpriseAddressee,
  change: { on: LocalDate; from: Tier; to: Tier; listingUntil: LocalDate | null },
): BilingualEmail {
  const from = tierName(change.from);
  const now = tierName(change.to);
  if (change.listingUntil === null) {
    return {
      subject: { zh: '失信名单期满，信用等级已恢复', en: 'Listing ended: credit tier restored' },
      paragraphs: [
        greeting(to),
        {
          zh: `贵单位的失信名单（${from.zh}）期限已届满，且各项义务均已履行。自 ${change.on} 起，贵单位信用等级恢复为${now.zh}，并移出失信名单。`,
          en: `Your enterprise's listing (${from.en}) has ended and every obligation is met. As of ${change.on} your credit tier is restored to ${now.en} and the listing is removed.`,
        },
      ],
    };
  }
  return {
    subject: { zh: '失信名单变更', en: 'Listing changed' },
    paragraphs: [
      greeting(to),
      {
        zh: `贵单位的${from.zh}名单期限已届满，且相关义务均已履行。自 ${change.on} 起，贵单位列为${now.zh}，公示至 ${change.listingUntil}。`,
        en: `Your enterprise's ${from.en} has ended and its obligations are met. As of ${change.on} your enterprise is listed as ${now.en} until ${change.listingUntil}.`,
      },
    ],
  };
}

export function certificationNoticeEmail(to: EnterpriseAddressee, reviewDueOn: LocalDate): BilingualEmail {
  return {
    subject: { zh: '认证企业重新审核即将到期', en: 'Certification re-review due soon' },
    paragraphs: [
      greeting(to),
      {
        zh: `贵单位的认证企业资格须于 ${reviewDueOn} 前接受重新审核，届时未完成的将记录为逾期。请提前准备相关材料。`,
        en: `Your enterprise's certification must be re-reviewed before ${reviewDueOn}, when it is recorded as overdue. Please prepare the documents in good time.`,
      },
    ],
  };
}

export function certificationOverdueEmail(to: EnterpriseAddressee, reviewDueOn: LocalDate): BilingualEmail {
  return {
    subject: { zh: '认证企业重新审核已逾期', en: 'Certification re-review overdue' },
    paragraphs: [
      greeting(to),
      {
        zh: `贵单位的认证企业重新审核已于 ${reviewDueOn} 到期，现记录为逾期。请尽快联系海关完成重新审核。`,
        en: `Your enterprise's certification re-review fell due on ${reviewDueOn} and is now recorded as overdue. Please contact customs to complete it.`,
      },
    ],
  };
}
