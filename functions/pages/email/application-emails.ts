import { addYears, localDateIn, type LocalDate } from '../../../domain/dates.ts';
import {
  leadPartyOf,
  policyOf,
  type ApplicationState,
  type EndedRound,
  type ResubmissionResponse,
} from '../../../domain/lifecycle.ts';
import type { Tier } from '../../../domain/tiers.ts';
import type { OutcomeReason, Party } from '../../../domain/vocabulary.ts';
import {
  APPLICATION_STATUS_NAMES,
  byEndOf,
  OUTCOME_REASON_NAMES,
  PARTY_NAMES,
  REFUSAL_NAMES,
  REVIEW_ROLE_NAMES,
  REVIEW_STATUS_NAMES,
  tierName,
  type ReviewRole,
} from '../../../domain/labels.ts';
import { composeBilingual, type Bilingual, type ComposedEmail } from './bilingual.ts';

/**
 * The workflow's emails, in Chinese and English (composeBilingual). They carry what the reader
 * needs to act and nothing secret: a review email holds its link (an opaque id, useless without the
 * confirmation page's nonce), never a task token. Names of parties, tiers, statuses and outcomes
 * come from domain/labels.ts; a reviewer's own name (free text an officer entered, often Latin)
 * greets only in the English part, the Chinese part greets the role.
 */

/** What every email that asks a party to decide says about the application and the link. */
export interface ReviewAsk {
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

export interface ReviewRequest extends ReviewAsk {
  /** Round 2 on: the rounds that ended with change requests, and the applicant's responses. */
  readonly earlierRounds?: readonly EndedRound[];
  readonly responses?: readonly ResubmissionResponse[];
}

const OPEN_PAGE: Bilingual = { zh: '打开审核页面', en: 'Open the review page' };

export const greetingOf = (role: ReviewRole, party: Party, name: string): Bilingual => ({
  zh: `${PARTY_NAMES[party].zh}${REVIEW_ROLE_NAMES[role].zh}，您好：`,
  en: `Dear ${name} (${REVIEW_ROLE_NAMES[role].en}, ${PARTY_NAMES[party].en}),`,
});

const applicationLine = (r: ReviewAsk): Bilingual => ({
  zh: `企业 ${r.enterpriseName}（海关注册编码 ${r.enterpriseId}，现为${tierName(r.fromTier).zh}）申请信用修复，申请编号 ${r.applicationId}，第${r.round}轮审核。`,
  en: `${r.enterpriseName} (customs code ${r.enterpriseId}, currently ${tierName(r.fromTier).en}) applied for credit repair: application ${r.applicationId}, review round ${r.round}.`,
});

/** The deadline and how the link works: the same words in the request, the reminder and the escalation. */
export const decideBy = (r: ReviewAsk): Bilingual => ({
  zh: `请于 ${byEndOf(r.deadlineOn).zh}作出决定。下方链接自 ${r.timeoutOn} 起失效，仅可使用一次；打开后需在确认页面上提交决定。`,
  en: `Please decide ${byEndOf(r.deadlineOn).en}. The link below stops working on ${r.timeoutOn} and can be used once; it opens a confirmation page on which you submit your decision.`,
});

/**
 * RULES.md §6.10 in the email: what the previous round asked for and what the applicant answered,
 * so a round-2 request reads as the follow-up it is.
 */
function roundHistory(r: ReviewRequest): Bilingual[] {
  if (r.round < 2) return [];
  const previous = (r.earlierRounds ?? []).find((round) => round.round === r.round - 1);
  const asked = (previous?.reviews ?? []).filter((review) => review.comment !== undefined);
  const response = (r.responses ?? []).find((answer) => answer.round === r.round);
  return [
    {
      zh: `本轮为补正后的重新审核。第${r.round - 1}轮审核意见：`,
      en: `This round reviews the application again after changes. The comments of round ${r.round - 1}:`,
    },
    ...(asked.length === 0
      ? [{ zh: '（上一轮未留下意见）', en: '(the previous round left no comments)' }]
      : asked.map((review) => ({
          zh: `${PARTY_NAMES[review.party].zh}（${REVIEW_STATUS_NAMES[review.status].zh}）：${review.comment ?? ''}`,
          en: `${PARTY_NAMES[review.party].en} (${REVIEW_STATUS_NAMES[review.status].en}): ${review.comment ?? ''}`,
        }))),
    response === undefined
      ? { zh: '申请人未说明所作的修改。', en: 'The applicant did not describe the changes.' }
      : {
          zh: `申请人的答复：${response.response}`,
          en: `The applicant's response: ${response.response}`,
        },
  ];
}

export function reviewRequestEmail(r: ReviewRequest): ComposedEmail {
  const party = PARTY_NAMES[r.party];
  return composeBilingual({
    subject:
      r.round < 2
        ? {
            zh: `信用修复审核（第${r.round}轮）：${r.enterpriseName}`,
            en: `Credit repair review (round ${r.round}): ${r.enterpriseName}`,
          }
        : {
            zh: `信用修复审核（第${r.round}轮）补正后重新审核：${r.enterpriseName}`,
            en: `Credit repair review (round ${r.round}) after changes: ${r.enterpriseName}`,
          },
    paragraphs: [
      greetingOf('REVIEWER', r.party, r.reviewerName),
      applicationLine(r),
      { zh: `请代表${party.zh}审核。`, en: `Please review it on behalf of ${party.en}.` },
      ...roundHistory(r),
      decideBy(r),
    ],
    actions: [{ label: OPEN_PAGE, url: r.url }],
  });
}

/** The sweep's reminder to the party's reviewer (RULES.md §4): a fresh link, the earlier one stops working. */
export function reviewReminderEmail(r: ReviewAsk): ComposedEmail {
  return composeBilingual({
    subject: {
      zh: `审核提醒：信用修复申请 ${r.applicationId}（${r.enterpriseName}）`,
      en: `Review reminder: credit repair application ${r.applicationId} (${r.enterpriseName})`,
    },
    paragraphs: [
      greetingOf('REVIEWER', r.party, r.reviewerName),
      applicationLine(r),
      {
        zh: `该申请仍待${PARTY_NAMES[r.party].zh}作出审核决定。`,
        en: `It still awaits the decision of ${PARTY_NAMES[r.party].en}.`,
      },
      decideBy(r),
      {
        zh: '本邮件附有新的审核链接，此前邮件中的链接已失效。',
        en: 'This message carries a new review link; the link in the earlier message no longer works.',
      },
    ],
    actions: [{ label: OPEN_PAGE, url: r.url }],
  });
}

/**
 * The sweep's escalation to the party's escalation contact once the review is overdue (RULES.md
 * §4): a link of the contact's own, so the party can still decide; whichever of the reviewer's and
 * the contact's links decides first counts, and the other stops working (CONTRACT.md).
 */
export function reviewEscalationEmail(r: ReviewAsk & { readonly assignedReviewer: string }): ComposedEmail {
  const party = PARTY_NAMES[r.party];
  return composeBilingual({
    subject: {
      zh: `审核逾期：信用修复申请 ${r.applicationId}（${r.enterpriseName}）`,
      en: `Review overdue: credit repair application ${r.applicationId} (${r.enterpriseName})`,
    },
    paragraphs: [
      greetingOf('ESCALATION', r.party, r.reviewerName),
      applicationLine(r),
      {
        zh: `${party.zh}审核人应于 ${byEndOf(r.deadlineOn).zh}作出决定，现已逾期，尚未作出决定。`,
        en: `The review by ${r.assignedReviewer} for ${party.en} was due ${byEndOf(r.deadlineOn).en} and has not been decided.`,
      },
      {
        zh: `您是${party.zh}的升级联系人：请督促审核人尽快决定，或通过下方您本人的链接代表${party.zh}作出决定。审核人与您以先作出的决定为准，另一链接随即失效。该链接自 ${r.timeoutOn} 起失效，仅可使用一次。`,
        en: `You are the escalation contact of ${party.en}: please see that the reviewer decides, or decide on behalf of ${party.en} through your own link below. Whichever of you decides first counts, and the other link then stops working. The link stops working on ${r.timeoutOn} and can be used once.`,
      },
    ],
    actions: [{ label: OPEN_PAGE, url: r.url }],
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
  });
}

const APPLY_AGAIN: Bilingual = {
  zh: '贵单位符合申请条件的，可随时重新提出信用修复申请。',
  en: 'The enterprise may apply for credit repair again at any time while it meets the conditions.',
};

/** What the applicant can do next, by why the application ended (RULES.md §4, §6.1). */
function nextStepsFor(state: ApplicationState, reason: OutcomeReason): Bilingual[] {
  switch (reason) {
    case 'ALL_APPROVED': {
      const on = localDateIn(state.outcome?.at ?? state.updatedAt);
      const barUntil = addYears(on, policyOf(state).repair.certificationBarYears);
      const tier = tierName(state.targetTier);
      return [
        {
          zh: `自 ${on} 起，贵单位信用等级恢复为${tier.zh}，本申请涵盖的失信情形已修复，失信名单公示同日结束，并已通知其他相关部门。`,
          en: `As of ${on} the enterprise's tier is ${tier.en}: the causes this application covered are repaired, the listing ended that day, and the other agencies have been told.`,
        },
        {
          zh: `${barUntil} 前，贵单位不得申请成为认证企业。`,
          en: `Until ${barUntil} the enterprise may not apply for a certified tier.`,
        },
      ];
    }
    case 'PARTY_REJECTED':
    case 'ROUND_LIMIT_REACHED':
      return [
        {
          zh: '信用等级不变，失信名单继续公示。规则未规定再次申请的等待期：针对上述审核意见完成整改后，可随时重新提出申请。',
          en: 'The tier and the listing stay as they were. The rules set no waiting period: once the points above are addressed, the enterprise may apply again at any time.',
        },
      ];
    case 'NOT_ELIGIBLE':
      return [
        ...(state.outcome?.refusals ?? []).map((code) => REFUSAL_NAMES[code]),
        {
          zh: '上述条件满足后，可重新提出申请。',
          en: 'Once these conditions are met, the enterprise may apply again.',
        },
      ];
    case 'NEW_CAUSE_DETERMINED':
      return [
        {
          zh: '新认定的失信情形须先履行义务并经过最短修复期；届时系统将发送可申请通知，贵单位可提出涵盖全部失信情形的新申请。',
          en: 'The new cause must first be rectified and its minimum rectification period pass; the system then sends a notice, and the enterprise may apply again covering every cause.',
        },
      ];
    case 'LISTING_ENDED':
      return [
        {
          zh: '本申请涵盖的失信情形已因公示期届满而移出名单，无需再申请修复。',
          en: 'The causes this application covered have left the listing because their period ended: no repair application is needed for them.',
        },
      ];
    case 'EVIDENCE_TIMEOUT':
    case 'REVIEW_TIMEOUT':
    case 'WORKFLOW_FAILED':
      return [
        { zh: '信用等级不变。', en: 'The tier stays as it was.' },
        APPLY_AGAIN,
        ...(reason === 'EVIDENCE_TIMEOUT'
          ? [
              {
                zh: '重新申请时，请在期限内上传全部所需材料。',
                en: 'When applying again, upload every required document within the period.',
              },
            ]
          : []),
      ];
    case 'WITHDRAWN_BY_APPLICANT':
      return [
        {
          zh: '信用等级不变。贵单位可随时重新提出申请；撤回的申请计入30日内的申请次数。',
          en: 'The tier stays as it was. The enterprise may apply again at any time; a withdrawn application counts towards the number of applications in 30 days.',
        },
      ];
  }
}

/** The rejecting or change-requesting comments of the last round, for the applicant to act on. */
function reviewerComments(state: ApplicationState): Bilingual[] {
  return state.parties.flatMap((party) => {
    const review = state.reviews[party];
    if (review?.comment === undefined || review.status === 'APPROVED') return [];
    return [
      {
        zh: `${PARTY_NAMES[party].zh}（${REVIEW_STATUS_NAMES[review.status].zh}）：${review.comment}`,
        en: `${PARTY_NAMES[party].en} (${REVIEW_STATUS_NAMES[review.status].en}): ${review.comment}`,
      },
    ];
  });
}

export function outcomeEmail(input: {
  readonly audience: 'APPLICANT' | 'PARTIES';
  readonly enterpriseName: string;
  readonly state: ApplicationState;
}): ComposedEmail {
  const { state } = input;
  const reason: OutcomeReason = state.outcome?.reason ?? 'WORKFLOW_FAILED';
  const status = APPLICATION_STATUS_NAMES[state.status];
  const why = OUTCOME_REASON_NAMES[reason];
  // RULES.md §6.9: the interagency review is led by customs, and its outcome is issued in the lead's name.
  const lead = PARTY_NAMES[leadPartyOf(state)];
  const next: Bilingual[] =
    input.audience === 'APPLICANT'
      ? [...reviewerComments(state), ...nextStepsFor(state, reason)]
      : state.status === 'APPROVED'
        ? nextStepsFor(state, reason).slice(0, 1)
        : [
            {
              zh: '本申请已结束，无需再作审核；尚未使用的审核链接均已失效。',
              en: 'The application has ended: no review is needed any more, and unused review links no longer work.',
            },
          ];
  return composeBilingual({
    subject: {
      zh: `信用修复申请结果（${status.zh}）：${input.enterpriseName}`,
      en: `Credit repair outcome (${status.en}): ${input.enterpriseName}`,
    },
    paragraphs: [
      input.audience === 'APPLICANT'
        ? { zh: `${input.enterpriseName}：`, en: `${input.enterpriseName}:` }
        : { zh: '各审核方：', en: 'To the review parties:' },
      {
        zh: `信用修复申请 ${state.id} 已结束，结果：${status.zh}（${why.zh}）。`,
        en: `Credit repair application ${state.id} has ended: ${status.en} (${why.en}).`,
      },
      ...next,
      {
        zh: `联合审核牵头单位${lead.zh}代表各审核方发出本通知。`,
        en: `Issued by ${lead.en}, the lead party of the joint review, on behalf of the review parties.`,
      },
    ],
  });
}
