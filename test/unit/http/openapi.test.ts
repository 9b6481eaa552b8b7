import { describe, expect, it } from 'vitest';
import { object, string } from 'zod';
import { RESPONSE_SCHEMAS } from '../../../functions/api/response-schemas.ts';
import { ROUTES } from '../../../functions/api/routes.ts';
import { buildOpenApi } from '../../../functions/http/openapi.ts';
import type { RouteDefinition } from '../../../functions/http/route.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const document = buildOpenApi(ROUTES, RESPONSE_SCHEMAS) as Json;

/** Every `$ref` anywhere in a value. */
function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => refsIn(item, found));
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') found.push(inner);
      else refsIn(inner, found);
    }
  }
  return found;
}

describe('buildOpenApi over the route table', () => {
  it('is OpenAPI 3.1 with one operation per route, named by its export', () => {
    expect(document.openapi).toBe('3.1.0');
    const operations = ROUTES.map((route) => document.paths[route.path]?.[route.method.toLowerCase()]);
    expect(operations.every((operation) => operation !== undefined)).toBe(true);
    expect(operations.map((operation) => operation.operationId)).toEqual(
      ROUTES.map((route) => route.exportName),
    );
    expect(new Set(ROUTES.map((route) => route.exportName)).size).toBe(ROUTES.length);
  });

  it('covers every route of CONTRACT.md', () => {
    const keys = ROUTES.map((route) => `${route.method} ${route.path}`).sort();
    expect(keys).toEqual(
      [
        'GET /health',
        'GET /openapi.json',
        'POST /enterprises',
        'GET /enterprises/{id}',
        'POST /enterprises/{id}/facts',
        'POST /enterprises/{id}/facts/{factId}/payment',
        'POST /enterprises/{id}/facts/{factId}/void',
        'PUT /reviewers/{party}',
        'GET /reviewers',
        'POST /reviewers/{party}/changes/{changeId}/confirm',
        'POST /reviewers/{party}/changes/{changeId}/cancel',
        'GET /reviewers/{party}/history',
        'POST /applications',
        'GET /applications/{id}',
        'GET /applications',
        'POST /applications/{id}/evidence',
        'POST /applications/{id}/evidence/submit',
        'POST /applications/{id}/withdraw',
        'GET /review/{linkId}',
        'POST /review/{linkId}',
        'GET /review/{linkId}/documents/{evidenceId}',
        'GET /public/credit/{enterpriseId}',
        // The console's reads (issue 16).
        'GET /enterprises',
        'GET /enterprises/{id}/eligibility',
        'GET /enterprises/{id}/events',
        'GET /applications/{id}/workflow',
      ].sort(),
    );
  });

  it('every reference resolves to a component', () => {
    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref.startsWith('#/components/schemas/'), ref).toBe(true);
      expect(document.components.schemas[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
    }
  });

  it('nested named schemas are referenced, not copied', () => {
    const factWithEnterprise = document.components.schemas.FactWithEnterprise;
    expect(factWithEnterprise.properties.enterprise).toEqual({ $ref: '#/components/schemas/Enterprise' });
  });

  it("lists API Gateway's own 401, 413 and 429 answers as {message} JSON beside the handlers' problem documents", () => {
    const gatewayMessage = document.components.schemas.GatewayMessage;
    expect(gatewayMessage).toMatchObject({ type: 'object', required: ['message'] });
    for (const route of ROUTES) {
      const responses = document.paths[route.path][route.method.toLowerCase()].responses;
      const expected: [number, string, boolean][] = [
        [401, 'Unauthorized', route.auth === 'jwt'],
        [413, 'Request Entity Too Large', route.request?.body !== undefined],
        [429, 'Too Many Requests', true],
      ];
      for (const [status, message, applies] of expected) {
        const content = responses[status]?.content?.['application/json'];
        if (!applies) {
          expect(content, `${route.exportName} ${status}`).toBeUndefined();
          continue;
        }
        expect(content, `${route.exportName} ${status}`).toEqual({
          schema: { $ref: '#/components/schemas/GatewayMessage' },
          example: { message },
        });
        expect(responses[status].description).toContain('API Gateway');
      }
      // The handler's own 401 (the embedded gateway and handlers) stays a problem document.
      if (route.auth === 'jwt') expect(responses[401].content['application/problem+json']).toBeDefined();
    }
  });

  it('jwt routes need the bearer scheme; public ones need nothing', () => {
    expect(document.components.securitySchemes.bearerJwt).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const route of ROUTES) {
      const operation = document.paths[route.path][route.method.toLowerCase()];
      expect(operation.security).toEqual(route.auth === 'jwt' ? [{ bearerJwt: [] }] : []);
      expect('401' in operation.responses).toBe(route.auth === 'jwt');
    }
  });

  it('POST /applications requires the Idempotency-Key header', () => {
    const operation = document.paths['/applications'].post;
    expect(operation.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }),
    );
    expect(operation.responses['409'].description).toContain('IDEMPOTENCY_KEY_REUSED');
    expect(operation.responses['422'].content['application/problem+json'].schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });
  });

  it('describes requests as clients send them: money as a number or a decimal string', () => {
    const fine = document.components.schemas.RecordFactRequest.oneOf.find(
      (variant: Json) => variant.properties.type.const === 'FINE',
    );
    expect(fine.properties.amount.type).toEqual(['number', 'string']);
    expect(fine.required).toEqual(expect.arrayContaining(['amount', 'imposedOn', 'dueOn']));
  });

  it('path and query parameters come from their schemas', () => {
    const list = document.paths['/applications'].get;
    expect(list.parameters.map((p: Json) => [p.name, p.in, p.required])).toEqual([
      ['enterpriseId', 'query', false],
      ['status', 'query', false],
      ['limit', 'query', false],
      ['nextToken', 'query', false],
    ]);
    const payment = document.paths['/enterprises/{id}/facts/{factId}/payment'].post;
    expect(payment.parameters.map((p: Json) => [p.name, p.in, p.required])).toEqual([
      ['id', 'path', true],
      ['factId', 'path', true],
    ]);
  });

  it('the review form is documented as urlencoded with HTML answers', () => {
    const decide = document.paths['/review/{linkId}'].post;
    expect(Object.keys(decide.requestBody.content)).toEqual(['application/x-www-form-urlencoded']);
    expect(Object.keys(decide.responses['410'].content)).toEqual(['text/html']);
  });
});

describe('buildOpenApi refuses an inconsistent table', () => {
  const base: RouteDefinition = {
    method: 'GET',
    path: '/x',
    module: 'm.ts',
    exportName: 'x',
    auth: 'public',
    tag: 't',
    summary: 's',
    responses: {},
  };

  it('a route listed twice', () => {
    expect(() => buildOpenApi([base, { ...base, exportName: 'y' }], {})).toThrow(/listed twice/);
  });

  it('two schemas under one name', () => {
    const a = { name: 'Thing', schema: object({ a: string() }) };
    const b = { name: 'Thing', schema: object({ b: string() }) };
    expect(() =>
      buildOpenApi(
        [
          { ...base, method: 'POST', request: { body: a }, responses: {} },
          { ...base, method: 'POST', path: '/y', request: { body: b }, responses: {} },
        ],
        {},
      ),
    ).toThrow(/two schemas are named Thing/);
  });

  it('a response naming a schema it is not given', () => {
    expect(() =>
      buildOpenApi([{ ...base, responses: { 200: { description: 'a', schema: 'Thing' } } }], {
        Other: object({ a: string() }),
      }),
    ).toThrow(/x 200: no response schema named Thing/);
  });

  it('a response schema no route names', () => {
    expect(() =>
      buildOpenApi([{ ...base, responses: { 200: { description: 'a', schema: 'Thing' } } }], {
        Thing: object({ a: string() }),
        Spare: object({ b: string() }),
      }),
    ).toThrow(/response schemas no route names: Spare/);
  });
});

describe('the response schemas (functions/api/response-schemas.ts)', () => {
  it('hold exactly the schemas the route entries name', () => {
    const named = new Set(
      ROUTES.flatMap((route) =>
        Object.values(route.responses).flatMap((response) =>
          response.schema === undefined ? [] : [response.schema],
        ),
      ),
    );
    expect(Object.keys(RESPONSE_SCHEMAS).sort()).toEqual([...named].sort());
  });
});
