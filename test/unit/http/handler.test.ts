import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { object, string } from 'zod';
import { bodilessRouteHandler } from '../../../functions/http/bodiless-handler.ts';
import { httpHandler, routeHandler } from '../../../functions/http/handler.ts';
import { mediaTypeOf, parseForm } from '../../../functions/http/middleware.ts';
import { escapeHtml } from '../../../functions/pages/html-escape.ts';
import { html, json } from '../../../functions/http/response.ts';
import {
  createLogger,
  redactSecrets,
  REDACTED,
  setApplicationCorrelation,
} from '../../../functions/observability/logger.ts';
import { lambdaContext } from '../../../local/gateway/event.ts';

/** The middy stack invoked directly, as Lambda does, without the gateway in front. */

const context: Context = lambdaContext('test', 'req-1');

function event(
  overrides: Partial<APIGatewayProxyEventV2> & { claims?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  const { claims, ...rest } = overrides;
  return {
    version: '2.0',
    routeKey: 'POST /things',
    rawPath: '/things',
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: {
      accountId: '1',
      apiId: 'a',
      domainName: 'd',
      domainPrefix: 'd',
      http: { method: 'POST', path: '/things', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 't' },
      requestId: 'req-1',
      routeKey: 'POST /things',
      stage: '$default',
      time: '',
      timeEpoch: 0,
      // The authorizer passes `exp` with every token it admits; a row below takes it away.
      ...(claims === undefined
        ? {}
        : { authorizer: { jwt: { claims: { exp: '4102444800', ...claims }, scopes: null } } }),
    },
    ...rest,
  } as APIGatewayProxyEventV2;
}

const quiet = createLogger({ logLevel: 'SILENT' });
const officer = { sub: 'o-1', role: 'officer' };

const create = httpHandler({
  auth: 'required',
  roles: ['officer'],
  body: object({ name: string() }),
  logger: quiet,
  handle: async ({ body, principal }) => json(201, { name: body.name, by: principal.subject }),
});

const problemOf = (result: Awaited<ReturnType<typeof create>>) => ({
  status: result.statusCode,
  contentType: result.headers?.['content-type'],
  ...(JSON.parse(result.body ?? '{}') as { code?: string }),
});

describe('httpHandler', () => {
  it('passes a valid request through and serialises the JSON result', async () => {
    const result = await create(
      event({
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        body: '{"name":"n"}',
        claims: officer,
      }),
      context,
    );
    expect(result.statusCode).toBe(201);
    expect(result.headers?.['content-type']).toBe('application/json');
    expect(JSON.parse(result.body ?? '')).toEqual({ name: 'n', by: 'o-1' });
  });

  it('reads base64-encoded bodies', async () => {
    const body = Buffer.from('{"name":"b64"}').toString('base64');
    const result = await create(
      event({
        headers: { 'content-type': 'application/json' },
        body,
        isBase64Encoded: true,
        claims: officer,
      }),
      context,
    );
    expect(JSON.parse(result.body ?? '')).toMatchObject({ name: 'b64' });
  });

  it.each([
    ['no claims', {}, 401, 'UNAUTHORIZED'],
    ['claims without a role', { claims: { sub: 'x' } }, 403, 'FORBIDDEN'],
    ['claims without exp', { claims: { sub: 'x', role: 'officer', exp: '' } }, 401, 'UNAUTHORIZED'],
    [
      'a role outside the route',
      { claims: { sub: 'x', role: 'applicant', enterprises: '[A]' } },
      403,
      'FORBIDDEN',
    ],
    ['no body', { claims: officer, headers: { 'content-type': 'application/json' } }, 400, 'MALFORMED_JSON'],
    [
      'a text body',
      { claims: officer, headers: { 'content-type': 'text/plain' }, body: 'x' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    ['no content type', { claims: officer, body: '{"name":"n"}' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [
      'bad JSON',
      { claims: officer, headers: { 'content-type': 'application/json' }, body: '{' },
      400,
      'MALFORMED_JSON',
    ],
    [
      'a wrong type',
      { claims: officer, headers: { 'content-type': 'application/json' }, body: '{"name":1}' },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'JSON null',
      { claims: officer, headers: { 'content-type': 'application/json' }, body: 'null' },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a body over 64 KiB',
      {
        claims: officer,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x'.repeat(65 * 1024) }),
      },
      413,
      'PAYLOAD_TOO_LARGE',
    ],
  ] as const)('answers %s with a problem document', async (_label, overrides, status, code) => {
    const problem = problemOf(await create(event(overrides as Partial<APIGatewayProxyEventV2>), context));
    expect(problem).toMatchObject({ status, code, contentType: 'application/problem+json' });
  });

  it('a custom body limit applies to the decoded bytes', async () => {
    const small = httpHandler({
      auth: 'public',
      body: object({ name: string() }),
      maxBodyBytes: 11,
      logger: quiet,
      handle: async () => json(204),
    });
    const atLimit = await small(
      event({ headers: { 'content-type': 'application/json' }, body: '{"name":""}' }),
      context,
    );
    expect(atLimit.statusCode).toBe(204);
    const over = await small(
      event({ headers: { 'content-type': 'application/json' }, body: '{"name":"é"}' }),
      context,
    );
    expect(problemOf(over)).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('a 204 has no body and no content type', async () => {
    const empty = httpHandler({ auth: 'public', logger: quiet, handle: async () => json(204) });
    const result = await empty(event(), context);
    expect(result.statusCode).toBe(204);
    expect(result.body).toBeUndefined();
    expect(result.headers?.['content-type']).toBeUndefined();
  });

  it('HTML results get the page headers', async () => {
    const page = httpHandler({ auth: 'public', logger: quiet, handle: async () => html(410, '<p>gone</p>') });
    const result = await page(event(), context);
    expect(result.statusCode).toBe(410);
    expect(result.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    });
    expect(String(result.headers?.['content-security-policy'])).toContain("default-src 'none'");
  });

  it('a public route still sees a principal when a token came along', async () => {
    const whoami = httpHandler({
      auth: 'public',
      logger: quiet,
      handle: async ({ principal }) => json(200, { who: principal?.subject ?? null }),
    });
    expect(JSON.parse((await whoami(event({ claims: officer }), context)).body ?? '')).toEqual({
      who: 'o-1',
    });
    expect(JSON.parse((await whoami(event(), context)).body ?? '')).toEqual({ who: null });
  });
});

describe('helpers', () => {
  it('mediaTypeOf drops parameters and case', () => {
    expect(mediaTypeOf('Application/JSON; charset=UTF-8')).toBe('application/json');
    expect(mediaTypeOf(undefined)).toBe('');
  });

  it('parseForm keeps repeated fields as lists', () => {
    expect(parseForm('a=1&b=x+y&a=2&c=%26')).toEqual({ a: ['1', '2'], b: 'x y', c: '&' });
  });

  it('escapeHtml escapes markup and quotes', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('logger', () => {
  afterEach(() => vi.restoreAllMocks());

  it('redactSecrets blanks secret keys at any depth', () => {
    const text = JSON.stringify(
      {
        linkId: 'L',
        nested: { taskToken: 'T', nonce: 'N', Authorization: 'Bearer x', keep: 'k' },
        nextToken: 'p',
      },
      redactSecrets,
    );
    expect(JSON.parse(text)).toEqual({
      linkId: REDACTED,
      nested: { taskToken: REDACTED, nonce: REDACTED, Authorization: REDACTED, keep: 'k' },
      nextToken: REDACTED,
    });
  });

  it('never writes a link id, token or nonce, and tags lines with the application id', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const log = createLogger({ logLevel: 'INFO' });
    setApplicationCorrelation('APP-123', log);
    log.info('review opened', {
      linkId: 'secret-link',
      review: { taskToken: 'secret-token', nonce: 'n0nce' },
    });
    const output = lines.join('');
    expect(output).toContain('review opened');
    expect(output).not.toMatch(/secret-link|secret-token|n0nce/);
    const entry = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    expect(entry).toMatchObject({
      service: 'credit-repair',
      correlation_id: 'APP-123',
      applicationId: 'APP-123',
    });
  });
});

describe('routeHandler', () => {
  const route = {
    auth: 'jwt',
    roles: ['officer'],
    request: {
      params: object({ id: string().regex(/^T\d+$/) }),
      body: { name: 'Thing', schema: object({ name: string().min(1) }) },
    },
  } as const;
  const handler = routeHandler(
    route,
    async ({ params, body, principal }) =>
      json(200, { id: params.id, name: body.name, by: principal.subject }),
    {
      logger: quiet,
    },
  );
  const post = (body: string, claims: Record<string, string>, id = 'T1') =>
    handler(
      event({ body, headers: { 'content-type': 'application/json' }, pathParameters: { id }, claims }),
      context,
    );

  it('admits only the roles of its route entry', async () => {
    expect((await post('{"name":"a"}', officer)).statusCode).toBe(200);
    const applicant = await post('{"name":"a"}', { sub: 'a-1', role: 'applicant', enterprises: 'E1' });
    expect(problemOf(applicant)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it('parses the path and body with the schemas of its route entry', async () => {
    const ok = await post('{"name":"a"}', officer);
    expect(JSON.parse(ok.body ?? '{}')).toEqual({ id: 'T1', name: 'a', by: 'o-1' });
    const bad = await post('{"name":""}', officer, 'X1');
    expect(problemOf(bad)).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(
      JSON.parse(bad.body ?? '{}')
        .errors.map((e: { in: string }) => e.in)
        .sort(),
    ).toEqual(['body', 'path']);
  });

  it('leaves a pages route’s path and form to its handler, still within its size limit', async () => {
    const page = routeHandler(
      {
        auth: 'public',
        pages: true,
        maxBodyBytes: 16,
        request: {
          params: route.request.params,
          body: { name: 'F', schema: object({}), mediaType: 'application/x-www-form-urlencoded' },
        },
      },
      async ({ params, body }) => html(200, `${params.id ?? ''}:${JSON.stringify(body)}`),
      { logger: quiet },
    );
    const form = (body: string) =>
      page(
        event({
          body,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          pathParameters: { id: 'not-a-T' },
        }),
        context,
      );
    expect((await form('a=1&a=2')).body).toBe('not-a-T:{"a":["1","2"]}');
    expect(problemOf(await form('x='.padEnd(20, 'y')))).toMatchObject({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    });
  });
});

describe('bodilessRouteHandler', () => {
  const route = {
    auth: 'jwt',
    roles: ['officer'],
    request: { params: object({ id: string().regex(/^T\d+$/) }) },
  } as const;
  const handle = async ({
    params,
    body,
    principal,
  }: {
    params: { id: string };
    body: undefined;
    principal: { subject: string };
  }) => json(200, { id: params.id, body: body ?? null, by: principal.subject });
  const bodiless = bodilessRouteHandler(route, handle, { logger: quiet });
  const full = routeHandler(route, handle, { logger: quiet });

  it('answers every request as routeHandler answers it for the same entry', async () => {
    const requests: Partial<APIGatewayProxyEventV2>[] = [
      { pathParameters: { id: 'T1' } },
      { pathParameters: { id: 'X1' } },
      // A body the route does not declare is ignored by both, whatever it holds.
      { pathParameters: { id: 'T2' }, body: '{not json', headers: { 'content-type': 'text/plain' } },
      { pathParameters: { id: 'T3' }, body: 'x'.repeat(100_000) },
    ];
    for (const overrides of requests) {
      for (const claims of [officer, { sub: 'a-1', role: 'applicant', enterprises: 'E1' }, undefined]) {
        const request = () => event({ ...overrides, ...(claims === undefined ? {} : { claims }) });
        expect(await bodiless(request(), context)).toEqual(await full(request(), context));
      }
    }
    expect(
      (await bodiless(event({ pathParameters: { id: 'T1' }, claims: officer }), context)).statusCode,
    ).toBe(200);
  });

  it('refuses an entry that declares a body, which it would never parse', () => {
    const withBody = { auth: 'public', request: { body: { name: 'B', schema: object({}) } } } as const;
    // @ts-expect-error -- the types refuse it too
    expect(() => bodilessRouteHandler(withBody, async () => json(200))).toThrow(/takes a body/);
  });
});
