import type { Decision, Party } from '../../../domain/vocabulary.ts';
import { DECISION_NAMES, PARTY_NAMES, type Bilingual } from '../../../domain/labels.ts';
import { bilingual, el, formatInstant, join, page, paragraph, type Markup } from './layout.ts';

/**
 * The pages a review link answers besides the confirmation form: the decision recorded, the
 * decision recorded earlier (a second use), the link no longer deciding anything, no such link,
 * and a form that cannot be accepted. Each says what happened and what, if anything, to do next;
 * none carries the link id or the nonce.
 */

export interface RecordedDecision {
  readonly party: Party;
  readonly decision: Decision;
  readonly decidedAt: string;
  readonly comment?: string;
  readonly applicationId: string;
}

/** Why a link decides nothing any more. */
export const GONE_REASONS = ['EXPIRED', 'SUPERSEDED', 'WITHDRAWN', 'CLOSED'] as const;
export type GoneReason = (typeof GONE_REASONS)[number];

const TEXTS = {
  recordedTitle: { zh: '审核决定已提交', en: 'Decision recorded' },
  recorded: {
    zh: '感谢您的审核。您的决定已记录，申请人及其他审核部门将收到通知。',
    en: 'Thank you. Your decision has been recorded; the applicant and the other parties will be informed.',
  },
  usedTitle: { zh: '该链接已使用', en: 'This link has already been used' },
  used: {
    zh: '该审核链接已被使用，以下为已记录的决定。决定提交后不可更改；如有疑问，请联系海关。',
    en: 'This review link was used before; the decision below is on record. A decision cannot be changed; contact customs if it is wrong.',
  },
  goneTitle: { zh: '该链接已失效', en: 'This link no longer works' },
  notFoundTitle: { zh: '链接无效', en: 'Link not found' },
  notFound: {
    zh: '未找到该审核链接。请检查链接是否完整复制；如问题仍存在，请联系海关。',
    en: 'No review link matches this address. Check that it was copied completely, or contact customs.',
  },
  staleTitle: { zh: '表单已过期', en: 'This form is out of date' },
  stale: {
    zh: '提交的表单与该链接不符，未记录任何决定。请重新打开邮件中的链接后再提交。',
    en: 'The submitted form does not belong to this link; nothing was recorded. Open the link from your email again and resubmit.',
  },
  invalidTitle: { zh: '表单无效', en: 'The form is not valid' },
  invalid: {
    zh: '提交的内容不完整或无效，未记录任何决定。请返回审核页面重新填写。',
    en: 'The form was incomplete or not valid; nothing was recorded. Go back to the review page and fill it in again.',
  },
  decision: { zh: '决定', en: 'Decision' },
  party: { zh: '审核部门', en: 'Party' },
  decidedAt: { zh: '决定时间', en: 'Decided' },
  comment: { zh: '意见', en: 'Comment' },
  applicationId: { zh: '申请编号', en: 'Application id' },
  backToForm: { zh: '返回审核页面', en: 'Back to the review page' },
} satisfies Record<string, Bilingual>;

const GONE_TEXTS: Readonly<Record<GoneReason, Bilingual>> = {
  EXPIRED: {
    zh: '该审核链接已过期，无法再提交决定。如需审核，请联系海关。',
    en: 'This review link has expired and can no longer record a decision. Contact customs if a review is still needed.',
  },
  SUPERSEDED: {
    zh: '本轮审核已结束或已由新一轮审核取代，该链接不再有效，无需操作。',
    en: 'This review round has ended or was replaced by a newer one; the link no longer decides anything. Nothing is needed from you.',
  },
  WITHDRAWN: {
    zh: '申请人已撤回该申请，无需审核。',
    en: 'The applicant withdrew this application; no review is needed.',
  },
  CLOSED: {
    zh: '该申请已办结，无需再作决定。',
    en: 'This application has been decided; no further decision is needed.',
  },
};

function recordedDetails(recorded: RecordedDecision): Markup {
  const row = (label: Bilingual, value: Markup | string): Markup =>
    join([el('dt', {}, bilingual(label)), el('dd', {}, value)]);
  return el(
    'dl',
    {},
    row(TEXTS.applicationId, recorded.applicationId),
    row(TEXTS.party, bilingual(PARTY_NAMES[recorded.party])),
    row(TEXTS.decision, bilingual(DECISION_NAMES[recorded.decision])),
    row(TEXTS.decidedAt, formatInstant(recorded.decidedAt)),
    ...(recorded.comment === undefined || recorded.comment === ''
      ? []
      : [row(TEXTS.comment, el('div', { class: 'statement' }, recorded.comment))]),
  );
}

/** A decision on record, under a notice of how this request relates to it. */
const decisionPage = (title: Bilingual, notice: Bilingual, tone: 'ok' | 'info', recorded: RecordedDecision) =>
  page({
    title,
    body: join([
      el('div', { class: `notice ${tone}`, role: 'status' }, paragraph(notice)),
      recordedDetails(recorded),
    ]),
  });

/** 200: this request recorded the decision. */
export const renderDecisionRecordedPage = (recorded: RecordedDecision): string =>
  decisionPage(TEXTS.recordedTitle, TEXTS.recorded, 'ok', recorded);

/** 409: an earlier request recorded a decision with this link; shows that decision. */
export const renderAlreadyUsedPage = (recorded: RecordedDecision): string =>
  decisionPage(TEXTS.usedTitle, TEXTS.used, 'info', recorded);

/** 410: the link exists but decides nothing any more. */
export const renderGonePage = (reason: GoneReason): string =>
  page({
    title: TEXTS.goneTitle,
    // The reviewer came to decide and cannot: announced like an error, toned as information.
    body: el('div', { class: 'notice info', role: 'alert' }, paragraph(GONE_TEXTS[reason])),
  });

/** 404: no link has this id (or the id cannot be one). */
export const renderNotFoundPage = (): string =>
  page({
    title: TEXTS.notFoundTitle,
    body: el('div', { class: 'notice error', role: 'alert' }, paragraph(TEXTS.notFound)),
  });

/** 403: the form's nonce is not this link's; the reviewer reloads the page from the email. */
export const renderStaleFormPage = (): string =>
  page({
    title: TEXTS.staleTitle,
    body: join([
      el('div', { class: 'notice error', role: 'alert' }, paragraph(TEXTS.stale)),
      el('p', {}, el('a', { href: '' }, bilingual(TEXTS.backToForm))),
    ]),
  });

/** 400: the form could not be read (a field missing or malformed); nothing was recorded. */
export const renderInvalidFormPage = (problems: readonly string[] = []): string =>
  page({
    title: TEXTS.invalidTitle,
    body: join([
      el('div', { class: 'notice error', role: 'alert' }, paragraph(TEXTS.invalid)),
      ...(problems.length === 0 ? [] : [el('ul', { lang: 'en' }, ...problems.map((p) => el('li', {}, p)))]),
      el('p', {}, el('a', { href: '' }, bilingual(TEXTS.backToForm))),
    ]),
  });
