import { describe, expect, it } from 'vitest';
import type { ApplicationState } from '../../../domain/lifecycle.ts';
import { POLICY } from '../../../domain/policy.ts';
import {
  APPLICATION_STATUS_NAMES,
  CAUSE_NAMES,
  DECISION_NAMES,
  DOCUMENT_NAMES,
  OUTCOME_REASON_NAMES,
  PARTY_NAMES,
  REFUSAL_NAMES,
  REVIEW_ROLE_NAMES,
  REVIEW_STATUS_NAMES,
  tierName,
} from '../../../domain/labels.ts';
import { TIERS } from '../../../domain/tiers.ts';
import type { OutcomeReason } from '../../../domain/vocabulary.ts';
import { extractLinks } from '../../../functions/adapters/outbox/mailer.ts';
import {
  changesRequestedEmail,
  outcomeEmail,
  reviewEscalationEmail,
  reviewReminderEmail,
  reviewRequestEmail,
  type ReviewAsk,
} from '../../../functions/pages/email/application-emails.ts';
import {
  composeBilingual,
  EMAIL_FOOTER,
  type ComposedEmail,
} from '../../../functions/pages/email/bilingual.ts';
import { reviewerReplacedEmail } from '../../../functions/pages/email/directory-emails.ts';
import {
  arrearsDeterminedEmail,
  certificationNoticeEmail,
  certificationOverdueEmail,
  eligibilityNoticeEmail,
  listingChangedEmail,
} from '../../../functions/pages/email/sweep-emails.ts';

/**
 * What every email the system sends says, checked by content rather than by snapshot: in both the
 * text and the HTML part, the Chinese half holds no Latin code and no English label, the English
 * half names things by their English labels, a link appears exactly in the emails that ask a party
 * to decide, and every email ends with the one footer.
 *
 * The data put into the emails (ids, the link) is Latin by nature and is taken out before the
 * Chinese half is searched: what is checked is what the templates add.
 */

const APP = '01M943V0C9HKHD3FTVF9J2ANP6';
const ENTERPRISE = { id: '4403960123', name: '深圳港湾贸易有限公司' };
const URL = 'https://review.example.cn/review/IgkgwPUmqbocVdL1leqmPbXYKYt89qHl9dFtsQwyQXU';
const REVIEWER = 'Zhao Min';

const ask: ReviewAsk = {
  reviewerName: REVIEWER,
  party: 'TAX',
  applicationId: APP,
  enterpriseId: ENTERPRISE.id,
  enterpriseName: ENTERPRISE.name,
  fromTier: 'DISHONEST',
  round: 1,
  deadlineOn: '2026-05-24',
  timeoutOn: '2026-07-09',
  url: URL,
};

const ROUND_1_COMMENT = '请补充完税证明的银行回单。';
const RESPONSE = '已上传银行回单原件扫描件。';

const state = (overrides: Partial<ApplicationState>): ApplicationState => ({
  id: APP,
  enterpriseId: ENTERPRISE.id,
  status: 'UNDER_REVIEW',
  fromTier: 'DISHONEST',
  targetTier: 'REGULAR',
  parties: ['CUSTOMS', 'TAX'],
  round: 1,
  requiredDocuments: ['REPAIR_APPLICATION', 'COMMITMENT_LETTER', 'TAX_PAID_PROOF'],
  evidence: {},
  reviews: {},
  evidenceDueOn: '2026-06-08',
  reviewOpenedOn: '2026-05-10',
  policyId: POLICY.id,
  submittedAt: '2026-05-09T02:00:00.000Z',
  updatedAt: '2026-05-20T02:00:00.000Z',
  ...overrides,
});

const ended = (
  status: ApplicationState['status'] & ('APPROVED' | 'REJECTED' | 'WITHDRAWN' | 'EXPIRED'),
  reason: OutcomeReason,
  extra: Partial<ApplicationState> = {},
): ApplicationState =>
  state({ status, outcome: { status, reason, at: '2026-05-20T03:00:00.000Z' }, ...extra });

interface Kind {
  readonly name: string;
  readonly email: ComposedEmail;
  /** Whether the email asks its reader to decide, so carries the review link. */
  readonly decides: boolean;
  /** English labels the English half must hold. */
  readonly english: readonly string[];
  /** Chinese labels the Chinese half must hold. */
  readonly chinese: readonly string[];
}

const round2 = {
  ...ask,
  round: 2,
  earlierRounds: [
    {
      round: 1,
      reviews: [
        { party: 'CUSTOMS', status: 'APPROVED' },
        { party: 'TAX', status: 'CHANGES_REQUESTED', comment: ROUND_1_COMMENT },
      ],
    },
  ],
  responses: [{ round: 2, response: RESPONSE, at: '2026-05-15T02:00:00.000Z' }],
} as const;

const KINDS: readonly Kind[] = [
  {
    name: 'review request, round 1',
    email: reviewRequestEmail(ask),
    decides: true,
    english: [PARTY_NAMES.TAX.en, tierName('DISHONEST').en],
    chinese: [PARTY_NAMES.TAX.zh, tierName('DISHONEST').zh],
  },
  {
    name: 'review request, round 2',
    email: reviewRequestEmail(round2),
    decides: true,
    english: [PARTY_NAMES.TAX.en, REVIEW_STATUS_NAMES.CHANGES_REQUESTED.en, ROUND_1_COMMENT, RESPONSE],
    chinese: [PARTY_NAMES.TAX.zh, REVIEW_STATUS_NAMES.CHANGES_REQUESTED.zh, ROUND_1_COMMENT, RESPONSE],
  },
  {
    name: 'review reminder',
    email: reviewReminderEmail(ask),
    decides: true,
    english: [PARTY_NAMES.TAX.en, REVIEW_ROLE_NAMES.REVIEWER.en],
    chinese: [PARTY_NAMES.TAX.zh, REVIEW_ROLE_NAMES.REVIEWER.zh],
  },
  {
    name: 'review escalation',
    email: reviewEscalationEmail({
      ...ask,
      reviewerName: 'tax.lead@agency.test',
      assignedReviewer: REVIEWER,
    }),
    decides: true,
    english: [PARTY_NAMES.TAX.en, REVIEW_ROLE_NAMES.ESCALATION.en, REVIEWER],
    chinese: [PARTY_NAMES.TAX.zh, REVIEW_ROLE_NAMES.ESCALATION.zh],
  },
  {
    name: 'changes requested',
    email: changesRequestedEmail({
      enterpriseName: ENTERPRISE.name,
      applicationId: APP,
      round: 2,
      evidenceDueOn: '2026-06-20',
      notes: [{ party: 'TAX', comment: ROUND_1_COMMENT }],
    }),
    decides: false,
    english: [PARTY_NAMES.TAX.en],
    chinese: [PARTY_NAMES.TAX.zh],
  },
  ...(
    [
      ['APPROVED', 'ALL_APPROVED', ['2026-05-20', '2027-05-20', tierName('REGULAR').en]],
      ['REJECTED', 'PARTY_REJECTED', ['may apply again']],
      ['REJECTED', 'ROUND_LIMIT_REACHED', ['may apply again']],
      ['REJECTED', 'NOT_ELIGIBLE', [REFUSAL_NAMES.OUTSTANDING_OBLIGATIONS.en]],
      ['REJECTED', 'NEW_CAUSE_DETERMINED', ['may apply again']],
      ['EXPIRED', 'EVIDENCE_TIMEOUT', ['may apply for credit repair again']],
      ['EXPIRED', 'REVIEW_TIMEOUT', ['may apply for credit repair again']],
      ['EXPIRED', 'WORKFLOW_FAILED', ['may apply for credit repair again']],
      ['EXPIRED', 'LISTING_ENDED', ['no repair application is needed']],
      ['WITHDRAWN', 'WITHDRAWN_BY_APPLICANT', ['may apply again']],
    ] as const
  ).map(([status, reason, next]): Kind => ({
    name: `outcome to the applicant, ${status} (${reason})`,
    email: outcomeEmail({
      audience: 'APPLICANT',
      enterpriseName: ENTERPRISE.name,
      state: ended(status, reason, {
        reviews: { TAX: { status: 'REJECTED', openedAt: '', comment: '材料不实。' } },
        ...(reason === 'NOT_ELIGIBLE'
          ? { outcome: { status, reason, at: '', refusals: ['OUTSTANDING_OBLIGATIONS'] } }
          : {}),
      }),
    }),
    decides: false,
    english: [
      APPLICATION_STATUS_NAMES[status].en,
      OUTCOME_REASON_NAMES[reason].en,
      PARTY_NAMES.CUSTOMS.en,
      ...next,
    ],
    chinese: [APPLICATION_STATUS_NAMES[status].zh, OUTCOME_REASON_NAMES[reason].zh, PARTY_NAMES.CUSTOMS.zh],
  })),
  ...(['APPROVED', 'REJECTED'] as const).map((status): Kind => ({
    name: `outcome to the parties, ${status}`,
    email: outcomeEmail({
      audience: 'PARTIES',
      enterpriseName: ENTERPRISE.name,
      state: ended(status, status === 'APPROVED' ? 'ALL_APPROVED' : 'PARTY_REJECTED'),
    }),
    decides: false,
    english: [APPLICATION_STATUS_NAMES[status].en, PARTY_NAMES.CUSTOMS.en],
    chinese: [APPLICATION_STATUS_NAMES[status].zh, PARTY_NAMES.CUSTOMS.zh],
  })),
  {
    name: 'arrears determined',
    email: composeBilingual(
      arrearsDeterminedEmail(ENTERPRISE, {
        code: 'TAX_ARREARS',
        determinedOn: '2026-06-29',
        tier: 'DISHONEST',
      }),
    ),
    decides: false,
    english: [CAUSE_NAMES.TAX_ARREARS.en, tierName('DISHONEST').en],
    chinese: [CAUSE_NAMES.TAX_ARREARS.zh, tierName('DISHONEST').zh],
  },
  {
    name: 'eligibility notice',
    email: composeBilingual(eligibilityNoticeEmail(ENTERPRISE, '2026-06-29')),
    decides: false,
    english: ['apply for credit repair'],
    chinese: ['信用修复申请'],
  },
  {
    name: 'listing ended, tier restored',
    email: composeBilingual(
      listingChangedEmail(ENTERPRISE, {
        on: '2026-06-29',
        from: 'DISHONEST',
        to: 'REGULAR',
        listingUntil: null,
      }),
    ),
    decides: false,
    english: [tierName('DISHONEST').en, tierName('REGULAR').en],
    chinese: [tierName('DISHONEST').zh, tierName('REGULAR').zh],
  },
  {
    name: 'listing changed',
    email: composeBilingual(
      listingChangedEmail(ENTERPRISE, {
        on: '2026-06-29',
        from: 'SERIOUSLY_DISHONEST',
        to: 'DISHONEST',
        listingUntil: '2027-03-01',
      }),
    ),
    decides: false,
    english: [tierName('SERIOUSLY_DISHONEST').en, tierName('DISHONEST').en],
    chinese: [tierName('SERIOUSLY_DISHONEST').zh, tierName('DISHONEST').zh],
  },
  {
    name: 'certification re-review notice',
    email: composeBilingual(certificationNoticeEmail(ENTERPRISE, '2026-07-29')),
    decides: false,
    english: ['re-reviewed'],
    chinese: ['重新审核'],
  },
  {
    name: 'certification re-review overdue',
    email: composeBilingual(certificationOverdueEmail(ENTERPRISE, '2026-07-29')),
    decides: false,
    english: ['overdue'],
    chinese: ['逾期'],
  },
  {
    name: 'reviewer replaced',
    email: reviewerReplacedEmail({
      party: 'TAX',
      previous: { name: 'Sun Hui', email: 'zhao@agency.test' },
      next: { name: 'Qian Li', email: 'qian@agency.test' },
      proposedBy: 'officer-a',
      confirmedBy: 'officer-b',
      at: '2026-05-20T02:00:00.000Z',
    }),
    decides: false,
    english: [PARTY_NAMES.TAX.en],
    chinese: [PARTY_NAMES.TAX.zh],
  },
];

/** Every English name the labels define: none of them belongs in Chinese text. */
const ENGLISH_LABELS: readonly string[] = [
  ...Object.values(PARTY_NAMES),
  ...Object.values(APPLICATION_STATUS_NAMES),
  ...Object.values(REVIEW_STATUS_NAMES),
  ...Object.values(DECISION_NAMES),
  ...Object.values(DOCUMENT_NAMES),
  ...Object.values(CAUSE_NAMES),
  ...TIERS.map(tierName),
].map((label) => label.en);

/** The values fed into the emails that are Latin by nature (ids, addresses, people's Latin names). */
const DATA = [
  URL,
  APP,
  ENTERPRISE.id,
  'zhao@agency.test',
  'qian@agency.test',
  'officer-a',
  'officer-b',
  'Qian Li',
];
const withoutData = (text: string): string =>
  DATA.reduce((rest, value) => rest.split(value).join(' '), text).replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, ' ');

/** The Chinese and the English half of the text part and of the HTML part. */
function halves(email: ComposedEmail): { zh: string[]; en: string[] } {
  const [zhText, enText, ...rest] = email.text.split('\n----\n');
  const zhHtml = /<div lang="zh-CN">([\s\S]*?)<\/div>/.exec(email.html)?.[1];
  const enHtml = /<div lang="en">([\s\S]*?)<\/div>/.exec(email.html)?.[1];
  expect(rest).toHaveLength(0);
  if (!zhText || !enText || !zhHtml || !enHtml) throw new Error('an email half is missing');
  const subject = email.subject.split(' / ');
  return { zh: [zhText, zhHtml, subject[0] ?? ''], en: [enText, enHtml, subject[1] ?? ''] };
}

const count = (text: string, part: string): number => text.split(part).length - 1;

describe.each(KINDS)('the $name email', ({ email, decides, english, chinese }) => {
  const { zh, en } = halves(email);

  it('has no Latin code, English label or Latin reviewer name in its Chinese half', () => {
    for (const part of zh) {
      const templateText = withoutData(part.replace(/<[^>]+>/g, ' '));
      expect(templateText).not.toMatch(/[A-Z_]{3,}/);
      for (const label of [...ENGLISH_LABELS, REVIEWER]) expect(templateText).not.toContain(label);
      expect(templateText).not.toMatch(/\bdemo\b/i);
    }
    for (const label of chinese) expect(zh[0]).toContain(label);
  });

  it('names things by their English labels in its English half', () => {
    for (const label of english) expect(en[0]).toContain(label);
  });

  it(decides ? 'carries the review link in both halves' : 'carries no link', () => {
    expect(extractLinks(email.text)).toEqual(decides ? [URL] : []);
    expect(count(email.text, URL)).toBe(decides ? 2 : 0);
    expect(count(email.html, `href="${URL}"`)).toBe(decides ? 2 : 0);
  });

  it('ends with the one footer, once per language, and no demo suffix in the subject', () => {
    for (const part of [email.text, email.html]) {
      expect(count(part, EMAIL_FOOTER.zh)).toBe(1);
      expect(count(part, EMAIL_FOOTER.en)).toBe(1);
    }
    expect(email.subject).not.toMatch(/demo/i);
  });
});

describe('the round-2 request', () => {
  it('differs from round 1 by what was asked and answered, not by repeating it', () => {
    const first = reviewRequestEmail(ask);
    const second = reviewRequestEmail(round2);
    expect(second.subject).not.toBe(first.subject.replace('1', '2'));
    expect(first.text).not.toContain(ROUND_1_COMMENT);
    expect(second.text).toContain(
      `${PARTY_NAMES.TAX.zh}（${REVIEW_STATUS_NAMES.CHANGES_REQUESTED.zh}）：${ROUND_1_COMMENT}`,
    );
    expect(second.text).toContain(`申请人的答复：${RESPONSE}`);
    expect(second.text).toContain(`The applicant's response: ${RESPONSE}`);
  });
});
