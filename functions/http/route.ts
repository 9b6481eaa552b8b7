import type { $ZodType } from 'zod/v4/core';
import type { Role } from '../auth/principal.ts';

/**
 * One entry of the route table (`functions/api/routes.ts`). The table is data, read by the CDK
 * HTTP API, the local gateway and the OpenAPI generator; it names handler modules by path and
 * never imports them, so a consumer loads only what it serves.
 */

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

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
  /** The JSON schema of the body, when the body is JSON. */
  readonly schema?: NamedSchema;
  readonly mediaType?: ResponseMediaType;
}

/** An error a route answers besides the generic ones (400 validation, 401, 403, 500). */
export interface RouteProblem {
  readonly status: number;
  readonly code: string;
  readonly description: string;
}

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
}

/** `GET /enterprises/{id}`: the API Gateway route key, also used in logs instead of raw paths. */
export const routeKeyOf = (route: Pick<RouteDefinition, 'method' | 'path'>): string =>
  `${route.method} ${route.path}`;

/** Names of the `{param}` segments of a path template, in order. */
export const pathParamNames = (path: string): string[] =>
  [...path.matchAll(/\{([A-Za-z0-9_]+)\+?\}/g)].map((match) => match[1] ?? '');
