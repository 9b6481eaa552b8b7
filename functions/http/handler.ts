import type { Logger } from '@aws-lambda-powertools/logger';
import type { $ZodType, output } from 'zod/v4/core';
import { array, record, string, union, schema } from '../../domain/zod.ts';
import {
  httpStack,
  routeOptions,
  type ApiHandler,
  type HandledRoute,
  type HttpHandlerOptions,
  type RouteRequest,
} from './handler-stack.ts';
import { parseBody, type AuthMode } from './middleware.ts';
import type { HandlerResult } from './response.ts';

export type {
  ApiHandler,
  ApiRequest,
  HandledRoute,
  HttpHandlerOptions,
  RouteRequest,
} from './handler-stack.ts';

/**
 * Handlers that may take a body: `httpHandler` builds an API Gateway (payload v2.0) Lambda handler
 * from a description of its input and a thin `handle` function (the stack is handler-stack.ts's),
 * parsing a JSON or form body where it declares one. A route that takes no body gets its handler
 * from bodiless-handler.ts, whose bundle then holds neither the body parser nor the form schema.
 */

export function httpHandler<
  B extends $ZodType | undefined = undefined,
  P extends $ZodType | undefined = undefined,
  Q extends $ZodType | undefined = undefined,
  H extends $ZodType | undefined = undefined,
  A extends AuthMode = AuthMode,
>(options: HttpHandlerOptions<B, P, Q, H, A>): ApiHandler {
  return httpStack(
    options,
    options.body === undefined
      ? undefined
      : parseBody({
          kind: options.bodyKind ?? 'json',
          ...(options.bodyOptional === true ? { optional: true } : {}),
          ...(options.maxBodyBytes === undefined ? {} : { maxBytes: options.maxBodyBytes }),
        }),
  );
}

/** The fields of an urlencoded form, as the body parser reads them (a repeated field: a list). */
export const FormFields = /* @__PURE__ */ schema(() => record(string(), union([string(), array(string())])));
export type FormFields = output<typeof FormFields>;

/**
 * The handler of a route, built from its entry in the route table: the roles it admits, the
 * schemas of its path, query, headers and body, its body's encoding and size limit are the
 * entry's, stated nowhere else. A `pages` route gets its path and form unvalidated.
 */
export function routeHandler<const R extends HandledRoute>(
  route: R,
  handle: (request: RouteRequest<R>) => Promise<HandlerResult>,
  options: { readonly logger?: Logger } = {},
): ApiHandler {
  const body = route.request?.body;
  return httpHandler({
    ...routeOptions(route, handle, options),
    ...(body === undefined
      ? {}
      : {
          body: route.pages === true ? FormFields : body.schema,
          bodyKind: body.mediaType === 'application/x-www-form-urlencoded' ? 'form' : 'json',
          ...(body.optional === true ? { bodyOptional: true } : {}),
        }),
  });
}
