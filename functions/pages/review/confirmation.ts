import type { Tier } from '../../../domain/tiers.ts';
import {
  DECISIONS,
  REVIEW_COMMENT_MAX_LENGTH,
  commentRequired,
  type Decision,
  type DocumentType,
  type Party,
  type ReviewStatus,
} from '../../../domain/vocabulary.ts';
import {
  DECISION_NAMES,
  DOCUMENT_NAMES,
  PARTY_NAMES,
  REVIEW_STATUS_NAMES,
  tierName,
  type Bilingual,
} from '../../../domain/labels.ts';
import { caseSection, type ReviewCase } from './case-section.ts';
import { bilingual, el, formatInstant, join, page, paragraph, text, type Markup } from './layout.ts';

/**
 * The review confirmation page (GET /review/{linkId}): what the reviewer decides on, and a plain
 * form that posts the decision with the link's one-time nonce. Opening it decides nothing, so a
 * mail scanner that fetches (or renders) the link leaves no trace; only a human's submit does.
 *
 * The form has no `action`: it posts back to the URL it was loaded from. Each document opens
 * through a path relative to the page (`<linkId>/documents/<evidenceId>`), which names the link id
 * the address bar already shows; the page is never cached and sends no referrer, and the document
 * route redirects to a presigned URL without it.
 *
 * The lead party (customs) also sees the other parties' decisions of the round as they arrive
 * (RULES.md §6.9); from round 2 every party sees the earlier rounds' comments, the applicant's
 * response and which documents are new (RULES.md §6.10).
 */

export interface ReviewDocument {
  readonly documentType: DocumentType;
  /** Where the document opens, relative to the page (GET /review/{linkId}/documents/{evidenceId}). */
  readonly href: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  /** Uploaded in this round (round 2 on). */
  readonly isNew?: boolean;
}

export interface ShownReview {
  readonly party: Party;
  readonly status: ReviewStatus;
  readonly decidedAt?: string;
  readonly comment?: string;
}

export interface ReviewPageModel {
  readonly party: Party;
  readonly reviewerName: string;
  readonly round: number;
  /** When the link stops working (ISO instant). */
  readonly expiresAt: string;
  readonly application: {
    readonly id: string;
    readonly enterpriseId: string;
    /** Absent when the enterprise record could not be read; the customs code still identifies it. */
    readonly enterpriseName?: string;
    readonly fromTier: Tier;
    readonly targetTier: Tier;
    readonly statement: string;
    readonly submittedAt: string;
  };
  /** The causes, facts and clock of the case; absent when the enterprise record could not be read. */
  readonly case?: ReviewCase;
  readonly documents: readonly ReviewDocument[];
  readonly leadParty?: Party;
  /** Shown to the lead party only: the other parties' decisions of this round so far. */
  readonly othersThisRound?: readonly ShownReview[];
  readonly earlierRounds?: readonly { readonly round: number; readonly reviews: readonly ShownReview[] }[];
  readonly responses?: readonly { readonly round: number; readonly response: string; readonly at: string }[];
  /** The form nonce issued with the link. */
  readonly nonce: string;
}

/** What the reviewer sent last time, shown again when the form comes back with an error. */
export interface FormEcho {
  readonly decision?: Decision;
  readonly comment?: string;
}

export interface FormError {
  readonly message: Bilingual;
}

const LABELS = {
  title: { zh: '信用修复联合审核', en: 'Credit repair: interagency review' },
  intro: (reviewer: string, party: Bilingual): Bilingual => ({
    // The reviewer's name is free text, often Latin: the Chinese greeting names the party instead.
    zh: `您好：请代表${party.zh}审核以下信用修复申请，并在下方作出决定。`,
    en: `Dear ${reviewer}, please review this credit repair application on behalf of ${party.en} and record your decision below.`,
  }),
  summary: { zh: '申请概况', en: 'Application' },
  applicationId: { zh: '申请编号', en: 'Application id' },
  enterprise: { zh: '企业', en: 'Enterprise' },
  enterpriseId: { zh: '海关注册编码', en: 'Customs code' },
  fromTier: { zh: '当前信用等级', en: 'Current tier' },
  targetTier: { zh: '修复后等级', en: 'Tier after repair' },
  round: { zh: '审核轮次', en: 'Review round' },
  submittedAt: { zh: '提交时间', en: 'Submitted' },
  party: { zh: '审核部门', en: 'Reviewing party' },
  expiresAt: { zh: '链接有效期至', en: 'Link valid until' },
  statement: { zh: '申请说明', en: 'Statement' },
  documents: { zh: '证明材料', en: 'Documents' },
  noDocuments: { zh: '（无）', en: '(none)' },
  documentType: { zh: '材料类型', en: 'Type' },
  fileName: { zh: '文件名', en: 'File' },
  size: { zh: '大小', en: 'Size' },
  openHint: {
    zh: '文件为申请人提交时经核验的版本，在新窗口中打开。',
    en: 'Each file is the version verified when the applicant submitted; it opens in a new window.',
  },
  decision: { zh: '审核决定', en: 'Decision' },
  comment: { zh: '意见（驳回或要求补正时必填）', en: 'Comment (required to reject or request changes)' },
  submit: { zh: '提交决定', en: 'Submit decision' },
  isNew: { zh: '本轮新提交', en: 'new in this round' },
  others: { zh: '本轮其他审核方的决定', en: "The other parties' decisions in this round" },
  othersNone: { zh: '其他审核方尚未作出决定。', en: 'No other party has decided yet.' },
  lead: (lead: Bilingual): Bilingual => ({
    zh: `您是本次联合审核的牵头单位（${lead.zh}）：其他审核方的决定到达后即在此显示，结果通知以牵头单位名义发出。`,
    en: `You review for the lead party (${lead.en}): the other parties' decisions appear here as they arrive, and the outcome is issued in the lead's name.`,
  }),
  history: { zh: '此前各轮审核意见', en: 'Earlier review rounds' },
  roundHeading: (round: number): Bilingual => ({ zh: `第 ${round} 轮`, en: `Round ${round}` }),
  responses: { zh: '申请人对补正要求的答复', en: "The applicant's response to the change requests" },
  reviewStatus: { zh: '决定', en: 'Decision' },
  reviewDecidedAt: { zh: '决定时间', en: 'Decided' },
  reviewComment: { zh: '意见', en: 'Comment' },
  oneTime: {
    zh: '本链接仅能使用一次，提交后不可更改。请勿转发本邮件或链接。',
    en: 'This link works once; a submitted decision cannot be changed. Do not forward it.',
  },
} satisfies Record<string, Bilingual | ((...args: never[]) => Bilingual)>;

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MB`;
}

const row = (label: Bilingual, value: Markup | string): Markup =>
  join([el('dt', {}, bilingual(label)), el('dd', {}, value)]);

function summary(model: ReviewPageModel): Markup {
  const app = model.application;
  return join([
    el('h2', {}, bilingual(LABELS.summary)),
    el(
      'dl',
      {},
      ...(app.enterpriseName === undefined ? [] : [row(LABELS.enterprise, app.enterpriseName)]),
      row(LABELS.enterpriseId, app.enterpriseId),
      row(LABELS.applicationId, app.id),
      row(LABELS.fromTier, join([bilingual(tierName(app.fromTier)), text(` (${app.fromTier})`)])),
      row(LABELS.targetTier, join([bilingual(tierName(app.targetTier)), text(` (${app.targetTier})`)])),
      row(LABELS.round, String(model.round)),
      row(LABELS.submittedAt, formatInstant(app.submittedAt)),
      row(LABELS.party, bilingual(PARTY_NAMES[model.party])),
      row(LABELS.expiresAt, formatInstant(model.expiresAt)),
    ),
    el('h2', {}, bilingual(LABELS.statement)),
    el('div', { class: 'statement' }, app.statement),
  ]);
}

function documents(model: ReviewPageModel): Markup {
  const heading = el('h2', {}, bilingual(LABELS.documents));
  if (model.documents.length === 0) return join([heading, el('p', {}, bilingual(LABELS.noDocuments))]);
  const head = el(
    'tr',
    {},
    el('th', { scope: 'col' }, bilingual(LABELS.documentType)),
    el('th', { scope: 'col' }, bilingual(LABELS.fileName)),
    el('th', { scope: 'col' }, bilingual(LABELS.size)),
  );
  const rows = model.documents.map((doc) =>
    el(
      'tr',
      {},
      el(
        'td',
        {},
        bilingual(DOCUMENT_NAMES[doc.documentType]),
        doc.isNew === true ? el('div', { class: 'new' }, bilingual(LABELS.isNew)) : text(''),
      ),
      el(
        'td',
        {},
        el('a', { href: doc.href, target: '_blank', rel: 'noopener noreferrer' }, doc.fileName),
        el('div', { class: 'muted' }, doc.contentType),
      ),
      el('td', {}, formatBytes(doc.size)),
    ),
  );
  return join([
    heading,
    el('p', { class: 'muted' }, bilingual(LABELS.openHint)),
    el('table', {}, el('thead', {}, head), el('tbody', {}, ...rows)),
  ]);
}

/** The review statuses as decisions read (a change request, an approval, …). */
const STATUS_NAMES: Readonly<Partial<Record<ReviewStatus, Bilingual>>> = {
  APPROVED: DECISION_NAMES.APPROVE,
  REJECTED: DECISION_NAMES.REJECT,
  CHANGES_REQUESTED: DECISION_NAMES.REQUEST_CHANGES,
};

function reviewsTable(reviews: readonly ShownReview[]): Markup {
  const head = el(
    'tr',
    {},
    el('th', { scope: 'col' }, bilingual(LABELS.party)),
    el('th', { scope: 'col' }, bilingual(LABELS.reviewStatus)),
    el('th', { scope: 'col' }, bilingual(LABELS.reviewDecidedAt)),
    el('th', { scope: 'col' }, bilingual(LABELS.reviewComment)),
  );
  const rows = reviews.map((review) => {
    const status = STATUS_NAMES[review.status];
    return el(
      'tr',
      {},
      el('td', {}, bilingual(PARTY_NAMES[review.party])),
      el('td', {}, bilingual(status ?? REVIEW_STATUS_NAMES[review.status])),
      el('td', {}, review.decidedAt === undefined ? '—' : formatInstant(review.decidedAt)),
      el('td', { class: 'comment' }, review.comment ?? ''),
    );
  });
  return el('table', {}, el('thead', {}, head), el('tbody', {}, ...rows));
}

function leadView(model: ReviewPageModel): Markup {
  if (model.leadParty === undefined || model.leadParty !== model.party) return text('');
  const others = model.othersThisRound ?? [];
  return join([
    el('h2', {}, bilingual(LABELS.others)),
    paragraph(LABELS.lead(PARTY_NAMES[model.leadParty])),
    others.length === 0 ? el('p', {}, bilingual(LABELS.othersNone)) : reviewsTable(others),
  ]);
}

function history(model: ReviewPageModel): Markup {
  const rounds = model.earlierRounds ?? [];
  const responses = model.responses ?? [];
  if (rounds.length === 0 && responses.length === 0) return text('');
  return join([
    el('h2', {}, bilingual(LABELS.history)),
    ...rounds.map((round) =>
      join([el('h3', {}, bilingual(LABELS.roundHeading(round.round))), reviewsTable(round.reviews)]),
    ),
    ...(responses.length === 0
      ? []
      : [
          el('h2', {}, bilingual(LABELS.responses)),
          ...responses.map((r) =>
            join([
              el('h3', {}, bilingual(LABELS.roundHeading(r.round))),
              el('div', { class: 'statement' }, r.response),
            ]),
          ),
        ]),
  ]);
}

/** `commentInvalid`: the form came back because the comment was missing (the only form error). */
function decisionForm(model: ReviewPageModel, echo: FormEcho, commentInvalid: boolean): Markup {
  const choices = DECISIONS.map((decision) =>
    el(
      'label',
      { class: 'choice' },
      el('input', {
        type: 'radio',
        name: 'decision',
        value: decision,
        required: true,
        checked: echo.decision === decision,
      }),
      text(' '),
      bilingual(DECISION_NAMES[decision]),
    ),
  );
  return el(
    'form',
    { method: 'post', 'accept-charset': 'utf-8' },
    el('input', { type: 'hidden', name: 'nonce', value: model.nonce }),
    // A radio group is required as a whole: the group says so to assistive technology.
    el(
      'fieldset',
      { role: 'radiogroup', 'aria-required': 'true' },
      el('legend', {}, bilingual(LABELS.decision)),
      ...choices,
    ),
    el(
      'p',
      {},
      el('label', { for: 'comment' }, bilingual(LABELS.comment)),
      el(
        'textarea',
        {
          id: 'comment',
          name: 'comment',
          maxlength: REVIEW_COMMENT_MAX_LENGTH,
          // Required only with a reject or a change request; marked once the chosen decision needs it.
          'aria-required': echo.decision !== undefined && commentRequired(echo.decision) ? 'true' : undefined,
          'aria-invalid': commentInvalid ? 'true' : undefined,
          'aria-describedby': commentInvalid ? 'form-error' : undefined,
        },
        echo.comment ?? '',
      ),
    ),
    el('p', {}, el('button', { type: 'submit' }, bilingual(LABELS.submit))),
    el('p', { class: 'muted' }, bilingual(LABELS.oneTime)),
  );
}

/** The whole confirmation page; with `error`, the same page again above a message and the reviewer's input. */
export function renderConfirmationPage(
  model: ReviewPageModel,
  options: { readonly error?: FormError; readonly echo?: FormEcho } = {},
): string {
  return page({
    title: LABELS.title,
    body: join([
      options.error === undefined
        ? paragraph(LABELS.intro(model.reviewerName, PARTY_NAMES[model.party]))
        : join([
            el(
              'div',
              { id: 'form-error', class: 'notice error', role: 'alert' },
              paragraph(options.error.message),
            ),
            paragraph(LABELS.intro(model.reviewerName, PARTY_NAMES[model.party])),
          ]),
      summary(model),
      caseSection(model.case),
      history(model),
      documents(model),
      leadView(model),
      el('h2', {}, bilingual(LABELS.decision)),
      decisionForm(model, options.echo ?? {}, options.error !== undefined),
    ]),
  });
}
