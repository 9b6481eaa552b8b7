import type { Party } from '../../../domain/vocabulary.ts';
import { PARTY_NAMES } from '../../../domain/labels.ts';
import { composeBilingual, type ComposedEmail } from './bilingual.ts';

/**
 * The directory's notice: a party's reviewer was replaced. It goes to the previous reviewer and the
 * escalation contacts, so a replacement nobody at the agency asked for is noticed by the agency.
 */

export interface ReviewerReplaced {
  readonly party: Party;
  readonly previous: { readonly name: string; readonly email: string };
  readonly next: { readonly name: string; readonly email: string };
  readonly proposedBy: string;
  readonly confirmedBy: string;
  readonly at: string;
}

export function reviewerReplacedEmail(r: ReviewerReplaced): ComposedEmail {
  const party = PARTY_NAMES[r.party];
  return composeBilingual({
    subject: {
      zh: `${party.zh}的信用修复审核人已更换`,
      en: `The credit repair reviewer of ${party.en} was replaced`,
    },
    paragraphs: [
      {
        zh: `${party.zh}的审核人已由 ${r.previous.name}（${r.previous.email}）更换为 ${r.next.name}（${r.next.email}），自 ${r.at} 起生效。`,
        en: `The reviewer of ${party.en} changed from ${r.previous.name} (${r.previous.email}) to ${r.next.name} (${r.next.email}) as of ${r.at}.`,
      },
      {
        zh: `提出人：${r.proposedBy}；确认人：${r.confirmedBy}。此后开始的审核轮次发送给新审核人；进行中的审核，其提醒将附新链接发送给新审核人，原链接随即失效。`,
        en: `Proposed by ${r.proposedBy}, confirmed by ${r.confirmedBy}. Review rounds that open from now on go to the new reviewer; for reviews under way, the reminder goes to the new reviewer with a new link, and the earlier link then stops working.`,
      },
      {
        zh: '如您未预期此项更换，请立即联系海关信用管理部门。',
        en: 'If you did not expect this change, contact the customs credit office at once.',
      },
    ],
  });
}
