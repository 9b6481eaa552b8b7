import { clock } from '../composition/clock.ts';
import { evidenceDocumentLinks } from '../composition/evidence-document-links.ts';
import { linkSecret } from '../composition/link-secret.ts';
import { storeReader } from '../composition/store.ts';
import { bodilessRouteHandler } from '../http/bodiless-handler.ts';
import { html, json } from '../http/response.ts';
import { setApplicationCorrelation } from '../observability/logger.ts';
import { renderAlreadyUsedPage, renderGonePage, renderNotFoundPage } from '../pages/review/results.ts';
import { openReviewDocument as openDocument } from '../usecases/reviews/document.ts';
import { openReviewDocumentRoute } from './routes/open-review-document.ts';

/**
 * GET /review/{linkId}/documents/{evidenceId}: a reviewer opens one document from the review page.
 * The answer is a redirect to a presigned GET of the document's frozen copy (so no file passes
 * through the API), or a page saying why the link opens nothing any more. As on the page itself,
 * the link id is never logged and appears in no URL it hands out.
 */
export const openReviewDocument = bodilessRouteHandler(openReviewDocumentRoute, async ({ params }) => {
  const parsed = openReviewDocumentRoute.request.params.safeParse(params);
  if (!parsed.success) return html(404, renderNotFoundPage());
  const ports = { store: storeReader(), linkSecret: linkSecret(), evidence: evidenceDocumentLinks() };
  const answer = await openDocument(ports, parsed.data.linkId, parsed.data.evidenceId, clock().now());
  if (answer.kind !== 'NOT_FOUND') setApplicationCorrelation(answer.applicationId);
  switch (answer.kind) {
    case 'REDIRECT':
      return json(302, undefined, {
        location: answer.url,
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
      });
    case 'DECIDED':
      return html(410, renderAlreadyUsedPage(answer.decision));
    case 'GONE':
      return html(410, renderGonePage(answer.reason));
    case 'NOT_FOUND':
      return html(404, renderNotFoundPage());
  }
});
