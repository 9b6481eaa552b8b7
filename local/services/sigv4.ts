import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Verifies an AWS Signature Version 4 on a request to the local object store (header-signed SDK
 * calls and presigned URLs), as S3 does: the canonical request rebuilt from what arrived, signed
 * with this runtime's secret, compared in constant time; a presigned URL also within its expiry.
 * The emulator behind it checks only that the access key id exists.
 */

export interface SignedRequest {
  readonly method: string;
  /** The request target as sent: raw path and query. */
  readonly target: string;
  readonly headers: IncomingHttpHeaders;
}

const encode = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const hmac = (key: Buffer | string, text: string): Buffer => createHmac('sha256', key).update(text).digest();

function queryPairs(query: string): [string, string][] {
  if (query === '') return [];
  return query.split('&').map((pair) => {
    const at = pair.indexOf('=');
    const [name, value] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
    return [decodeURIComponent(name.replace(/\+/g, '%20')), decodeURIComponent(value.replace(/\+/g, '%20'))];
  });
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value.join(',') : value).trim().replace(/\s+/g, ' ');
}

/** Whether the request is signed with `accessKeyId`/`secretAccessKey` (and, presigned, not expired). */
export function verifySigV4(
  request: SignedRequest,
  credentials: { readonly accessKeyId: string; readonly secretAccessKey: string },
  now: Date,
): boolean {
  try {
    const [path = '/', query = ''] = request.target.split('?', 2) as [string, string?];
    const pairs = queryPairs(query);
    const param = (name: string): string | undefined => pairs.find(([n]) => n === name)?.[1];
    let credential: string | undefined;
    let signedHeaders: string | undefined;
    let signature: string | undefined;
    let amzDate: string | undefined;
    let payloadHash: string | undefined;
    let presigned = false;
    const authorization = headerValue(request.headers, 'authorization');
    if (authorization !== undefined) {
      const match =
        /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(
          authorization,
        );
      if (match === null) return false;
      [, credential, signedHeaders, signature] = match;
      amzDate = headerValue(request.headers, 'x-amz-date');
      payloadHash = headerValue(request.headers, 'x-amz-content-sha256');
    } else {
      if (param('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return false;
      credential = param('X-Amz-Credential');
      signedHeaders = param('X-Amz-SignedHeaders');
      signature = param('X-Amz-Signature');
      amzDate = param('X-Amz-Date');
      payloadHash = 'UNSIGNED-PAYLOAD';
      presigned = true;
    }
    if (!credential || !signedHeaders || !signature || !amzDate || !payloadHash) return false;
    const [accessKeyId, date, region, service, terminator] = credential.split('/');
    if (accessKeyId !== credentials.accessKeyId || service !== 's3' || terminator !== 'aws4_request')
      return false;
    if (date === undefined || region === undefined || !amzDate.startsWith(date)) return false;
    if (presigned) {
      const at = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
      const expires = Number(param('X-Amz-Expires'));
      if (at === null || !Number.isInteger(expires) || expires < 1 || expires > 7 * 24 * 3600) return false;
      const signedAt = Date.parse(`${at[1]}-${at[2]}-${at[3]}T${at[4]}:${at[5]}:${at[6]}Z`);
      if (now.getTime() >= signedAt + expires * 1000) return false;
    }
    const names = signedHeaders.split(';');
    if (!names.includes('host')) return false;
    const canonicalHeaders = names
      .map((name) => `${name}:${headerValue(request.headers, name) ?? ''}\n`)
      .join('');
    const canonicalQuery = pairs
      .filter(([name]) => !(presigned && name === 'X-Amz-Signature'))
      .map(([name, value]) => [encode(name), encode(value)] as const)
      .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
      .map(([name, value]) => `${name}=${value}`)
      .join('&');
    const canonicalRequest = [
      request.method.toUpperCase(),
      path,
      canonicalQuery,
      canonicalHeaders,
      signedHeaders,
      payloadHash,
    ].join('\n');
    const scope = `${date}/${region}/${service}/aws4_request`;
    const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
    const key = hmac(
      hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date), region), service),
      'aws4_request',
    );
    const expected = createHmac('sha256', key).update(stringToSign).digest('hex');
    return timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
  } catch {
    return false;
  }
}
