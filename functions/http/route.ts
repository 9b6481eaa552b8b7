import type { $ZodType } from 'zod/v4/core';
import type { Role } from '../auth/principal.ts';
import { PROBLEMS, type ProblemCode } from './problems.ts';

/**
 * One entry of the route table (`functions/api/routes.ts`). The table is data, read by the CDK
 * HTTP API, the local gateway and the OpenAPI generator; it names handler modules by path and
 * never imports them, so a consumer loads only what it serves.
 */

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * How long API Gateway waits for a route's function before it answers 504 itself: an HTTP API's
 * default and maximum, which the deployment keeps by setting no timeout on its integrations
 * (infra/constructs/http-api.ts; the CDK refuses 30 s, its check stops at 29) and the embedded
 * gateway keeps too (local/gateway/gateway.ts), so a request has the same limit in both.
 */
export const API_INTEGRATION_TIMEOUT_SECONDS = 30;

/**
 * The Lambda timeout of every API route's function, deployed (infra/constructs/http-api.ts) and
 * embedded (local/gateway/gateway.ts): the handlers answer in well under it, and it leaves room
 * inside the integration timeout above for a request that waited for a free instance.
 */
export const API_FUNCTION_TIMEOUT_SECONDS = 15;

/** `public`: no token needed; `jwt`: the API Gateway JWT authorizer (or local gateway) verifies one. */
export type RouteAuth = 'public' | 'jwt';

export interface NamedSchema {
  /** The name under components/schemas in the OpenAPI document. Unique across the table. */
  readonly name: string;
  readonly schema: $ZodType;
}

export type BodyMediaType = 'application/json' | 'application/x-www-form-urlencoded';
export type ResponseMediaType = 'application/json' | 'text/html';

export interface RouteResponse {
  readonly description: string;
  /**
   * The name (under components/schemas in the OpenAPI document) of the body's schema, when the
   * body is JSON. Only a name: the schemas themselves are for the document and the tests, which
   * look them up by it (functions/api/response-schemas.ts), so a handler's bundle does not carry
   * the shape of what it answers.
   */
  readonly schema?: string;
  readonly mediaType?: ResponseMediaType;
}

/** An error a route answers besides the generic ones (400 validation, 401, 403, 500). */
export interface RouteProblem {
  readonly status: number;
  readonly code: ProblemCode;
  /** The route's own words; absent: the code's (problem-descriptions.ts, read by the OpenAPI document). */
  readonly description?: string;
}

/**
 * A catalogued problem as a route answers it: status from the catalogue (problems.ts), described
 * in the route's own words when they say more than the code's description.
 */
export const problem = (code: ProblemCode, description?: string): RouteProblem => ({
  status: PROBLEMS[code].status,
  code,
  ...(description === undefined ? {} : { description }),
});

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway style: `/enterprises/{id}`. */
  readonly path: string;
  /** Handler module, relative to the repository root: `functions/api/enterprises.ts`. */
  readonly module: string;
  /** The module's export that handles the route; also the OpenAPI operationId. */
  readonly exportName: string;
  readonly auth: RouteAuth;
  /** Roles allowed; any authenticated role when absent. Handlers enforce it (and ownership). */
  readonly roles?: readonly Role[];
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  readonly request?: {
    readonly params?: $ZodType;
    readonly query?: $ZodType;
    readonly headers?: $ZodType;
    /** `optional`: the request may come without a body (the schema then accepts undefined). */
    readonly body?: NamedSchema & { readonly mediaType?: BodyMediaType; readonly optional?: boolean };
  };
  readonly responses: Readonly<Record<number, RouteResponse>>;
  readonly problems?: readonly RouteProblem[];
  /**
   * Statuses the route also answers as an HTML page, by what the page shows, when the client's
   * Accept weights text/html above JSON (functions/http/negotiate.ts); JSON stays the default and
   * every answer carries `Vary: Accept`.
   */
  readonly htmlWhenAccepted?: Readonly<Record<number, string>>;
  /** The largest body the handler reads (the HTTP layer's default when absent). */
  readonly maxBodyBytes?: number;
  /**
   * A route a person reads in a browser: its handler checks the path and form itself and answers
   * every problem with a page, so the request schemas above document it but validate nothing.
   */
  readonly pages?: true;
}

/**
 * One entry of the route table, named by the export that handles it (also the OpenAPI
 * operationId). Each entry lives in a module of its own (functions/api/routes/), which its
 * handler imports: a handler's bundle then holds its own route's schemas and problems, not the
 * whole table's. The entry keeps its literal types, so a handler built from it
 * (functions/http/handler.ts routeHandler) gets its parsed input typed.
 */
export function route<const N extends string, const T extends Omit<RouteDefinition, 'exportName'>>(
  exportName: N,
  entry: T,
): T & { readonly exportName: N } {
  return { ...entry, exportName };
}

/** The table keyed by each entry's `exportName` (stated once, in the entry). */
export function routeIndex<const T extends readonly RouteDefinition[]>(
  routes: T,
): { readonly [R in T[number] as R['exportName']]: R } {
  const byName = new Map<string, RouteDefinition>();
  for (const entry of routes) {
    if (byName.has(entry.exportName)) throw new Error(`two routes are handled by ${entry.exportName}`);
    byName.set(entry.exportName, entry);
  }
  return Object.fromEntries(byName) as { readonly [R in T[number] as R['exportName']]: R };
}

/** `GET /enterprises/{id}`: the API Gateway route key, also used in logs instead of raw paths. */
export const routeKeyOf = (route: Pick<RouteDefinition, 'method' | 'path'>): string =>
  `${route.method} ${route.path}`;

/** `GET /enterprises/{id}` back to its method and path (the inverse of `routeKeyOf`). */
export function parseRouteKey(key: string): { readonly method: HttpMethod; readonly path: string } {
  const [method, path, ...rest] = key.trim().split(' ');
  if (
    !HTTP_METHODS.includes(method as HttpMethod) ||
    path === undefined ||
    !path.startsWith('/') ||
    rest.length > 0
  )
    throw new Error(`not a route key: ${key}`);
  return { method: method as HttpMethod, path };
}

/** Names of the `{param}` segments of a path template, in order. */
export const pathParamNames = (path: string): string[] =>
  [...path.matchAll(/\{([A-Za-z0-9_]+)\+?\}/g)].map((match) => match[1] ?? '');
