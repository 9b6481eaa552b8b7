import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useT } from '../i18n.ts';
import { S } from '../strings.ts';

/** The first screen after a page load leaves the focus at the top (the skip link comes first). */
let firstScreen = true;

/**
 * A screen: when it replaces another, its heading gets the focus (a keyboard or screen-reader user
 * lands on what changed); the document title follows it.
 */
export function Page(props: { title: string; children?: ComponentChildren; actions?: ComponentChildren }) {
  const { t } = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.title} · ${t(S.appName)}`;
  }, [props.title, t(S.appName)]);
  useEffect(() => {
    if (firstScreen) firstScreen = false;
    else heading.current?.focus();
  }, []);
  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1} ref={heading}>
          {props.title}
        </h1>
        {props.actions}
      </div>
      {props.children}
    </>
  );
}

export function Loading() {
  const { t } = useT();
  return (
    <p class="muted" role="status">
      {t(S.loading)}
    </p>
  );
}

/** A short confirmation that a change was made, read out by screen readers. */
export function Notice(props: { children?: ComponentChildren }) {
  return (
    <p class="notice" role="status">
      {props.children}
    </p>
  );
}
