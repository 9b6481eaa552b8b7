import { html, type HtmlResult } from '../../http/response.ts';
import { renderConfirmationPage, type FormEcho, type FormError } from '../../pages/review/confirmation.ts';
import { renderAlreadyUsedPage, renderGonePage, renderNotFoundPage } from '../../pages/review/results.ts';
import type { LinkPage } from '../../usecases/reviews/page.ts';
import { showReviewRoute } from '../routes/show-review.ts';

/**
 * The review link routes (DESIGN.md principle 6). Every answer is an HTML page for a person in a
 * browser, so link and form problems are pages too (404, 409, 410, 403, 400/422), never JSON.
 * GET reads and renders; only the POST of the form, with the link's nonce, decides.
 *
 * The link id is a secret: it is never logged, never put in a page, and only its hash is read.
 *
 * What both review-link handlers answer with.
 */

export const notFound = (): HtmlResult => html(404, renderNotFoundPage());

/** The link id from the path, or undefined when it cannot be one (answered like an unknown id). */
export function linkIdOf(params: Readonly<Record<string, string | undefined>>): string | undefined {
  const parsed = showReviewRoute.request.params.safeParse(params);
  return parsed.success ? parsed.data.linkId : undefined;
}

/** The page a link shows when it is opened, or opened again after a form error. */
export function pageFor(page: LinkPage, form?: { echo: FormEcho; error: FormError }): HtmlResult {
  switch (page.kind) {
    case 'OPEN':
      return form === undefined
        ? html(200, renderConfirmationPage(page.page))
        : html(422, renderConfirmationPage(page.page, form));
    case 'DECIDED':
      return html(409, renderAlreadyUsedPage(page.decision));
    case 'GONE':
      return html(410, renderGonePage(page.reason));
  }
}
