import { RULES_TIME_ZONE } from '../../../domain/dates.ts';
import { escapeHtml } from '../html-escape.ts';
import type { Bilingual } from '../../../domain/labels.ts';

/**
 * The frame every review page shares: one self-contained document (inline style, no script, no
 * external resource), so the strict CSP of HTML_PAGE_HEADERS holds without exceptions and the page
 * works in a mail client's browser with scripts off. Chinese first, English beside it.
 *
 * Everything that reaches markup passes through `text()` or `attr()`; helpers that take markup
 * take it only from other helpers here, never from input.
 */

/** Markup that is already safe to emit: produced by the helpers below, never by concatenating input. */
export interface Markup {
  readonly __html: string;
}

const markup = (html: string): Markup => ({ __html: html });

export const text = (value: string | number): Markup => markup(escapeHtml(String(value)));

export const join = (parts: readonly Markup[], separator = ''): Markup =>
  markup(parts.map((part) => part.__html).join(separator));

const VOID_ELEMENTS = new Set(['input', 'meta', 'br', 'hr', 'img']);

/** `<tag attr="…">children</tag>` with every attribute value escaped (void elements: no end tag). */
export function el(
  tag: string,
  attributes: Readonly<Record<string, string | number | boolean | undefined>>,
  ...children: readonly (Markup | string)[]
): Markup {
  const attrs = Object.entries(attributes)
    .filter(([, value]) => value !== undefined && value !== false)
    .map(([name, value]) => (value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`))
    .join('');
  const inner = children
    .map((child) => (typeof child === 'string' ? escapeHtml(child) : child.__html))
    .join('');
  return markup(VOID_ELEMENTS.has(tag) ? `<${tag}${attrs}>` : `<${tag}${attrs}>${inner}</${tag}>`);
}

/** Both languages of a phrase, each marked with its language for screen readers and fonts. */
export const bilingual = (value: Bilingual, separator = ' / '): Markup =>
  join([el('span', { lang: 'zh-CN' }, value.zh), text(separator), el('span', { lang: 'en' }, value.en)]);

/** An instant as the reviewer's authority reads it: date and time in the policy's time zone. */
export function formatInstant(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: RULES_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} (${RULES_TIME_ZONE})`;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;background:#f4f6f9;color:#1b1f24;line-height:1.5}
main{max-width:46rem;margin:2rem auto;padding:1.5rem 2rem;background:#fff;border:1px solid #d5dbe3;border-radius:6px}
h1{font-size:1.4rem;margin:0 0 1rem}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem;border-bottom:1px solid #e3e7ed;padding-bottom:.25rem}
h3{font-size:1rem;margin:1rem 0 .5rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dt{color:#57606a}
dd{margin:0;overflow-wrap:anywhere}
.statement{white-space:pre-wrap;background:#f6f8fa;border:1px solid #e3e7ed;border-radius:4px;padding:.75rem;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e3e7ed;vertical-align:top;overflow-wrap:anywhere}
fieldset{border:1px solid #d5dbe3;border-radius:4px;margin:0 0 1rem;padding:.5rem 1rem}
label.choice{display:block;padding:.35rem 0}
textarea{width:100%;box-sizing:border-box;min-height:7rem;font:inherit}
[aria-invalid="true"]{border:2px solid #b3261e;outline-color:#b3261e}
button{font:inherit;padding:.5rem 1.5rem;background:#1a4d8f;color:#fff;border:0;border-radius:4px;cursor:pointer}
.notice{padding:.75rem 1rem;border-radius:4px;margin:0 0 1rem}
.notice.error{background:#fdecec;border:1px solid #e5a3a3}
.notice.ok{background:#e8f5ec;border:1px solid #9fd1ae}
.notice.info{background:#eef3fb;border:1px solid #a9c0e3}
.muted{color:#57606a;font-size:.9rem}
.comment{white-space:pre-wrap}
.num{font-variant-numeric:tabular-nums;white-space:nowrap}
section.cause{border:1px solid #e3e7ed;border-radius:4px;padding:.25rem 1rem .75rem;margin:.75rem 0}
section.cause h3{margin:.5rem 0}
.new{display:inline-block;margin-top:.25rem;padding:0 .4rem;background:#fff4d6;border:1px solid #e0c46c;border-radius:3px;font-size:.85rem}
`;

export interface PageFrame {
  readonly title: Bilingual;
  readonly body: Markup;
}

/** A whole HTML document. */
export function page(frame: PageFrame): string {
  const title = `${frame.title.zh} / ${frame.title.en}`;
  return (
    '<!DOCTYPE html>' +
    el(
      'html',
      { lang: 'zh-CN' },
      markup(
        '<head><meta charset="utf-8">' +
          '<meta name="viewport" content="width=device-width, initial-scale=1">' +
          '<meta name="referrer" content="no-referrer">' +
          '<meta name="robots" content="noindex, nofollow">' +
          `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>`,
      ),
      el('body', {}, el('main', {}, el('h1', {}, bilingual(frame.title)), frame.body)),
    ).__html
  );
}

/** A paragraph in both languages, Chinese first. */
export const paragraph = (value: Bilingual, className?: string): Markup =>
  el('div', { class: className }, el('p', { lang: 'zh-CN' }, value.zh), el('p', { lang: 'en' }, value.en));
