import { problem } from '../../http/route.ts';

/**
 * What several routes' entries say alike. The calls are marked pure so that an entry importing one
 * of these does not carry the others (esbuild keeps a top-level call it cannot prove free of effects).
 */

export const NOT_FOUND = (what: string) => problem('NOT_FOUND', `no ${what} with that id`);

/** Fact changes rewrite the enterprise profile under a version check, retried a few times. */
export const CONCURRENT_UPDATE = /* @__PURE__ */ problem(
  'CONCURRENT_UPDATE',
  'the enterprise kept changing under concurrent requests; retry',
);

/** The evidence routes act only while evidence is awaited, and only before its deadline. */
export const EVIDENCE_STATE_PROBLEMS = [
  /* @__PURE__ */ problem('WRONG_STATUS', 'the application is not awaiting evidence'),
  /* @__PURE__ */ problem(
    'DEADLINE_PASSED',
    'the evidence deadline has passed (the sweep will expire the application)',
  ),
];

/** How a review link answers when it decides nothing (HTML pages: a person reads them). */
export const REVIEW_LINK_PAGES = {
  404: { description: 'no such link', mediaType: 'text/html' },
  409: { description: 'the link was already used: shows the recorded decision', mediaType: 'text/html' },
  410: {
    description:
      'the link expired (review timeout), its round was superseded, or the application was withdrawn or decided',
    mediaType: 'text/html',
  },
} as const;
