import type { LocalDate } from '../../../domain/dates.ts';
import { leadPartyOf, type ApplicationState } from '../../../domain/lifecycle.ts';
import type { Tier } from '../../../domain/tiers.ts';
import type { Party } from '../../../domain/vocabulary.ts';
import { byEndOf, OUTCOME_REASON_NAMES, PARTY_NAMES, tierName } from '../../../domain/labels.ts';
import { composeBilingual, type Bilingual, type ComposedEmail } from './bilingual.ts';

/**
 * The workflow's emails, in Chinese and English (composeBilingual). They carry what the reader
 * needs to act and nothing secret: a review email holds its link (an opaque id, useless without the
 * confirmation page's nonce), never a task token.
 */

const FOOTER: Bilingual = {
  zh: '本邮件由信用修复系统自动发送，请勿直接回复。',
  en: 'This message was sent automatically by the credit-repair system; please do not reply.',
};

export interface ReviewRequest {
  readonly reviewerName: string;
  readonly party: Party;
  readonly applicationId: string;
  readonly enterpriseId: string;
  readonly enterpriseName: string;
  readonly fromTier: Tier;
  readonly round: number;
  readonly deadlineOn: LocalDate;
  readonly timeoutOn: LocalDate;
  readonly url: string;
}

export function reviewRequestEmail(r: ReviewRequest): ComposedEmail {
  const party = PARTY_NAMES[r.party];
  return composeBilingual({
    subject: {
      zh: `信用修复审核（第${r.round}轮）：${r.enterpriseName}`,
      en: `Credit repair review (round ${r.round}): ${r.enterpriseName}`,
    },
    paragraphs: [
      { zh: `${r.reviewerName}，您好：`, en: `Dear ${r.reviewerName},` },
      {
        zh: `企业 ${r.enterpriseName}（${r.enterpriseId}，现为${tierName(r.fromTier).zh}）申请信用修复，申请编号 ${r.applicationId}。请代表${party.zh}审核。`,
        en: `${r.enterpriseName} (${r.enterpriseId}, currently ${tierName(r.fromTier).en}) applied for credit repair, application ${r.applicationId}. Please review it on behalf of ${party.en}.`,
      },
      {
        zh: `请于 ${byEndOf(r.deadlineOn).zh}作出决定；该链接自 ${r.timeoutOn} 起失效，仅可使用一次。打开链接后需在确认页面上提交决定。`,
        en: `Please decide ${byEndOf(r.deadlineOn).en}; the link stops working on ${r.timeoutOn} and can be used once. Opening it shows a confirmation page on which you submit your decision.`,
      },
    ],
    actions: [{ label: { zh: '打开审核页面', en: 'Open the review page' }, url: r.url }],
    footer: FOOTER,
  });
}

export function changesRequestedEmail(input: {
  readonly enterpriseName: string;
  readonly applicationId: string;
  readonly round: number;
  readonly evidenceDueOn: LocalDate;
  readonly notes: readonly { party: Party; comment: string }[];
}): ComposedEmail {
  return composeBilingual({
    subject: {
      zh: `信用修复申请需补正材料：${input.applicationId}`,
      en: `Changes requested for credit repair application ${input.applicationId}`,
    },
    paragraphs: [
      {
        zh: `${input.enterpriseName}：审核方要求补正申请 ${input.applicationId} 的材料（第${input.round}轮审核前）。请于 ${byEndOf(input.evidenceDueOn).zh}重新提交，并说明所作的修改。`,
        en: `${input.enterpriseName}: the review parties request changes to application ${input.applicationId} before review round ${input.round}. Please submit again ${byEndOf(input.evidenceDueOn).en}, with a note of what you changed.`,
      },
      ...input.notes.map((n) => ({
        zh: `${PARTY_NAMES[n.party].zh}：${n.comment}`,
        en: `${PARTY_NAMES[n.party].en}: ${n.comment}`,
      })),
    ],
    footer: FOOTER,
  });
}

export function outcomeEmail(input: {
  readonly audience: 'APPLICANT' | 'PARTIES';
  readonly enterpriseName: string;
  readonly state: ApplicationState;
}): ComposedEmail {
  const { state } = input;
  const outcome = state.outcome;
  const approved = state.status === 'APPROVED';
  const reason = outcome ? OUTCOME_REASON_NAMES[outcome.reason] : { zh: '', en: '' };
  const result: Bilingual = approved
    ? {
        zh: `信用修复申请 ${state.id} 已获批准：企业信用等级恢复为${tierName(state.targetTier).zh}，失信名单已移除。`,
        en: `Credit repair application ${state.id} was approved: the enterprise is restored to ${tierName(state.targetTier).en} and its listing has ended.`,
      }
    : {
        zh: `信用修复申请 ${state.id} 已结束，结果：${state.status}（${reason.zh}）。`,
        en: `Credit repair application ${state.id} has ended: ${state.status} (${reason.en}).`,
      };
  // RULES.md §6.9: the interagency review is led by customs, and its outcome is issued in the lead's name.
  const lead = PARTY_NAMES[leadPartyOf(state)];
  return composeBilingual({
    subject: {
      zh: `信用修复申请结果：${input.enterpriseName}`,
      en: `Credit repair outcome: ${input.enterpriseName}`,
    },
    paragraphs: [
      input.audience === 'APPLICANT'
        ? { zh: `${input.enterpriseName}：`, en: `${input.enterpriseName}:` }
        : { zh: '各审核方：', en: 'To the review parties:' },
      result,
      {
        zh: `联合审核牵头单位${lead.zh}代表各审核方发出本通知。`,
        en: `Issued by ${lead.en}, the lead party of the joint review, on behalf of the review parties.`,
      },
    ],
    footer: FOOTER,
  });
}
