import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { clock } from '../../composition/clock.ts';
import { linkSecret } from '../../composition/link-secret.ts';
import { storeReader } from '../../composition/store.ts';
import { bodilessRouteHandler } from '../../http/bodiless-handler.ts';
import { ProblemError } from '../../http/problem.ts';
import { setApplicationCorrelation } from '../../observability/logger.ts';
import { reviewPage } from '../../usecases/reviews/page.ts';
import { showReviewRoute } from '../routes/show-review.ts';
import { linkIdOf, notFound, pageFor } from './link-pages.ts';

/** API Gateway maps HEAD onto GET routes; a HEAD must not even read the link. */
function refuseHead(event: APIGatewayProxyEventV2): void {
  if (event.requestContext.http.method.toUpperCase() === 'HEAD') {
    throw ProblemError.of('METHOD_NOT_ALLOWED', 'Open the review link in a browser (GET).', {
      headers: { allow: 'GET, POST' },
    });
  }
}

/** GET /review/{linkId}: reads the link and renders its page; changes nothing. */
export const showReview = bodilessRouteHandler(showReviewRoute, async ({ params, event }) => {
  refuseHead(event);
  const linkId = linkIdOf(params);
  if (linkId === undefined) return notFound();
  const page = await reviewPage({ store: storeReader(), linkSecret: linkSecret() }, linkId, clock().now());
  if (page === undefined) return notFound();
  setApplicationCorrelation(page.applicationId);
  return pageFor(page);
});
