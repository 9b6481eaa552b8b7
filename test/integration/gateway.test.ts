import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/api/routes.ts';
import { loadDevAuth, type DevAuth } from '../../local/dev-auth.ts';
import { createGateway } from '../../local/gateway/gateway.ts';
import { FIXTURE_ROUTES } from '../support/http-fixtures.ts';

/** The HTTP foundation through real sockets: route table, gateway, token checks, middy stack. */

let server: Server;
let base: string;
let dataDir: string;
let auth: DevAuth;
let officer: string;
let applicant: string;
const gatewayErrors: string[] = [];

const SERVED = [
  ...ROUTES.filter((r) => r.path === '/health' || r.path === '/openapi.json'),
  ...FIXTURE_ROUTES,
];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'gateway-test-'));
  auth = await loadDevAuth(dataDir);
  officer = await auth.mintToken({ role: 'officer' });
  applicant = await auth.mintToken({ role: 'applicant', enterprises: ['ENT0000001'] });
  server = createGateway({
    routes: SERVED,
    auth: (token) => auth.verifyToken(token),
    maxBodyBytes: 1024 * 1024,
    onError: (_err, routeKey) => gatewayErrors.push(routeKey),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dataDir, { recursive: true, force: true });
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const jsonHeaders = (token?: string) => ({
  'content-type': 'application/json',
  ...(token ? bearer(token) : {}),
});

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: { in: string; path: string; message: string }[];
  [key: string]: unknown;
}

async function expectProblem(response: Response, status: number, code: string): Promise<Problem> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const problem = (await response.json()) as Problem;
  expect(problem).toMatchObject({ status, code });
  expect(problem.type).toBe(
    `https://credit-repair.example/problems/${code.toLowerCase().replaceAll('_', '-')}`,
  );
  expect(typeof problem.title).toBe('string');
  expect(typeof problem.detail).toBe('string');
  return problem;
}

describe('the service routes', () => {
  it('GET /health answers ok', async () => {
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GET /openapi.json serves an OpenAPI 3.1 document of every route in the table', async () => {
    const response = await fetch(`${base}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(document.openapi).toBe('3.1.0');
    for (const route of ROUTES) {
      expect(
        document.paths[route.path]?.[route.method.toLowerCase()],
        `${route.method} ${route.path}`,
      ).toBeDefined();
    }
  });
});

describe('authentication and roles', () => {
  it('401 without a token, before the handler reads the body', async () => {
    const response = await fetch(`${base}/widgets`, {
      method: 'POST',
      headers: jsonHeaders(),
      body: '{not json',
    });
    const problem = await expectProblem(response, 401, 'UNAUTHORIZED');
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(problem.detail).toMatch(/token/);
  });

  it('401 with a token this gateway did not sign', async () => {
    const other = await loadDevAuth(join(dataDir, 'elsewhere'));
    const forged = await other.mintToken({ role: 'officer' });
    await expectProblem(
      await fetch(`${base}/widgets`, { method: 'POST', headers: jsonHeaders(forged), body: '{}' }),
      401,
      'UNAUTHORIZED',
    );
    await expectProblem(
      await fetch(`${base}/widgets`, { method: 'POST', headers: jsonHeaders('not.a.jwt'), body: '{}' }),
      401,
      'UNAUTHORIZED',
    );
  });

  it('403 when the role is not allowed', async () => {
    const response = await fetch(`${base}/widgets`, {
      method: 'POST',
      headers: jsonHeaders(applicant),
      body: JSON.stringify({ name: 'a', count: 1 }),
    });
    await expectProblem(response, 403, 'FORBIDDEN');
  });

  it('an applicant acts only for its enterprises; an officer for all', async () => {
    const own = await fetch(`${base}/own/ENT0000001`, { headers: bearer(applicant) });
    expect(own.status).toBe(200);
    expect(await own.json()).toEqual({ id: 'ENT0000001', role: 'applicant' });
    await expectProblem(
      await fetch(`${base}/own/ENT0000002`, { headers: bearer(applicant) }),
      403,
      'FORBIDDEN',
    );
    expect((await fetch(`${base}/own/ENT0000002`, { headers: bearer(officer) })).status).toBe(200);
  });

  it('an officer reaches the handler, which sees the verified subject', async () => {
    const response = await fetch(`${base}/widgets`, {
      method: 'POST',
      headers: jsonHeaders(officer),
      body: JSON.stringify({ name: 'gear', count: 3, ignored: true }),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ widget: { name: 'gear', count: 3 }, by: 'officer-local' });
  });
});

describe('bad input gets a problem document, never a 5xx', () => {
  it('400 MALFORMED_JSON', async () => {
    const response = await fetch(`${base}/widgets`, {
      method: 'POST',
      headers: jsonHeaders(officer),
      body: '{"name": "a",',
    });
    await expectProblem(response, 400, 'MALFORMED_JSON');
  });

  it('400 VALIDATION_FAILED for wrong types, listing each field', async () => {
    const response = await fetch(`${base}/widgets`, {
      method: 'POST',
      headers: jsonHeaders(officer),
      body: JSON.stringify({ name: 42, count: 'three' }),
    });
    const problem = await expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(problem.errors?.map((e) => `${e.in}:${e.path}`).sort()).toEqual(['body:count', 'body:name']);
  });

  it('400 VALIDATION_FAILED for a bad path parameter', async () => {
    const problem = await expectProblem(
      await fetch(`${base}/own/lowercase!`, { headers: bearer(officer) }),
      400,
      'VALIDATION_FAILED',
    );
    expect(problem.errors?.[0]).toMatchObject({ in: 'path', path: 'id' });
  });

  it('400 for query and header issues together', async () => {
    const problem = await expectProblem(await fetch(`${base}/search?limit=ten`), 400, 'VALIDATION_FAILED');
    expect(problem.errors?.map((e) => `${e.in}:${e.path}`).sort()).toEqual([
      'header:idempotency-key',
      'query:limit',
    ]);
    const ok = await fetch(`${base}/search?limit=10&q=a&q=b`, { headers: { 'Idempotency-Key': 'k-1' } });
    expect(ok.status).toBe(200);
    // Repeated query parameters arrive comma-joined, as API Gateway passes them.
    expect(await ok.json()).toEqual({ query: { limit: '10', q: 'a,b' }, key: 'k-1' });
  });

  it('415 for a body that is not JSON where JSON is expected', async () => {
    const response = await fetch(`${base}/widgets`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...bearer(officer) },
      body: 'name=a',
    });
    await expectProblem(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('413 for a body over the handler limit (64 KiB)', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(70 * 1024), count: 1 });
    const response = await fetch(`${base}/widgets`, { method: 'POST', headers: jsonHeaders(officer), body });
    await expectProblem(response, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('413 from the gateway for a body over 1 MiB', async () => {
    const body = 'x'.repeat(1024 * 1024 + 10);
    const response = await fetch(`${base}/form`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const problem = await expectProblem(response, 413, 'PAYLOAD_TOO_LARGE');
    expect(problem.maxBytes).toBe(1024 * 1024);
  });

  it('404 NOT_FOUND for an unknown route', async () => {
    await expectProblem(await fetch(`${base}/nowhere`), 404, 'NOT_FOUND');
    await expectProblem(await fetch(`${base}/health/`), 404, 'NOT_FOUND');
  });

  it('405 METHOD_NOT_ALLOWED for a known path with another method, with Allow', async () => {
    const response = await fetch(`${base}/health`, { method: 'DELETE' });
    await expectProblem(response, 405, 'METHOD_NOT_ALLOWED');
    expect(response.headers.get('allow')).toBe('GET');
    const head = await fetch(`${base}/own/ENT0000001`, { method: 'HEAD' });
    expect(head.status).toBe(405);
  });

  it('a urlencoded form reaches its handler; JSON to a form route is 415', async () => {
    const ok = await fetch(`${base}/form`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'decision=APPROVE&comment=fine+by+me',
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect(ok.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await ok.text()).toBe('<p>APPROVE</p>');
    const wrong = await fetch(`${base}/form`, {
      method: 'POST',
      headers: jsonHeaders(),
      body: '{"decision":"APPROVE"}',
    });
    await expectProblem(wrong, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('domain and rule errors keep their codes and details', async () => {
    const conflict = await expectProblem(
      await fetch(`${base}/conflict`, { method: 'POST' }),
      409,
      'WRONG_STATUS',
    );
    expect(conflict.status).toBe(409);
    expect(conflict.detail).toBe('the application is not awaiting evidence');
    const refused = await expectProblem(
      await fetch(`${base}/refused`, { method: 'POST' }),
      422,
      'NOT_ELIGIBLE',
    );
    expect(refused.earliestApplicationOn).toBe('2026-09-01');
    expect(refused.reasons).toEqual([
      { code: 'RECTIFICATION_PERIOD_NOT_MET', detail: 'wait', earliestApplicationOn: '2026-09-01' },
    ]);
  });
});

describe('failures on our side', () => {
  it('a handler bug is a 500 INTERNAL that reveals nothing', async () => {
    const response = await fetch(`${base}/crash`);
    const problem = await expectProblem(response, 500, 'INTERNAL');
    expect(JSON.stringify(problem)).not.toMatch(/secret|connection/);
  });

  it('a route whose handler is not written yet answers 501, and the gateway says why', async () => {
    const before = gatewayErrors.length;
    await expectProblem(await fetch(`${base}/not-written-yet`), 501, 'NOT_IMPLEMENTED');
    expect(gatewayErrors.slice(before)).toEqual(['GET /not-written-yet']);
  });
});
