import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { clock } from '../composition/clock.ts';
import { linkSecret } from '../composition/link-secret.ts';
import { store } from '../composition/store.ts';
import { workflow } from '../composition/workflow.ts';
import { routeHandler } from '../http/handler.ts';
import { ROUTE } from './routes.ts';
import { ProblemError } from '../http/problem.ts';
import { html, type HtmlResult } from '../http/response.ts';
import { setApplicationCorrelation } from '../observability/logger.ts';
import { renderConfirmationPage, type FormEcho, type FormError } from '../pages/review/confirmation.ts';
import {
  renderAlreadyUsedPage,
  renderDecisionRecordedPage,
  renderGonePage,
  renderInvalidFormPage,
  renderNotFoundPage,
  renderStaleFormPage,
} from '../pages/review/results.ts';
import { decideReview as decide } from '../usecases/reviews/decide.ts';
import { reviewPage, type LinkPage } from '../usecases/reviews/page.ts';

/**
 * The review link routes (DESIGN.md principle 6). Every answer is an HTML page for a person in a
 * browser, so link and form problems are pages too (404, 409, 410, 403, 400/422), never JSON.
 * GET reads and renders; only the POST of the form, with the link's nonce, decides.
 *
 * The link id is a secret: it is never logged, never put in a page, and only its hash is read.
 */

const COMMENT_REQUIRED_ERROR: FormError = {
  message: {
    zh: '驳回或要求补正时，请填写意见。未记录任何决定。',
    en: 'A comment is required to reject or to request changes. Nothing was recorded.',
  },
};

const notFound = (): HtmlResult => html(404, renderNotFoundPage());

/** The link id from the path, or undefined when it cannot be one (answered like an unknown id). */
function linkIdOf(params: Readonly<Record<string, string | undefined>>): string | undefined {
  const parsed = ROUTE.showReview.request.params.safeParse(params);
  return parsed.success ? parsed.data.linkId : undefined;
}

/** API Gateway maps HEAD onto GET routes; a HEAD must not even read the link. */
function refuseHead(event: APIGatewayProxyEventV2): void {
  if (event.requestContext.http.method.toUpperCase() === 'HEAD') {
    throw ProblemError.of('METHOD_NOT_ALLOWED', 'Open the review link in a browser (GET).', {
      headers: { allow: 'GET, POST' },
    });
  }
}

/** The page a link shows when it is opened, or opened again after a form error. */
function pageFor(page: LinkPage, form?: { echo: FormEcho; error: FormError }): HtmlResult {
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

// ---------------------------------------------------------------------------------------------
// GET /review/{linkId}

export const showReview = routeHandler(ROUTE.showReview, async ({ params, event }) => {
  refuseHead(event);
  const linkId = linkIdOf(params);
  if (linkId === undefined) return notFound();
  const page = await reviewPage({ store: store(), linkSecret: linkSecret() }, linkId, clock().now());
  if (page === undefined) return notFound();
  setApplicationCorrelation(page.applicationId);
  return pageFor(page);
});

// ---------------------------------------------------------------------------------------------
// POST /review/{linkId}

// The form arrives as it was posted (a `pages` route): it is checked below, so a malformed one
// gets a page a person can read rather than a JSON problem.
export const decideReview = routeHandler(ROUTE.decideReview, async ({ params, body }) => {
  const linkId = linkIdOf(params);
  if (linkId === undefined) return notFound();
  const parsed = ROUTE.decideReview.request.body.schema.safeParse(body);
  if (!parsed.success) {
    return html(
      400,
      renderInvalidFormPage(
        parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || 'form'}: ${issue.message}`),
      ),
    );
  }
  const form = parsed.data;
  const ports = { store: store(), clock: clock(), workflow: workflow(), linkSecret: linkSecret() };
  const at = ports.clock.now();
  const result = await decide(ports, linkId, form, at);
  if (result.kind === 'DECIDED' || result.kind === 'ALREADY_USED') {
    setApplicationCorrelation(result.decision.applicationId);
  }
  switch (result.kind) {
    case 'DECIDED':
      return html(200, renderDecisionRecordedPage(result.decision));
    case 'ALREADY_USED':
      return html(409, renderAlreadyUsedPage(result.decision));
    case 'GONE':
      return html(410, renderGonePage(result.reason));
    case 'BAD_NONCE':
      return html(403, renderStaleFormPage());
    case 'NOT_FOUND':
      return notFound();
    case 'COMMENT_REQUIRED': {
      const page = await reviewPage(ports, linkId, at);
      if (page === undefined) return notFound();
      return pageFor(page, {
        echo: {
          decision: result.decision,
          ...(form.comment === undefined ? {} : { comment: form.comment }),
        },
        error: COMMENT_REQUIRED_ERROR,
      });
    }
  }
});
