import { createHash, timingSafeEqual } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { $ZodType } from 'zod/v4/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { ProblemError, problemResponse } from '../../functions/http/problem.ts';
import {
  API_FUNCTION_TIMEOUT_SECONDS,
  API_INTEGRATION_TIMEOUT_SECONDS,
  routeKeyOf,
  type HttpMethod,
  type RouteAuth,
  type RouteDefinition,
} from '../../functions/http/route.ts';
import { runAs } from '../call-attribution.ts';
import { inInvocation } from '../invocation-scope.ts';
import { buildEvent, lambdaContext } from './event.ts';
import { Router, unmatchedProblem } from '../../functions/http/route-matcher.ts';
import { defaultSlotWaitMs, InvocationSlots, NoSlotError } from './invocation-slots.ts';

/**
 * The local stand-in for API Gateway HTTP API: serves the route table over node:http, verifies
 * bearer tokens on `jwt` routes before any handler runs (as the JWT authorizer does), hands the
 * handler a payload v2.0 event and writes back its result. Handler modules are imported on first
 * use, so the table may name modules that are not written yet (they answer 501 until they are).
 */

export type LambdaHttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyResultV2 | undefined | void>;

/** Routes the embedded runtime adds beside the table (`/_local/*`); same event in, same result out. */
export interface ExtraRoute {
  readonly method: HttpMethod;
  readonly path: string;
  readonly auth?: RouteAuth;
  /** The zod schemas its handler parses its input with (tests derive requests from them). */
  readonly request?: { readonly params?: $ZodType; readonly query?: $ZodType; readonly body?: $ZodType };
  readonly handler: LambdaHttpHandler;
}

/** Verifies a bearer token and returns its claims; throws when the token is not valid. */
export type TokenVerifier = (token: string) => Promise<Readonly<Record<string, unknown>>>;

export interface GatewayOptions {
  readonly routes: readonly RouteDefinition[];
  readonly auth: TokenVerifier;
  readonly extraRoutes?: readonly ExtraRoute[];
  /** How a route's handler is found; by default its module is imported from `rootDir`. */
  readonly resolveHandler?: (route: RouteDefinition) => Promise<LambdaHttpHandler>;
  /** Where route modules are resolved from; the repository root by default. */
  readonly rootDir?: string;
  /** API Gateway's payload limit is 10 MB; ours is smaller, the API takes no large bodies. */
  readonly maxBodyBytes?: number;
  /** Reports handler crashes and missing modules (console.error by default). */
  readonly onError?: (error: unknown, routeKey: string) => void;
  /**
   * Host names answered besides the loopback ones (the `--expose` name). Any other `Host` gets
   * 421, so a DNS-rebinding page, whose requests carry its own name, reaches nothing.
   */
  readonly publicHosts?: readonly string[];
  /** When set, the `/_local/*` controls need `Authorization: Bearer <operatorKey>` (`--expose`). */
  readonly operatorKey?: string;
  /**
   * Requests that arrive before this settles wait for it: the runtime listens early (the port is
   * part of the review links its restarted workflows mail) but serves only once every open
   * application has its one execution again, so no request starts a second one meanwhile.
   */
  readonly ready?: Promise<unknown>;
  /**
   * Lambda concurrency (invocation-slots.ts): how many route handlers run at once (16), how many
   * requests may wait for a slot (1,000) before the gateway answers 503 at once, and how long one
   * may wait (`maxWaitMs`, by default the integration timeout less the function timeout, at most the
   * integration timeout) before it is answered 503.
   */
  readonly invocations?: InvocationLimits;
  /**
   * API Gateway's integration timeout, end to end from the request's arrival (30 s, an HTTP API's
   * maximum): a request whose handler is still running then is answered 504, and the handler runs
   * on to its own timeout. (One still waiting for a slot was answered 503 at `maxWaitMs`.)
   */
  readonly integrationTimeoutMs?: number;
  /** The function timeout a handler's context counts down from, starting when the handler starts. */
  readonly functionTimeoutMs?: number;
}

export interface InvocationLimits {
  readonly concurrency?: number;
  readonly maxQueued?: number;
  readonly maxWaitMs?: number;
}

/** The paths of the embedded runtime's own controls. */
export const LOCAL_CONTROLS_PREFIX = '/_local/';

export const DEFAULT_GATEWAY_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_INTEGRATION_TIMEOUT_MS = API_INTEGRATION_TIMEOUT_SECONDS * 1_000;
/** What a route's function is given deployed (functions/http/route.ts). */
export const DEFAULT_FUNCTION_TIMEOUT_MS = API_FUNCTION_TIMEOUT_SECONDS * 1_000;
/** What a refused request's Retry-After says: a slot frees as soon as any handler finishes. */
const RETRY_AFTER_SECONDS = 1;
const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

type Served =
  | {
      readonly kind: 'table';
      readonly method: HttpMethod;
      readonly path: string;
      readonly auth: RouteAuth;
      readonly route: RouteDefinition;
    }
  | {
      readonly kind: 'extra';
      readonly method: HttpMethod;
      readonly path: string;
      readonly auth: RouteAuth;
      readonly route: ExtraRoute;
    };

class MissingHandlerError extends Error {}

export function moduleHandlerResolver(rootDir: string = REPOSITORY_ROOT) {
  const modules = new Map<string, Promise<Record<string, unknown>>>();
  return async (route: RouteDefinition): Promise<LambdaHttpHandler> => {
    let loading = modules.get(route.module);
    if (loading === undefined) {
      loading = import(pathToFileURL(resolve(rootDir, route.module)).href) as Promise<
        Record<string, unknown>
      >;
      modules.set(route.module, loading);
      // A failed import is not cached: the module may be written while the gateway runs.
      loading.catch(() => modules.delete(route.module));
    }
    let loaded: Record<string, unknown>;
    try {
      loaded = await loading;
    } catch (err) {
      throw new MissingHandlerError(`${route.module} could not be loaded: ${(err as Error).message}`);
    }
    const handler = loaded[route.exportName];
    if (typeof handler !== 'function') {
      throw new MissingHandlerError(`${route.module} does not export a function ${route.exportName}`);
    }
    return handler as LambdaHttpHandler;
  };
}

/** The host name of a `Host` header, lower-cased, without port or IPv6 brackets; '' when absent. */
export function hostNameOf(header: string | undefined): string {
  const host = (header ?? '').trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']') === -1 ? undefined : host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

/** `localhost` (and names under it, RFC 6761), 127.0.0.0/8 and ::1. */
export function isLoopbackHost(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  if (isIP(name) === 6) return name === '::1' || name === '0:0:0:0:0:0:0:1';
  return false;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

function writeResult(response: ServerResponse, result: APIGatewayProxyResultV2 | undefined | void): void {
  // Every answer of this server, the console's files and the controls included, is what its
  // content type says; browsers must not sniff it into something else.
  response.setHeader('x-content-type-options', 'nosniff');
  // API Gateway's reading of a result without statusCode: the value itself is a 200 JSON body.
  if (result === undefined || result === null || typeof result !== 'object' || !('statusCode' in result)) {
    const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(body);
    return;
  }
  for (const [name, value] of Object.entries(result.headers ?? {})) response.setHeader(name, String(value));
  if (result.cookies !== undefined && result.cookies.length > 0)
    response.setHeader('set-cookie', result.cookies);
  const body =
    result.body === undefined
      ? undefined
      : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  response.statusCode = result.statusCode ?? 200;
  response.end(body);
}

function writeProblem(response: ServerResponse, problem: ProblemError): void {
  writeResult(response, problemResponse(problem));
}

/** Reads the whole body; past the limit it keeps draining (so the client can read our 413) but keeps nothing. */
function readBody(request: IncomingMessage, maxBytes: number): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
        // A client that keeps sending far past the limit is not worth draining.
        if (size > maxBytes * 16) request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolveBody({ body: Buffer.concat(chunks), tooLarge }));
    request.on('error', reject);
  });
}

const bearerToken = (header: string | undefined): string | undefined => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
};

export function createGateway(options: GatewayOptions): Server {
  return createServer(gatewayListener(options));
}

/** The gateway as a request listener, for a server that was listening before the routes were ready. */
export function gatewayListener(options: GatewayOptions): RequestListener {
  const served: Served[] = [
    ...options.routes.map((route): Served => ({
      kind: 'table',
      method: route.method,
      path: route.path,
      auth: route.auth,
      route,
    })),
    ...(options.extraRoutes ?? []).map((route): Served => ({
      kind: 'extra',
      method: route.method,
      path: route.path,
      auth: route.auth ?? 'public',
      route,
    })),
  ];
  const router = new Router(served);
  const resolveHandler = options.resolveHandler ?? moduleHandlerResolver(options.rootDir);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_GATEWAY_MAX_BODY_BYTES;
  const report = options.onError ?? ((error, routeKey) => console.error(`[gateway] ${routeKey}:`, error));

  const publicHosts = new Set((options.publicHosts ?? []).map((host) => hostNameOf(host)));
  const operatorKey = options.operatorKey === undefined ? undefined : digest(options.operatorKey);
  const slots = new InvocationSlots({
    ...(options.invocations?.concurrency === undefined ? {} : { limit: options.invocations.concurrency }),
    ...(options.invocations?.maxQueued === undefined ? {} : { maxQueued: options.invocations.maxQueued }),
  });
  const integrationTimeoutMs = options.integrationTimeoutMs ?? DEFAULT_INTEGRATION_TIMEOUT_MS;
  const functionTimeoutMs = options.functionTimeoutMs ?? DEFAULT_FUNCTION_TIMEOUT_MS;
  const slotWaitMs = Math.min(
    options.invocations?.maxWaitMs ?? defaultSlotWaitMs(integrationTimeoutMs, functionTimeoutMs),
    integrationTimeoutMs,
  );

  /**
   * A route's handler as one invocation of its function: it waits for a slot, gets a context whose
   * timeout starts now, and keeps its slot until it settles, also when the gateway gave up on it.
   */
  const invoke = async (
    functionName: string,
    requestId: string,
    run: (context: Context) => Promise<APIGatewayProxyResultV2 | undefined | void>,
    routeKey: string,
    arrivedAt: number,
  ): Promise<APIGatewayProxyResultV2 | undefined | void> => {
    const gatewayDeadline = arrivedAt + integrationTimeoutMs;
    let release: () => void;
    try {
      release = await slots.acquire(arrivedAt + slotWaitMs);
    } catch (error) {
      if (!(error instanceof NoSlotError)) throw error;
      return problemResponse(
        ProblemError.of(
          'SERVICE_UNAVAILABLE',
          error.reason === 'queue-full'
            ? 'Every function instance is busy and too many requests wait; retry shortly.'
            : 'No function instance was free in time; the request did not run. Retry shortly.',
          { headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } },
        ),
      );
    }
    // Its own scope: the logger's context and keys are this invocation's (invocation-scope.ts).
    const running = Promise.resolve().then(() =>
      inInvocation(requestId, () => run(lambdaContext(functionName, requestId, functionTimeoutMs))),
    );
    running.then(release, release);
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<'gave up'>((resolveTimeout) => {
      timer = setTimeout(() => resolveTimeout('gave up'), Math.max(0, gatewayDeadline - Date.now()));
    });
    try {
      const outcome = await Promise.race([running, gaveUp]);
      if (outcome !== 'gave up') return outcome;
    } finally {
      clearTimeout(timer);
    }
    // As on AWS: the client gets 504, the function runs on; a failure it ends with is still reported.
    running.catch((error: unknown) => report(error, routeKey));
    return problemResponse(
      ProblemError.of('GATEWAY_TIMEOUT', 'The function did not answer within the integration timeout.'),
    );
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const arrivedAt = Date.now();
    const host = hostNameOf(request.headers.host);
    if (!isLoopbackHost(host) && !publicHosts.has(host)) {
      request.resume();
      writeProblem(
        response,
        ProblemError.of('MISDIRECTED_REQUEST', 'This server does not answer for that host name.'),
      );
      return;
    }
    const method = (request.method ?? 'GET').toUpperCase();
    const target = request.url ?? '/';
    const queryAt = target.indexOf('?');
    const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
    const rawQueryString = queryAt === -1 ? '' : target.slice(queryAt + 1);

    const match = router.match(method, rawPath);
    if (match.kind !== 'found') {
      request.resume();
      writeProblem(response, unmatchedProblem(method, rawPath, match));
      return;
    }

    const servedRoute = match.route;
    const routeKey = routeKeyOf(servedRoute);
    if (
      operatorKey !== undefined &&
      servedRoute.kind === 'extra' &&
      servedRoute.path.startsWith(LOCAL_CONTROLS_PREFIX)
    ) {
      const given = bearerToken(request.headers.authorization);
      // Compared as digests: equal lengths, and no timing signal about the key.
      if (given === undefined || !timingSafeEqual(digest(given), operatorKey)) {
        request.resume();
        writeProblem(
          response,
          ProblemError.of('UNAUTHORIZED', 'The runtime controls need the operator key printed at start.', {
            headers: { 'www-authenticate': 'Bearer' },
          }),
        );
        return;
      }
    }
    let claims: Readonly<Record<string, unknown>> | undefined;
    if (servedRoute.auth === 'jwt') {
      const token = bearerToken(request.headers.authorization);
      try {
        if (token === undefined) throw new Error('no bearer token');
        claims = await options.auth(token);
      } catch {
        request.resume();
        writeProblem(
          response,
          ProblemError.of('UNAUTHORIZED', 'A valid bearer token is required.', {
            headers: { 'www-authenticate': 'Bearer' },
          }),
        );
        return;
      }
    }

    const { body, tooLarge } = await readBody(request, maxBodyBytes);
    if (tooLarge) {
      writeProblem(
        response,
        ProblemError.of('PAYLOAD_TOO_LARGE', `The body may be at most ${maxBodyBytes} bytes.`, {
          extensions: { maxBytes: maxBodyBytes },
        }),
      );
      return;
    }

    const event = buildEvent({
      method,
      rawPath,
      rawQueryString,
      headers: request.headers,
      body,
      sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
      localPort: request.socket.localPort ?? 0,
      routeKey,
      pathParameters: match.params,
      ...(claims === undefined ? {} : { claims }),
    });

    let handler: LambdaHttpHandler;
    try {
      handler =
        servedRoute.kind === 'extra' ? servedRoute.route.handler : await resolveHandler(servedRoute.route);
    } catch (err) {
      report(err, routeKey);
      writeProblem(
        response,
        new ProblemError({
          status: 501,
          code: 'NOT_IMPLEMENTED',
          title: 'Not implemented',
          detail: `The handler of ${routeKey} is not available yet.`,
        }),
      );
      return;
    }
    const functionName =
      servedRoute.kind === 'table'
        ? servedRoute.route.exportName
        : `local-${servedRoute.method.toLowerCase()}`;
    const requestId = event.requestContext.requestId;
    // A table route runs as its handler export (one deployed function each), one invocation of a
    // bounded number at once; the `/_local/*` controls and the console's files are the runtime's
    // own, no deployed function: they run at once, unattributed.
    const result =
      servedRoute.kind === 'table'
        ? await invoke(
            functionName,
            requestId,
            (context) => runAs(functionName, () => handler(event, context)),
            routeKey,
            arrivedAt,
          )
        : await handler(event, lambdaContext(functionName, requestId, functionTimeoutMs));
    writeResult(response, result);
  };

  const ready = options.ready ?? Promise.resolve();
  return (request, response) => {
    ready
      .then(() => handle(request, response))
      .catch((err: unknown) => {
        // What API Gateway answers when the integration fails, as a problem document.
        // The method only: a raw URL can carry a review link id, which is a secret.
        report(err, request.method ?? 'request');
        if (!response.headersSent) {
          writeProblem(
            response,
            ProblemError.of('INTERNAL', 'An unexpected error occurred; it has been logged.'),
          );
        } else {
          response.destroy();
        }
      });
  };
}
