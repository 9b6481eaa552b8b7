import { TIER_INFO, type Tier } from '../../../domain/tiers.ts';
import type { Decision, DocumentType, Party } from '../../../domain/vocabulary.ts';

/**
 * What reviewers read on the review pages, in both languages. The codes stay the wire names;
 * these are only their human names. Tier names come from the domain's tier table.
 */

export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

export const PARTY_NAMES: Readonly<Record<Party, Bilingual>> = {
  CUSTOMS: { zh: '海关', en: 'Customs' },
  TAX: { zh: '税务部门', en: 'Tax authority' },
  MARKET_REGULATION: { zh: '市场监督管理部门', en: 'Market regulation' },
  FINANCIAL_REGULATION: { zh: '金融监管部门', en: 'Financial regulation' },
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

export const tierName = (tier: Tier): Bilingual => ({
  zh: TIER_INFO[tier].chinese,
  en: TIER_INFO[tier].label,
});
