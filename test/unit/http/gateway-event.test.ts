import { describe, expect, it } from 'vitest';
import { apiGatewayTime, buildEvent, isTextBody } from '../../../local/gateway/event.ts';
import { Router } from '../../../functions/http/route-matcher.ts';

describe('Router', () => {
  const router = new Router([
    { method: 'GET', path: '/applications/{id}' },
    { method: 'GET', path: '/applications/mine' },
    { method: 'POST', path: '/applications/{id}/evidence/submit' },
    { method: 'POST', path: '/applications/{id}/evidence' },
    { method: 'GET', path: '/files/{key+}' },
  ] as const);

  it('prefers literal segments over parameters', () => {
    expect(router.match('GET', '/applications/mine')).toMatchObject({ kind: 'found', params: {} });
    expect(router.match('GET', '/applications/A1')).toMatchObject({ kind: 'found', params: { id: 'A1' } });
  });

  it('decodes path parameters; a malformed escape matches nothing', () => {
    expect(router.match('GET', '/applications/a%20b')).toMatchObject({ params: { id: 'a b' } });
    expect(router.match('GET', '/applications/%E0%A4%A')).toEqual({ kind: 'not-found' });
  });

  it('a malformed escape is not a wrong method: no route with that template claims it', () => {
    const review = new Router([
      { method: 'GET', path: '/review/{linkId}' },
      { method: 'POST', path: '/review/{linkId}' },
    ] as const);
    // GET is served on this template; a 405 that allows only POST would send a client astray.
    for (const method of ['GET', 'POST', 'DELETE']) {
      expect(review.match(method, '/review/%E0%A4%A')).toEqual({ kind: 'not-found' });
    }
  });

  it('greedy parameters take the rest of the path', () => {
    expect(router.match('GET', '/files/a/b/c.pdf')).toMatchObject({ params: { key: 'a/b/c.pdf' } });
  });

  it('tells a wrong method from an unknown path', () => {
    expect(router.match('DELETE', '/applications/A1')).toEqual({ kind: 'wrong-method', allowed: ['GET'] });
    expect(router.match('POST', '/applications/A1/evidence')).toMatchObject({ kind: 'found' });
    expect(router.match('GET', '/applications/A1/')).toEqual({ kind: 'not-found' });
    expect(router.match('GET', '/')).toEqual({ kind: 'not-found' });
  });
});

describe('buildEvent', () => {
  const now = new Date(Date.UTC(2026, 2, 5, 7, 8, 9));
  const event = buildEvent({
    method: 'POST',
    rawPath: '/applications/A1/evidence',
    rawQueryString: 'a=1&a=2&b=x%20y',
    headers: {
      'content-type': 'application/json',
      cookie: 'x=1; y=2',
      'user-agent': 'ua',
      host: 'localhost:3000',
    },
    body: Buffer.from('{"k":1}'),
    sourceIp: '127.0.0.1',
    localPort: 3000,
    routeKey: 'POST /applications/{id}/evidence',
    pathParameters: { id: 'A1' },
    claims: { sub: 's', enterprises: ['E1', 'E2'], exp: 99 },
    now,
  });

  it('has the payload v2.0 shape API Gateway sends', () => {
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /applications/{id}/evidence',
      rawPath: '/applications/A1/evidence',
      rawQueryString: 'a=1&a=2&b=x%20y',
      cookies: ['x=1', 'y=2'],
      queryStringParameters: { a: '1,2', b: 'x y' },
      pathParameters: { id: 'A1' },
      body: '{"k":1}',
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'POST', path: '/applications/A1/evidence', sourceIp: '127.0.0.1', userAgent: 'ua' },
        routeKey: 'POST /applications/{id}/evidence',
        stage: '$default',
        time: '05/Mar/2026:07:08:09 +0000',
        timeEpoch: now.getTime(),
        authorizer: { jwt: { claims: { sub: 's', enterprises: '[E1 E2]', exp: '99' }, scopes: null } },
      },
    });
    expect(event.headers.cookie).toBeUndefined();
    expect(event.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('base64-encodes binary bodies and leaves out what is absent', () => {
    const binary = buildEvent({
      method: 'GET',
      rawPath: '/x',
      rawQueryString: '',
      headers: { 'content-type': 'application/pdf' },
      body: Buffer.from([0x25, 0x50, 0x44, 0x46, 0xff]),
      sourceIp: '::1',
      localPort: 1,
      routeKey: 'GET /x',
      pathParameters: {},
    });
    expect(binary.isBase64Encoded).toBe(true);
    expect(Buffer.from(binary.body ?? '', 'base64')).toEqual(Buffer.from([0x25, 0x50, 0x44, 0x46, 0xff]));
    expect(binary.queryStringParameters).toBeUndefined();
    expect(binary.pathParameters).toBeUndefined();
    expect(binary.cookies).toBeUndefined();
    expect('authorizer' in binary.requestContext).toBe(false);
  });

  it('treats JSON, forms and text as text, and invalid UTF-8 as binary', () => {
    expect(isTextBody('application/x-www-form-urlencoded', Buffer.from('a=1'))).toBe(true);
    expect(isTextBody('application/problem+json', Buffer.from('{}'))).toBe(true);
    expect(isTextBody('text/plain; charset=utf-8', Buffer.from('hi'))).toBe(true);
    expect(isTextBody(undefined, Buffer.from([0xc3, 0x28]))).toBe(false);
    expect(isTextBody('image/png', Buffer.from('x'))).toBe(false);
  });

  it('formats times as API Gateway does', () => {
    expect(apiGatewayTime(new Date(Date.UTC(2026, 11, 31, 23, 59, 1)))).toBe('31/Dec/2026:23:59:01 +0000');
  });
});
