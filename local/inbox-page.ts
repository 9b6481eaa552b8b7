/**
 * The dev inbox: the outbox as web pages a person reads and clicks through. The list shows each
 * message's text with its links made clickable; a message's own page also shows its HTML part.
 * Everything that comes from a message is escaped, except that HTML part, which is our handlers'
 * own markup and is shown under a CSP that runs no script.
 */
import { escapeHtml } from '../functions/pages/html-escape.ts';
import type { OutboxEntry } from '../functions/adapters/outbox/mailer.ts';

export const INBOX_PATH = '/_local/inbox';

/** The CSP of inbox pages: no script, styles inline, links and forms may go to this origin. */
export const INBOX_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** A message's HTML part alone (the console's inbox frames it). */
export const OUTBOX_HTML_PATH = '/_local/outbox/{id}/html';

/**
 * The CSP of a framed message: the mail's inline styles render, nothing runs (the `sandbox`
 * directive also gives the document an opaque origin, whatever frame shows it), only the console
 * (same origin) may frame it, and links may open a new tab outside the sandbox.
 */
export const MESSAGE_FRAME_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox";

/** The mail's HTML with its links opening in a new tab (a click must not navigate the frame). */
export function messageHtmlForFrame(markup: string): string {
  const base = '<base target="_blank">';
  return /<head[^>]*>/i.test(markup) ? markup.replace(/<head[^>]*>/i, (head) => head + base) : base + markup;
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"']+/g;

/** Escaped text with every http(s) URL as a link; trailing punctuation stays outside the link. */
export function linkifyText(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const start = match.index;
    let url = match[0];
    const trailing = /[.,;:!?)\]]+$/.exec(url)?.[0] ?? '';
    url = url.slice(0, url.length - trailing.length);
    out += escapeHtml(text.slice(last, start));
    out += `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
    last = start + url.length;
  }
  return out + escapeHtml(text.slice(last));
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
article{border:1px solid #ccc;border-radius:6px;padding:1rem;margin:1rem 0}
pre{white-space:pre-wrap;word-break:break-word;background:#f7f7f7;padding:.75rem;border-radius:4px}
.meta{color:#555;font-size:.9rem}h2{font-size:1.1rem;margin:.2rem 0}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>${body}</body></html>`;
}

function meta(entry: OutboxEntry): string {
  return `<p class="meta">To ${escapeHtml(entry.to.join(', '))} · sent ${escapeHtml(entry.sentAt)} (simulated time)</p>`;
}

const messagePath = (id: string): string => `${INBOX_PATH}/${encodeURIComponent(id)}`;

/** The list, newest first. */
export function renderInbox(entries: readonly OutboxEntry[]): string {
  const newestFirst = [...entries].reverse();
  const items = newestFirst.map(
    (entry) => `<article>
<h2><a href="${escapeHtml(messagePath(entry.id))}">${escapeHtml(entry.subject)}</a></h2>
${meta(entry)}
<pre>${linkifyText(entry.text)}</pre>
</article>`,
  );
  const body =
    items.length === 0 ? '<p>No messages yet. Mail the system sends appears here.</p>' : items.join('\n');
  return page(
    'Dev inbox',
    `<h1>Dev inbox</h1><p class="meta">${entries.length} message(s), newest first. JSON: <a href="/_local/outbox">/_local/outbox</a></p>\n${body}`,
  );
}

/** One message: its text with links, then its HTML part as the recipient's mail client shows it. */
export function renderMessage(entry: OutboxEntry): string {
  return page(
    entry.subject,
    `<p><a href="${INBOX_PATH}">← Inbox</a></p>
<h1>${escapeHtml(entry.subject)}</h1>
${meta(entry)}
<h2>Text</h2>
<pre>${linkifyText(entry.text)}</pre>
<h2>HTML</h2>
<article>${entry.html}</article>`,
  );
}

export function renderMissingMessage(): string {
  return page('No such message', `<p>No such message. <a href="${INBOX_PATH}">Back to the inbox</a></p>`);
}
