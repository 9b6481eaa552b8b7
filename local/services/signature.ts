/**
 * AWS Signature Version 4, checked the way AWS checks it: the embedded services answer only
 * requests signed with this runtime's credentials (local/services/credentials.ts), so another local
 * user, or a web page in the developer's browser, reaches neither the database nor the workflow
 * endpoint even though they listen on loopback. Only the header form is accepted: the SDK clients
 * sign that way, and a browser cannot.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface SignedRequest {
  readonly method: string;
  /** Path and query as sent. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** How far a request's X-Amz-Date may be from this machine's clock (AWS allows 15 minutes). */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const ALGORITHM = 'AWS4-HMAC-SHA256';
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

const encode = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function canonicalQuery(query: string): string {
  if (query === '') return '';
  return query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const at = pair.indexOf('=');
      const key = decodeURIComponent(at === -1 ? pair : pair.slice(0, at));
      const value = at === -1 ? '' : decodeURIComponent(pair.slice(at + 1).replace(/\+/g, '%20'));
      return [encode(key), encode(value)] as const;
    })
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

const headerValue = (value: string | string[] | undefined): string =>
  (Array.isArray(value) ? value.join(',') : (value ?? '')).trim().replace(/\s+/g, ' ');

/** X-Amz-Date (`20260101T000000Z`) as epoch ms, or NaN. */
function amzDateMs(text: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (match === null) return Number.NaN;
  const [, y, mo, d, h, mi, s] = match;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
}

/**
 * Why the request is not signed with `credentials`, or undefined when it is. `body` is the whole
 * request body (its hash is part of the signature).
 */
export function signatureProblem(
  request: SignedRequest,
  body: Buffer,
  credentials: LocalCredentials,
  now: Date = new Date(),
): string | undefined {
  const authorization = headerValue(request.headers.authorization);
  const match = AUTHORIZATION.exec(authorization);
  if (match === null) return 'the request is not signed (Signature Version 4, in the Authorization header)';
  const [, accessKeyId = '', day = '', region = '', service = '', signedHeadersText = '', signature = ''] =
    match;
  if (accessKeyId !== credentials.accessKeyId) return 'the access key is not this runtime’s';
  const amzDate = headerValue(request.headers['x-amz-date']);
  const at = amzDateMs(amzDate);
  if (Number.isNaN(at) || !amzDate.startsWith(day)) return 'X-Amz-Date is missing or does not match';
  if (Math.abs(now.getTime() - at) > MAX_CLOCK_SKEW_MS) return 'the signature is too old or from the future';
  const signedHeaders = signedHeadersText.split(';');
  if (!signedHeaders.includes('host')) return 'the Host header is not signed';

  const payloadHash = sha256(body);
  const declared = headerValue(request.headers['x-amz-content-sha256']);
  if (declared !== '' && declared !== payloadHash) return 'the body is not the one signed';

  const url = request.url;
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = queryAt === -1 ? '' : url.slice(queryAt + 1);
  const canonicalRequest = [
    request.method.toUpperCase(),
    path === '' ? '/' : path,
    canonicalQuery(query),
    signedHeaders.map((name) => `${name}:${headerValue(request.headers[name])}\n`).join(''),
    signedHeadersText,
    declared === '' ? payloadHash : declared,
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), region), service),
    'aws4_request',
  );
  const expected = Buffer.from(hmac(key, stringToSign).toString('hex'));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? undefined
    : 'the signature does not match';
}
