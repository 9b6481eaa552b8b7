import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { API_FUNCTION_TIMEOUT_SECONDS } from '../../functions/http/route.ts';

/**
 * Builds API Gateway HTTP API events (payload format 2.0) from real HTTP requests, as API Gateway
 * does: lower-cased headers with repeats comma-joined, cookies moved out of the headers, repeated
 * query parameters comma-joined, path parameters decoded, binary bodies base64-encoded, and the
 * JWT authorizer's claims rendered as strings.
 */

export interface RequestFacts {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly localPort: number;
  readonly routeKey: string;
  readonly pathParameters: Readonly<Record<string, string>>;
  /** Verified claims (jwt routes only). */
  readonly claims?: Readonly<Record<string, unknown>>;
  readonly now?: Date;
}

/** Content types API Gateway passes as text; anything else arrives base64-encoded. */
const TEXT_MEDIA_TYPE =
  /^(?:text\/|application\/(?:[\w.+-]+\+)?(?:json|xml)$|application\/(?:javascript|x-www-form-urlencoded)$)/;

export function isTextBody(contentType: string | undefined, body: Buffer): boolean {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType !== '' && !TEXT_MEDIA_TYPE.test(mediaType)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(body);
    return true;
  } catch {
    return false;
  }
}

/**
 * One claim as API Gateway's JWT authorizer passes it: strings as they are, numbers and booleans
 * as their text, arrays as `[a b]`, objects as JSON.
 */
export function apiGatewayClaimValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map((item) => apiGatewayClaimValue(item)).join(' ')}]`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

export function apiGatewayClaims(claims: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(claims)
      .filter(([, value]) => value !== undefined && value !== null)
      .map(([key, value]) => [key, apiGatewayClaimValue(value)]),
  );
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** `12/Mar/2026:19:03:58 +0000`, API Gateway's requestContext.time format. */
export function apiGatewayTime(date: Date): string {
  return (
    `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}

function joinHeaders(headers: IncomingHttpHeaders): { headers: Record<string, string>; cookies: string[] } {
  const joined: Record<string, string> = {};
  let cookies: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower === 'cookie') {
      const text = Array.isArray(value) ? value.join('; ') : value;
      cookies = text
        .split(';')
        .map((cookie) => cookie.trim())
        .filter((cookie) => cookie.length > 0);
      continue;
    }
    joined[lower] = Array.isArray(value) ? value.join(',') : value;
  }
  return { headers: joined, cookies };
}

function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    params[key] = params[key] === undefined ? value : `${params[key]},${value}`;
  }
  return Object.keys(params).length > 0 ? params : undefined;
}

export function buildEvent(facts: RequestFacts): APIGatewayProxyEventV2 {
  const now = facts.now ?? new Date();
  const { headers, cookies } = joinHeaders(facts.headers);
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ?? facts.sourceIp;
  headers['x-forwarded-proto'] = headers['x-forwarded-proto'] ?? 'http';
  headers['x-forwarded-port'] = headers['x-forwarded-port'] ?? String(facts.localPort);
  const hasBody = facts.body.length > 0;
  const text = hasBody && isTextBody(headers['content-type'], facts.body);
  const query = queryParameters(facts.rawQueryString);
  const host = headers.host ?? 'localhost';
  const requestId = randomUUID();

  const event: APIGatewayProxyEventV2 & { requestContext: { authorizer?: unknown } } = {
    version: '2.0',
    routeKey: facts.routeKey,
    rawPath: facts.rawPath,
    rawQueryString: facts.rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(query === undefined ? {} : { queryStringParameters: query }),
    ...(Object.keys(facts.pathParameters).length > 0 ? { pathParameters: { ...facts.pathParameters } } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method: facts.method,
        path: facts.rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: facts.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: facts.routeKey,
      stage: '$default',
      time: apiGatewayTime(now),
      timeEpoch: now.getTime(),
      ...(facts.claims === undefined
        ? {}
        : { authorizer: { jwt: { claims: apiGatewayClaims(facts.claims), scopes: null } } }),
    },
    ...(hasBody ? { body: text ? facts.body.toString('utf8') : facts.body.toString('base64') } : {}),
    isBase64Encoded: hasBody && !text,
  };
  return event;
}

/** The Lambda context a handler receives, with the deadline a function timeout would give it. */
export function lambdaContext(
  functionName: string,
  requestId: string,
  timeoutMs = API_FUNCTION_TIMEOUT_SECONDS * 1_000,
): Context {
  const deadline = Date.now() + timeoutMs;
  const fail = (): never => {
    throw new Error('callback-style completion is not supported; return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: fail,
    fail,
    succeed: fail,
  };
}
