import type { Logger } from '@aws-lambda-powertools/logger';
import {
  httpStack,
  routeOptions,
  type ApiHandler,
  type HandledRoute,
  type RouteRequest,
} from './handler-stack.ts';
import type { HandlerResult } from './response.ts';

/**
 * The handler of a route whose entry declares no body (GET routes, and POST routes whose path says
 * it all), built as `routeHandler` builds it but without the body parser: its bundle holds neither
 * the parser nor the form schema (and the zod kinds only that schema uses). It refuses, when the
 * module loads, an entry that declares a body, which it would never parse.
 */
export function bodilessRouteHandler<
  const R extends HandledRoute & { readonly request?: { readonly body?: never } },
>(
  route: R,
  handle: (request: RouteRequest<R>) => Promise<HandlerResult>,
  options: { readonly logger?: Logger } = {},
): ApiHandler {
  if (route.request?.body !== undefined) {
    throw new Error('this route takes a body: build its handler with routeHandler (handler.ts)');
  }
  return httpStack(routeOptions(route, handle, options), undefined);
}
