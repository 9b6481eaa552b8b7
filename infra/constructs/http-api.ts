import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTES } from '../../functions/api/routes.ts';
import { ROUTE_KEYS_ENV } from '../../functions/composition/environment.ts';
import {
  API_FUNCTION_TIMEOUT_SECONDS,
  routeKeyOf,
  type RouteDefinition,
} from '../../functions/http/route.ts';
import { FALLBACK_ACCESS, apiHandlerAccess } from '../function-access.ts';
import { grantAccess, type AccessResources } from './grant-access.ts';
import { TaskFunction } from './task-function.ts';

/** The only paths served without a token (CONTRACT.md): everything else needs the authorizer. */
export const PUBLIC_PATH_PATTERNS: readonly RegExp[] = [
  /^\/review\//,
  /^\/public\//,
  /^\/health$/,
  /^\/openapi\.json$/,
];

export const FALLBACK_MODULE = 'functions/api/fallback.ts';
export const FALLBACK_EXPORT = 'handleUnmatched';

/** What the `$default` route's handler is given: the route keys of the table, one a line. */
export const fallbackEnvironment = (): Record<string, string> => ({
  [ROUTE_KEYS_ENV]: ROUTES.map(routeKeyOf).join('\n'),
});

const API_FUNCTION_TIMEOUT = Duration.seconds(API_FUNCTION_TIMEOUT_SECONDS);

/** Response headers a browser client on another origin may read (Created's Location, 429's Retry-After). */
export const CORS_EXPOSED_HEADERS = ['location', 'retry-after'] as const;
const CORS_MAX_AGE = Duration.hours(1);

/** The request headers a route reads: the keys of its zod header schema. */
function routeHeaderNames(route: RouteDefinition): string[] {
  const schema = route.request?.headers as
    { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined;
  return Object.keys(schema?._zod?.def?.shape ?? {});
}

/**
 * The HTTP API's CORS configuration for browser clients on `origins`, from the route table: every
 * method a route serves, and every request header a route reads besides the bearer token and the
 * body's type. API Gateway answers the preflight OPTIONS itself, before any route (and so before
 * the `$default` fallback, which would answer 405).
 */
export function corsPolicyFor(
  origins: readonly string[],
  routes: readonly RouteDefinition[],
): apigw.CorsPreflightOptions {
  const methods = [...new Set(routes.map((route) => route.method))].sort();
  const headers = [
    ...new Set(
      ['authorization', 'content-type', ...routes.flatMap(routeHeaderNames)].map((h) => h.toLowerCase()),
    ),
  ].sort();
  return {
    allowOrigins: [...origins],
    allowMethods: methods.map((method) => method as apigw.CorsHttpMethod),
    allowHeaders: headers,
    exposeHeaders: [...CORS_EXPOSED_HEADERS],
    // Bearer tokens, not cookies: no credentialed requests, so `*` stays a valid origin list.
    allowCredentials: false,
    maxAge: CORS_MAX_AGE,
  };
}

export interface HttpApiProps {
  readonly prefix: string;
  /** Origins of browser clients (the web console); the API answers their CORS preflights. */
  readonly webOrigins: readonly string[];
  readonly authorizer: apigw.IHttpRouteAuthorizer;
  readonly resources: Omit<AccessResources, 'reviewBaseUrl'>;
  readonly logRetention: logs.RetentionDays;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly bundle: boolean;
}

const kebab = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/** The deployed name of a route handler's function. */
export const apiFunctionNameFor = (exportName: string, prefix: string): string =>
  `${prefix}-api-${kebab(exportName)}`;

/** Refuses a table whose `public` routes leave the public paths, or whose exports collide. */
function assertRouteTable(routes: readonly RouteDefinition[]): void {
  const seen = new Map<string, string>();
  for (const route of routes) {
    const isPublicPath = PUBLIC_PATH_PATTERNS.some((pattern) => pattern.test(route.path));
    if (route.auth === 'public' && !isPublicPath) {
      throw new Error(`${routeKeyOf(route)} is public, but only ${PUBLIC_PATH_PATTERNS.join(' ')} may be`);
    }
    const other = seen.get(route.exportName);
    if (other !== undefined && other !== route.module) {
      throw new Error(
        `export ${route.exportName} is in both ${other} and ${route.module}: names must be unique`,
      );
    }
    seen.set(route.exportName, route.module);
  }
}

/**
 * The HTTP API, built from the route table: one function per route handler (so each is granted
 * exactly what its handler does), the JWT authorizer on every `jwt` route, a `$default` route
 * answering problem documents for anything else, access logs, and throttling on every route.
 */
export class CreditRepairHttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  /** Handler functions by export name, the fallback under its own. */
  readonly functions: ReadonlyMap<string, LambdaFunction>;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    assertRouteTable(ROUTES);

    this.api = new apigw.HttpApi(this, 'Api', {
      apiName: `${props.prefix}-api`,
      description: 'credit-repair HTTP API (functions/api/routes.ts)',
      createDefaultStage: false,
      corsPreflight: corsPolicyFor(props.webOrigins, ROUTES),
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      logGroupName: `/aws/vendedlogs/apigateway/${props.prefix}-api`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttle.rateLimit, burstLimit: props.throttle.burstLimit },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            routeKey: '$context.routeKey',
            status: '$context.status',
            requestTime: '$context.requestTimeEpoch',
            latencyMs: '$context.responseLatency',
            integrationStatus: '$context.integrationStatus',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            sourceIp: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
          }),
        ),
      },
    });

    // The review base URL is the API's own endpoint unless the deployer gives one; API handlers
    // never build review links, so they need none.
    const resources: AccessResources = { ...props.resources, reviewBaseUrl: this.api.apiEndpoint };
    const functions = new Map<string, LambdaFunction>();
    const functionFor = (
      module: string,
      exportName: string,
      environment?: Record<string, string>,
    ): LambdaFunction => {
      const existing = functions.get(exportName);
      if (existing !== undefined) return existing;
      const access = exportName === FALLBACK_EXPORT ? FALLBACK_ACCESS : apiHandlerAccess(exportName);
      const { fn } = new TaskFunction(this, `Handler-${exportName}`, {
        module,
        exportName,
        functionName: apiFunctionNameFor(exportName, props.prefix),
        timeout: API_FUNCTION_TIMEOUT,
        logRetention: props.logRetention,
        bundle: props.bundle,
        ...(environment === undefined ? {} : { environment }),
      });
      grantAccess(fn, access, resources);
      functions.set(exportName, fn);
      return fn;
    };

    for (const route of ROUTES) {
      const fn = functionFor(route.module, route.exportName);
      const routeId = `Route-${route.method}${route.path.replace(/[^A-Za-z0-9]+/g, '-')}`;
      const created = new apigw.HttpRoute(this, routeId, {
        httpApi: this.api,
        routeKey: apigw.HttpRouteKey.with(route.path, route.method as apigw.HttpMethod),
        // No timeout of its own: the HTTP API's default, its maximum (API_INTEGRATION_TIMEOUT_SECONDS).
        integration: new HttpLambdaIntegration(`Integration-${route.exportName}`, fn),
        ...(route.auth === 'jwt' ? { authorizer: props.authorizer } : {}),
      });
      if (route.auth === 'public') {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${routeKeyOf(route)} is public by contract (CONTRACT.md): ${route.summary}. Review links carry their own single-use secret; the rest is read-only public information.`,
        });
      }
    }

    const fallback = functionFor(FALLBACK_MODULE, FALLBACK_EXPORT, fallbackEnvironment());
    const fallbackRoute = new apigw.HttpRoute(this, 'Route-default', {
      httpApi: this.api,
      routeKey: apigw.HttpRouteKey.DEFAULT,
      integration: new HttpLambdaIntegration('Integration-fallback', fallback),
    });
    Validations.of(fallbackRoute).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'The $default route only answers 404/405 problem documents for requests no route serves; it reads nothing and changes nothing.',
    });
    this.functions = functions;
  }
}
