import { TIER_INFO, type Tier } from '../../domain/tiers.ts';
import type { CauseCode, Decision, DocumentType, Party } from '../../domain/vocabulary.ts';
import type { Bilingual } from './mailer/bilingual.ts';

/**
 * The human names of the domain's codes, in Chinese and English, for everything people read:
 * review pages, the workflow's emails and the sweep's. The codes stay the wire names. Held once
 * here so a party or document is called the same on a page and in the email that links to it.
 */

export type { Bilingual };

export const PARTY_NAMES: Readonly<Record<Party, Bilingual>> = {
  CUSTOMS: { zh: '海关', en: 'Customs' },
  TAX: { zh: '税务部门', en: 'Tax authority' },
  MARKET_REGULATION: { zh: '市场监督管理部门', en: 'Market regulation authority' },
  FINANCIAL_REGULATION: { zh: '金融监管部门', en: 'Financial regulation authority' },
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

export const CAUSE_NAMES: Readonly<Record<CauseCode, Bilingual>> = {
  EXCESSIVE_FINES: { zh: '罚款金额超限', en: 'excessive fines' },
  TAX_ARREARS: { zh: '欠缴税款', en: 'tax arrears' },
  FINE_ARREARS: { zh: '欠缴罚款', en: 'fine arrears' },
  BRIBERY: { zh: '行贿', en: 'bribery' },
  OBSTRUCTION: { zh: '妨碍海关监管', en: 'obstruction of customs duties' },
  REPEATED_MAJOR_INFRACTIONS: { zh: '多次重大违法', en: 'repeated major infractions' },
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
