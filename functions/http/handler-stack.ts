import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { $ZodType, output } from 'zod/v4/core';
import type { Principal, Role } from '../auth/principal.ts';
import { logger as defaultLogger } from '../observability/logger.ts';
import {
  authenticate,
  problemErrors,
  validate,
  type AuthMode,
  type BodyKind,
  type HttpEvent,
  type HttpMiddleware,
} from './middleware.ts';
import { ProblemError } from './problem.ts';
import { toApiGatewayResult, type HandlerResult } from './response.ts';
import type { RouteDefinition } from './route.ts';

/**
 * The middy stack of every API handler (payload v2.0), built from a description of its input and a
 * thin `handle` function: everything generic (headers, auth, body, zod, problem documents, logging)
 * happens in the stack, so `handle` only calls a use case and maps its result to a status. The
 * body parser is given by the caller: `httpHandler` and `routeHandler` (handler.ts) add it for
 * handlers that take a body, and `bodilessRouteHandler` (bodiless-handler.ts) builds the stack
 * without it, so the bundle of a route that takes no body carries no body or form parsing.
 */

type Parsed<S, Otherwise> = S extends $ZodType ? output<S> : Otherwise;

type RawStrings = Readonly<Record<string, string | undefined>>;

export interface ApiRequest<Body, Params, Query, Headers, Auth extends AuthMode> {
  readonly body: Body;
  readonly params: Params;
  readonly query: Query;
  readonly headers: Headers;
  /** Always present on `required` routes; on `public` ones only when a valid token came along. */
  readonly principal: Auth extends 'required' ? Principal : Principal | undefined;
  readonly event: APIGatewayProxyEventV2;
  readonly context: Context;
}

export interface HttpHandlerOptions<
  B extends $ZodType | undefined,
  P extends $ZodType | undefined,
  Q extends $ZodType | undefined,
  H extends $ZodType | undefined,
  A extends AuthMode,
> {
  readonly auth: A;
  /** Roles allowed on a `required` route; any role when absent. */
  readonly roles?: readonly Role[];
  readonly body?: B;
  /** How the body is encoded; `json` unless the route takes an HTML form. */
  readonly bodyKind?: BodyKind;
  /** The request may come without a body: `body` then parses `undefined`. */
  readonly bodyOptional?: boolean;
  readonly maxBodyBytes?: number;
  readonly params?: P;
  readonly query?: Q;
  readonly headers?: H;
  readonly logger?: Logger;
  readonly handle: (
    request: ApiRequest<
      Parsed<B, undefined>,
      Parsed<P, RawStrings>,
      Parsed<Q, RawStrings>,
      Parsed<H, RawStrings>,
      A
    >,
  ) => Promise<HandlerResult>;
}

export type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export function httpStack<
  B extends $ZodType | undefined = undefined,
  P extends $ZodType | undefined = undefined,
  Q extends $ZodType | undefined = undefined,
  H extends $ZodType | undefined = undefined,
  A extends AuthMode = AuthMode,
>(
  options: HttpHandlerOptions<B, P, Q, H, A>,
  /** Parses the body into `event.parsedBody` before validation; absent where there is no body. */
  bodyParser: HttpMiddleware | undefined,
): ApiHandler {
  const log = options.logger ?? defaultLogger;

  const core = async (event: HttpEvent, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const input = event.input;
    if (input === undefined) throw new Error('validation middleware did not run');
    if (options.auth === 'required' && event.principal === undefined) {
      // authenticate() guarantees this; kept so a mis-assembled stack fails closed, not open.
      throw ProblemError.of('UNAUTHORIZED', 'A valid bearer token is required.');
    }
    const request = {
      body: input.body,
      params: input.params,
      query: input.query,
      headers: input.headers,
      principal: event.principal,
      event,
      context,
    } as Parameters<typeof options.handle>[0];
    return toApiGatewayResult(await options.handle(request));
  };

  const middlewares: HttpMiddleware[] = [
    problemErrors(log),
    injectLambdaContext(log, { resetKeys: true }) as HttpMiddleware,
    httpHeaderNormalizer() as HttpMiddleware,
    authenticate(
      options.roles === undefined ? { auth: options.auth } : { auth: options.auth, roles: options.roles },
    ),
  ];
  if (bodyParser !== undefined) middlewares.push(bodyParser);
  middlewares.push(
    validate({
      ...(options.body === undefined ? {} : { body: options.body }),
      ...(options.params === undefined ? {} : { params: options.params }),
      ...(options.query === undefined ? {} : { query: options.query }),
      ...(options.headers === undefined ? {} : { headers: options.headers }),
    }),
  );

  const handler = middy<HttpEvent, APIGatewayProxyStructuredResultV2, Error, Context>()
    .use(middlewares)
    .handler(core);
  return (event, context) => handler(event, context);
}

// ---------------------------------------------------------------------------------------------
// handlers built from their route table entry

/** What a route entry tells the handler factory: who may call, and what the request carries. */
export type HandledRoute = Pick<RouteDefinition, 'auth' | 'roles' | 'request' | 'maxBodyBytes' | 'pages'>;

/** The fields of an urlencoded form, as the body parser reads them (a repeated field: a list). */
export type FormFieldValues = Record<string, string | string[]>;

type AuthOf<R extends HandledRoute> = R extends { readonly auth: 'jwt' } ? 'required' : 'public';
type PartOf<R extends HandledRoute, K extends 'params' | 'query' | 'headers'> = R extends {
  readonly pages: true;
}
  ? RawStrings
  : R extends { readonly request: { readonly [P in K]: infer S } }
    ? Parsed<S, RawStrings>
    : RawStrings;
type BodyOf<R extends HandledRoute> = R extends { readonly request: { readonly body: infer B } }
  ? R extends { readonly pages: true }
    ? FormFieldValues
    : B extends { readonly schema: infer S; readonly optional: true }
      ? Parsed<S, undefined> | undefined
      : B extends { readonly schema: infer S }
        ? Parsed<S, undefined>
        : undefined
  : undefined;

export type RouteRequest<R extends HandledRoute> = ApiRequest<
  BodyOf<R>,
  PartOf<R, 'params'>,
  PartOf<R, 'query'>,
  PartOf<R, 'headers'>,
  AuthOf<R>
>;

/**
 * What a route's entry says of its handler but its body: the roles it admits, the schemas of its
 * path, query and headers and its size limit are the entry's, stated nowhere else. A `pages` route
 * gets its path unvalidated.
 */
export function routeOptions<const R extends HandledRoute>(
  route: R,
  handle: (request: RouteRequest<R>) => Promise<HandlerResult>,
  options: { readonly logger?: Logger } = {},
): HttpHandlerOptions<
  $ZodType | undefined,
  $ZodType | undefined,
  $ZodType | undefined,
  $ZodType | undefined,
  AuthMode
> {
  const pages = route.pages === true;
  const request = route.request;
  return {
    auth: route.auth === 'jwt' ? 'required' : 'public',
    ...(route.roles === undefined ? {} : { roles: route.roles }),
    ...(route.maxBodyBytes === undefined ? {} : { maxBodyBytes: route.maxBodyBytes }),
    ...(pages || request?.params === undefined ? {} : { params: request.params }),
    ...(pages || request?.query === undefined ? {} : { query: request.query }),
    ...(pages || request?.headers === undefined ? {} : { headers: request.headers }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    handle: handle as (
      request: ApiRequest<unknown, unknown, unknown, unknown, AuthMode>,
    ) => Promise<HandlerResult>,
  };
}
