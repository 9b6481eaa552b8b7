import type { ApplicationEventType } from './lifecycle.ts';
import { TIER_INFO, type Tier } from './tiers.ts';
import type {
  ApplicationStatus,
  CauseCode,
  Decision,
  DocumentType,
  FactType,
  OutcomeReason,
  Party,
  RefusalCode,
  ReviewRole,
  ReviewStatus,
} from './vocabulary.ts';

export type { ReviewRole };

/**
 * The human names of the domain's codes, in Chinese and English, for everything people read: the
 * review pages, the workflow's and the sweep's emails, and the web console. The codes stay the
 * wire names. Held once here (data only, no I/O, nothing Node-specific) so that a party, a document
 * or a status is called the same in the browser, on a page and in the email that links to it.
 */

export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

export const PARTY_NAMES: Readonly<Record<Party, Bilingual>> = {
  CUSTOMS: { zh: '海关', en: 'Customs' },
  TAX: { zh: '税务部门', en: 'Tax authority' },
  MARKET_REGULATION: { zh: '市场监督管理部门', en: 'Market regulation authority' },
  FINANCIAL_REGULATION: { zh: '金融监管部门', en: 'Financial regulation authority' },
};

/** Who a review link is for: the greeting of a review email and page names the role, not a person. */
export const REVIEW_ROLE_NAMES: Readonly<Record<ReviewRole, Bilingual>> = {
  REVIEWER: { zh: '审核人', en: 'reviewer' },
  ESCALATION: { zh: '升级联系人', en: 'escalation contact' },
};

export const DECISION_NAMES: Readonly<Record<Decision, Bilingual>> = {
  APPROVE: { zh: '同意修复', en: 'Approve' },
  REJECT: { zh: '不同意（驳回）', en: 'Reject' },
  REQUEST_CHANGES: { zh: '要求补正材料', en: 'Request changes' },
};

export const DOCUMENT_NAMES: Readonly<Record<DocumentType, Bilingual>> = {
  REPAIR_APPLICATION: { zh: '信用修复申请书', en: 'Credit repair application' },
  COMMITMENT_LETTER: { zh: '信用承诺书', en: 'Commitment letter' },
  PENALTY_DECISION: { zh: '行政处罚决定书', en: 'Penalty decision' },
  PENALTY_PAID_PROOF: { zh: '罚款缴纳凭证', en: 'Proof of penalty payment' },
  TAX_PAID_PROOF: { zh: '税款缴纳凭证', en: 'Proof of tax payment' },
  COOPERATION_PROOF: { zh: '配合海关履职证明', en: 'Proof of cooperation with customs' },
  RECTIFICATION_REPORT: { zh: '整改报告', en: 'Rectification report' },
};

/** Lower-case English: the emails use them inside sentences. */
export const CAUSE_NAMES: Readonly<Record<CauseCode, Bilingual>> = {
  EXCESSIVE_FINES: { zh: '罚款金额超限', en: 'excessive fines' },
  TAX_ARREARS: { zh: '欠缴税款', en: 'tax arrears' },
  FINE_ARREARS: { zh: '欠缴罚款', en: 'fine arrears' },
  BRIBERY: { zh: '行贿', en: 'bribery' },
  OBSTRUCTION: { zh: '妨碍海关监管', en: 'obstruction of customs duties' },
  REPEATED_MAJOR_INFRACTIONS: { zh: '多次重大违法', en: 'repeated major infractions' },
};

/** Lower-case English: the outcome email says "has ended: REJECTED (<reason>)". */
export const OUTCOME_REASON_NAMES: Readonly<Record<OutcomeReason, Bilingual>> = {
  ALL_APPROVED: { zh: '所有审核方均已同意', en: 'every review party approved' },
  PARTY_REJECTED: { zh: '审核方驳回了申请', en: 'a review party rejected the application' },
  ROUND_LIMIT_REACHED: {
    zh: '第三轮审核仍要求补正，按规定视为驳回',
    en: 'changes were still requested in the third review round, which counts as a rejection',
  },
  NOT_ELIGIBLE: { zh: '企业不再符合申请条件', en: 'the enterprise is no longer eligible' },
  EVIDENCE_TIMEOUT: { zh: '未在期限内提交材料', en: 'the evidence was not submitted in time' },
  REVIEW_TIMEOUT: { zh: '审核超时', en: 'the review timed out' },
  WITHDRAWN_BY_APPLICANT: { zh: '申请人撤回了申请', en: 'the applicant withdrew the application' },
  WORKFLOW_FAILED: {
    zh: '系统处理失败，可重新申请',
    en: 'processing failed; the enterprise may apply again',
  },
  NEW_CAUSE_DETERMINED: {
    zh: '申请期间认定了本申请未涵盖的新的失信情形，本次修复不能恢复信用等级',
    en: 'a cause this application does not cover was determined while it was open, so this repair cannot restore the tier',
  },
  LISTING_ENDED: {
    zh: '本申请涵盖的失信情形均已因公示期届满而移出，无需再修复',
    en: 'the listing of every cause it covered has ended, so nothing is left to repair',
  },
};

export const APPLICATION_STATUS_NAMES: Readonly<Record<ApplicationStatus, Bilingual>> = {
  AWAITING_EVIDENCE: { zh: '待提交材料', en: 'Awaiting evidence' },
  UNDER_REVIEW: { zh: '审核中', en: 'Under review' },
  APPROVED: { zh: '已批准', en: 'Approved' },
  REJECTED: { zh: '已驳回', en: 'Rejected' },
  WITHDRAWN: { zh: '已撤回', en: 'Withdrawn' },
  EXPIRED: { zh: '已过期', en: 'Expired' },
};

export const REVIEW_STATUS_NAMES: Readonly<Record<ReviewStatus, Bilingual>> = {
  PENDING: { zh: '待审核', en: 'Pending' },
  APPROVED: { zh: '同意', en: 'Approved' },
  REJECTED: { zh: '驳回', en: 'Rejected' },
  CHANGES_REQUESTED: { zh: '要求补正', en: 'Changes requested' },
  SUPERSEDED: { zh: '已失效（被取代）', en: 'Superseded' },
  EXPIRED: { zh: '已超时', en: 'Expired' },
};

export const FACT_TYPE_NAMES: Readonly<Record<FactType, Bilingual>> = {
  FINE: { zh: '罚款', en: 'Fine' },
  TAX_ASSESSMENT: { zh: '税款核定', en: 'Tax assessment' },
  BRIBERY: { zh: '行贿', en: 'Bribery' },
  OBSTRUCTION: { zh: '妨碍海关监管', en: 'Obstruction of customs duties' },
  MAJOR_INFRACTION: { zh: '重大违法行为', en: 'Major infraction' },
};

/** What happened to an application (its timeline's event types). */
export const APPLICATION_EVENT_NAMES: Readonly<Record<ApplicationEventType, Bilingual>> = {
  SUBMITTED: { zh: '提交申请', en: 'Application submitted' },
  EVIDENCE_UPLOADED: { zh: '材料已核验', en: 'Document verified' },
  EVIDENCE_SUBMITTED: { zh: '提交材料', en: 'Evidence submitted' },
  REVIEW_ROUND_OPENED: { zh: '开始审核', en: 'Review round opened' },
  REVIEW_DECIDED: { zh: '审核决定', en: 'Review decided' },
  REVIEW_SUPERSEDED: { zh: '审核被取代', en: 'Review superseded' },
  ROUND_ENDED: { zh: '本轮审核结束', en: 'Review round ended' },
  UPGRADED: { zh: '信用等级已恢复', en: 'Tier restored' },
  WITHDRAWN: { zh: '申请人撤回', en: 'Withdrawn by the applicant' },
  DEADLINE_PASSED: { zh: '期限已过', en: 'Deadline passed' },
  FOUND_INELIGIBLE: { zh: '不符合申请条件', en: 'Found ineligible' },
  WORKFLOW_FAILED: { zh: '系统处理失败', en: 'Processing failed' },
  NEW_CAUSE_DETERMINED: { zh: '认定新的失信情形', en: 'New cause determined' },
  LISTING_ENDED: { zh: '失信名单期满', en: 'Listing ended' },
};

/** What happened to an enterprise (its event log's types: fact routes and the sweep write them). */
export const ENTERPRISE_EVENT_NAMES: Readonly<Record<string, Bilingual>> = {
  TIER_CHANGED: { zh: '信用等级变更', en: 'Tier changed' },
  ARREARS_DETERMINED: { zh: '认定欠缴', en: 'Arrears determined' },
  ELIGIBILITY_NOTICE: { zh: '可申请信用修复通知', en: 'Notice: may apply for repair' },
  LISTING_CHANGED: { zh: '失信名单变更', en: 'Listing changed' },
  CERTIFICATION_REVIEW_NOTICE: { zh: '认证复核提醒', en: 'Certification review notice' },
  CERTIFICATION_REVIEW_OVERDUE: { zh: '认证复核逾期', en: 'Certification review overdue' },
  RESTORED: { zh: '信用等级恢复', en: 'Tier restored' },
};

/** Why an enterprise may not apply (RULES.md §3 refusal codes). */
export const REFUSAL_NAMES: Readonly<Record<RefusalCode, Bilingual>> = {
  NOT_DOWNGRADED: {
    zh: '企业未被认定为失信企业，无需信用修复',
    en: 'The enterprise is not listed as dishonest: there is nothing to repair',
  },
  OUTSTANDING_OBLIGATIONS: {
    zh: '尚有未缴清的税款或罚款',
    en: 'Taxes or fines are still outstanding',
  },
  RECTIFICATION_PERIOD_NOT_MET: {
    zh: '最短信用修复期尚未届满',
    en: 'The minimum rectification period has not ended yet',
  },
  APPLICATION_OPEN: { zh: '已有一份申请正在办理', en: 'Another application is open' },
};

/** A tier by its Chinese name and its public listing label (RULES.md §1), from the domain's table. */
export const tierName = (tier: Tier): Bilingual => ({
  zh: TIER_INFO[tier].chinese,
  en: TIER_INFO[tier].label,
});

/**
 * A deadline that runs to the end of its day (RULES.md §6.7: a period ends at 24:00 of its last
 * day), worded the same way in both languages wherever a deadline is stated.
 */
export const byEndOf = (date: string): Bilingual => ({
  zh: `${date} 当日结束前`,
  en: `by the end of ${date}`,
});
