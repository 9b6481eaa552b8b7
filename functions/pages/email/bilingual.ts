import type { Bilingual } from '../../../domain/labels.ts';
import { escapeHtml } from '../html-escape.ts';

/**
 * Bilingual (中文 / English) email composition. Every message carries both languages in both parts:
 * Chinese first (the authority's language), then English. All dynamic text is HTML-escaped in the
 * HTML part; links appear as plain URLs in the text part, so a reader (the dev inbox) finds them in either.
 */

export type { Bilingual };

export interface BilingualAction {
  readonly label: Bilingual;
  readonly url: string;
}

export interface BilingualEmail {
  readonly subject: Bilingual;
  /** Paragraphs shown in both languages, in order. */
  readonly paragraphs: readonly Bilingual[];
  /** Buttons in HTML, labelled lines in text. */
  readonly actions?: readonly BilingualAction[];
}

/** The one closing line of every message the system sends, whatever sends it. */
export const EMAIL_FOOTER: Bilingual = {
  zh: '本邮件由海关信用修复系统自动发送，请勿直接回复。',
  en: 'This message was sent automatically by the customs credit-repair system; please do not reply to it.',
};

export interface ComposedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Only http(s) URLs become links; anything else (javascript:, data:) is refused, not escaped into place. */
function safeUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new Error('only http(s) links are allowed');
  return parsed.toString();
}

export function bilingualSubject(subject: Bilingual): string {
  return `${subject.zh} / ${subject.en}`.replace(/[\r\n]+/g, ' ');
}

export function composeBilingual(email: BilingualEmail): ComposedEmail {
  const actions = (email.actions ?? []).map((a) => ({ label: a.label, url: safeUrl(a.url) }));
  const subject = bilingualSubject(email.subject);

  const textBlock = (lang: keyof Bilingual): string[] => [
    ...email.paragraphs.map((p) => p[lang]),
    ...actions.map((a) => `${a.label[lang]}: ${a.url}`),
    EMAIL_FOOTER[lang],
  ];
  const text =
    [...textBlock('zh'), '', '----', '', ...textBlock('en')].join('\n\n').replace(/\n{3,}/g, '\n\n') + '\n';

  const htmlBlock = (lang: keyof Bilingual, langTag: string): string =>
    [
      `<div lang="${langTag}">`,
      ...email.paragraphs.map((p) => `<p>${escapeHtml(p[lang])}</p>`),
      ...actions.map(
        (a) =>
          `<p><a href="${escapeHtml(a.url)}" style="display:inline-block;padding:8px 16px;border:1px solid #1a4d8f;border-radius:4px;color:#1a4d8f;text-decoration:none">${escapeHtml(a.label[lang])}</a></p>`,
      ),
      `<p style="color:#666;font-size:smaller">${escapeHtml(EMAIL_FOOTER[lang])}</p>`,
      '</div>',
    ].join('\n');
  const html = [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><title>' + escapeHtml(subject) + '</title></head>',
    '<body style="font-family:sans-serif;line-height:1.5">',
    htmlBlock('zh', 'zh-CN'),
    '<hr>',
    htmlBlock('en', 'en'),
    '</body></html>',
    '',
  ].join('\n');

  return { subject, text, html };
}
