import { useT, formatInstant } from '../i18n.ts';
import { S } from '../strings.ts';

export interface TimelineItem {
  /** ISO instant or date. */
  readonly at: string;
  readonly what: string;
  readonly who?: string;
  readonly detail?: string;
}

/** Events oldest first, as an ordered list (the order is the meaning). */
export function Timeline(props: { items: readonly TimelineItem[]; note?: string }) {
  const { t, lang } = useT();
  const items = [...props.items].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return (
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">{t(S.timeline)}</h2>
      {props.note && <p class="muted">{props.note}</p>}
      {items.length === 0 ? (
        <p class="muted">{t(S.none)}</p>
      ) : (
        <ol class="timeline">
          {items.map((item, index) => (
            <li key={index}>
              <time dateTime={item.at}>{item.at.length > 10 ? formatInstant(item.at, lang) : item.at}</time>{' '}
              <strong>{item.what}</strong>
              {item.who && <span class="muted"> · {item.who}</span>}
              {item.detail && <div class="detail">{item.detail}</div>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
