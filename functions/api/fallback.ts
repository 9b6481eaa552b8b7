import { requiredEnv, ROUTE_KEYS_ENV } from '../composition/environment.ts';
import { httpStack } from '../http/handler-stack.ts';
import { parseRouteKey } from '../http/route.ts';
import { Router, unmatchedProblem, type Routable } from '../http/route-matcher.ts';

/**
 * The HTTP API's `$default` route: API Gateway sends it every request no route of the table
 * matches (an unknown path, or a known path with another method, such as HEAD on /review/{id}).
 * It matches the request against the table with the local gateway's matcher and answers what the
 * gateway answers, so clients see one behaviour on both: 404 NOT_FOUND, or 405
 * METHOD_NOT_ALLOWED with an Allow header. The CDK app gives it the table's route keys
 * (ROUTE_KEYS): importing the table would bring every route's schemas into its bundle.
 */

let router: Router<Routable> | undefined;
const routes = (): Router<Routable> =>
  (router ??= new Router(requiredEnv(ROUTE_KEYS_ENV).split('\n').map(parseRouteKey)));

/** It reads no body (the answer depends on the method and path alone), so its stack parses none. */
export const handleUnmatched = httpStack(
  {
    auth: 'public',
    handle: async ({ event }) => {
      const method = event.requestContext.http.method.toUpperCase();
      throw unmatchedProblem(method, event.rawPath, routes().match(method, event.rawPath));
    },
  },
  undefined,
);
