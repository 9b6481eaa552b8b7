import { useState } from 'preact/hooks';
import { useQuery } from '../api/query.ts';
import { Loading, Page } from '../components/page.tsx';
import { ProblemAlert } from '../components/problem.tsx';
import { formatInstant, useT } from '../i18n.ts';
import { href, navigate } from '../router.ts';
import { OS } from './strings.ts';
import { getOutbox, messageHtmlUrl, OUTBOX_KEY, type OutboxEntry } from './local-api.ts';

/**
 * A Mailpit-style inbox over `GET /_local/outbox`: newest first, a recipient filter and a search,
 * refreshed every 2 seconds; a message shows its text with working links and its HTML part in a
 * sandboxed frame served with its own CSP (no script; links open a new tab).
 */

const REFRESH_MS = 2000;
const URL_IN_TEXT = /https?:\/\/[^\s<>"'`]+/g;

function useOutbox() {
  return useQuery(OUTBOX_KEY, getOutbox, { refetchMs: REFRESH_MS });
}

/** Text with each URL as a link (elements, never HTML strings); trailing punctuation stays text. */
function LinkedText(props: { text: string }) {
  const parts: (string | { url: string })[] = [];
  let last = 0;
  for (const match of props.text.matchAll(URL_IN_TEXT)) {
    const url = match[0].replace(/[.,;:!?)\]}。，；：！？）]+$/u, '');
    parts.push(props.text.slice(last, match.index), { url });
    last = match.index + url.length;
  }
  parts.push(props.text.slice(last));
  return (
    <pre class="mail-text">
      {parts.map((part, index) =>
        typeof part === 'string' ? (
          part
        ) : (
          <a key={index} href={part.url} target="_blank" rel="noopener noreferrer">
            {part.url}
          </a>
        ),
      )}
    </pre>
  );
}

export function InboxPage(props: { query: URLSearchParams }) {
  const { t, lang } = useT();
  const outbox = useOutbox();
  const recipient = props.query.get('to') ?? '';
  const search = props.query.get('q') ?? '';
  const [text, setText] = useState(search);
  const all = [...(outbox.data ?? [])].reverse();
  const recipients = [...new Set(all.flatMap((m) => m.to))].sort();
  const needle = search.trim().toLowerCase();
  const shown = all.filter(
    (m) =>
      (recipient === '' || m.to.includes(recipient)) &&
      (needle === '' || m.subject.toLowerCase().includes(needle) || m.text.toLowerCase().includes(needle)),
  );
  const go = (to: string, q: string) => {
    const params = new URLSearchParams();
    if (to) params.set('to', to);
    if (q) params.set('q', q);
    navigate(params.size > 0 ? `${href.inbox()}?${params.toString()}` : href.inbox());
  };
  return (
    <Page title={t(OS.inbox)}>
      <form
        class="inline-form"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          go(recipient, text);
        }}
      >
        <div class="field">
          <label for="inbox-to">{t(OS.recipient)}</label>
          <select
            id="inbox-to"
            value={recipient}
            onChange={(e) => go((e.target as HTMLSelectElement).value, search)}
          >
            <option value="">{t(OS.allRecipients)}</option>
            {recipients.map((address) => (
              <option key={address} value={address}>
                {address}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="inbox-search">{t(OS.search)}</label>
          <input
            id="inbox-search"
            type="search"
            value={text}
            onInput={(e) => setText((e.target as HTMLInputElement).value)}
          />
        </div>
        <button type="submit">{t(OS.search)}</button>
      </form>
      <p class="muted" aria-live="polite">
        {shown.length} / {all.length} {t(OS.messages)} · {t(OS.liveRefresh)}
      </p>
      {outbox.loading && <Loading />}
      <ProblemAlert error={outbox.error} />
      {shown.length === 0 ? (
        <p class="muted">{t(OS.noMessages)}</p>
      ) : (
        <div class="table-wrap">
          <table class="inbox">
            <thead>
              <tr>
                <th scope="col">{t(OS.subject)}</th>
                <th scope="col">{t(OS.recipient)}</th>
                <th scope="col">{t(OS.sentAt)}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((m) => (
                <tr key={m.id} data-message={m.id}>
                  <td>
                    <a href={href.message(m.id)}>{m.subject}</a>
                  </td>
                  <td>{m.to.join(', ')}</td>
                  <td>{formatInstant(m.sentAt, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

function Message(props: { message: OutboxEntry }) {
  const { t, lang } = useT();
  const [view, setView] = useState<'text' | 'html'>('text');
  const m = props.message;
  return (
    <>
      <dl class="facts-grid">
        <dt>{t(OS.recipient)}</dt>
        <dd>{m.to.join(', ')}</dd>
        <dt>{t(OS.sentAt)}</dt>
        <dd>{formatInstant(m.sentAt, lang)}</dd>
      </dl>
      <div class="button-row" role="group" aria-label={`${t(OS.text)} / ${t(OS.htmlPart)}`}>
        <button
          type="button"
          class="secondary"
          aria-pressed={view === 'text'}
          onClick={() => setView('text')}
        >
          {t(OS.text)}
        </button>
        <button
          type="button"
          class="secondary"
          aria-pressed={view === 'html'}
          onClick={() => setView('html')}
        >
          {t(OS.htmlPart)}
        </button>
      </div>
      {view === 'text' ? (
        <LinkedText text={m.text} />
      ) : (
        <iframe
          class="mail-html"
          title={t(OS.messageFrameTitle)}
          sandbox="allow-popups allow-popups-to-escape-sandbox"
          src={messageHtmlUrl(m.id)}
        />
      )}
    </>
  );
}

export function MessagePage(props: { id: string }) {
  const { t } = useT();
  const outbox = useOutbox();
  const message = outbox.data?.find((m) => m.id === props.id);
  return (
    <Page title={message?.subject ?? t(OS.inbox)}>
      <p>
        <a href={href.inbox()}>← {t(OS.backToInbox)}</a>
      </p>
      {outbox.loading && <Loading />}
      <ProblemAlert error={outbox.error} />
      {message ? <Message message={message} /> : outbox.data && <p>{t(OS.noMessages)}</p>}
    </Page>
  );
}
