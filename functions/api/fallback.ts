import { httpHandler } from '../http/handler.ts';
import { Router, unmatchedProblem } from '../http/route-matcher.ts';
import { ROUTES } from './routes.ts';

/**
 * The HTTP API's `$default` route: API Gateway sends it every request no route of the table
 * matches (an unknown path, or a known path with another method, such as HEAD on /review/{id}).
 * It matches the request against the table with the local gateway's matcher and answers what the
 * gateway answers, so clients see one behaviour on both: 404 NOT_FOUND, or 405
 * METHOD_NOT_ALLOWED with an Allow header.
 */

const router = new Router(ROUTES);

export const handleUnmatched = httpHandler({
  auth: 'public',
  handle: async ({ event }) => {
    const method = event.requestContext.http.method.toUpperCase();
    throw unmatchedProblem(method, event.rawPath, router.match(method, event.rawPath));
  },
});
