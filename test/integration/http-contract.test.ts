import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, localDateIn } from '../../domain/dates.ts';
import { ROUTES } from '../../functions/api/routes.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../../functions/http/middleware.ts';
import { pathParamNames, routeKeyOf, type RouteDefinition } from '../../functions/http/route.ts';
import type { Role } from '../../functions/auth/principal.ts';
import { DEFAULT_GATEWAY_MAX_BODY_BYTES } from '../../local/gateway/gateway.ts';
import { startRuntime, type Runtime } from '../../local/runtime.ts';
import {
  expectFieldIssues,
  expectProblem,
  send,
  type Reply,
  type SendOptions,
} from '../support/http-client.ts';

/**
 * The HTTP contract (CONTRACT.md, DESIGN.md principle 7) for every route of the route table,
 * through the real gateway of the embedded runtime: without a token 401, outside the role 403,
 * malformed JSON, wrong types, oversized bodies, unknown paths and methods — each a problem
 * document, never a 5xx. The cases are derived from ROUTES, so a new route is covered as soon as
 * it is in the table (a new JSON body needs an example below; a test says so).
 */

let runtime: Runtime;
let dataDir: string;
let applicant: string;

const ALL_ROLES: readonly Role[] = ['officer', 'applicant'];

/** Bodies each JSON route accepts: the wrong-types cases are derived from them. */
const EXAMPLE_BODIES: Readonly<Record<string, Record<string, unknown>>> = {
  'POST /enterprises': { id: 'EXAM000001', name: 'Example Co', contactEmail: 'e@example.org' },
  'POST /enterprises/{id}/facts': { type: 'BRIBERY', occurredOn: '2026-01-10' },
  'POST /enterprises/{id}/facts/{factId}/payment': { paidOn: '2026-01-10' },
  'POST /enterprises/{id}/facts/{factId}/void': { reason: 'entered twice' },
  'PUT /reviewers/{party}': { name: 'A Reviewer', email: 'r@example.org', escalationEmail: 'l@example.org' },
  'POST /applications': { enterpriseId: 'DEMOREG001', statement: 'We paid everything.' },
  'POST /applications/{id}/evidence': {
    documentType: 'TAX_PAID_PROOF',
    fileName: 'receipt.pdf',
    contentType: 'application/pdf',
    size: 1000,
  },
  'POST /applications/{id}/evidence/submit': { response: 'The receipt is attached again.' },
};

/** Well-formed values for each path parameter name; the ids name nothing that exists. */
const SAMPLE_PARAMS: Readonly<Record<string, string>> = {
  id: 'NOSUCH0001',
  factId: 'nosuchfact',
  party: 'TAX',
  changeId: 'nosuchchange',
  linkId: 'A'.repeat(43),
  evidenceId: '01JNOSUCHEVIDENCE000000000',
  enterpriseId: 'NOSUCH0001',
};

/** A value no parameter schema admits (a space and a `!`, percent-encoded). */
const MALFORMED_PARAM = 'not%20valid%21';

const bodyKindOf = (route: RouteDefinition): 'json' | 'form' | undefined =>
  route.request?.body === undefined
    ? undefined
    : route.request.body.mediaType === 'application/x-www-form-urlencoded'
      ? 'form'
      : 'json';

function pathOf(route: RouteDefinition, value?: (name: string) => string): string {
  let path = route.path;
  for (const name of pathParamNames(route.path)) {
    const sample = value?.(name) ?? SAMPLE_PARAMS[name];
    if (sample === undefined) throw new Error(`add a sample value for path parameter {${name}}`);
    path = path.replace(`{${name}}`, sample);
  }
  return path;
}

const rolesOf = (route: RouteDefinition): readonly Role[] => route.roles ?? ALL_ROLES;
const tokenOf = (role: Role): string => (role === 'officer' ? runtime.tokens.officer : applicant);

/** A call with a token of a role the route admits (none on public routes) and the route's headers. */
function asAllowed(route: RouteDefinition, options: SendOptions = {}): SendOptions {
  const role = rolesOf(route)[0] ?? 'officer';
  return {
    ...(route.auth === 'jwt' ? { token: tokenOf(role) } : {}),
    ...options,
    headers: { 'idempotency-key': `contract-${Math.random()}`, ...options.headers },
  };
}

const call = (method: string, path: string, options?: SendOptions): Promise<Reply> =>
  send(runtime.url, method, path, options);

/** The example with every scalar of the wrong JSON type: strings become numbers, numbers strings. */
const withWrongTypes = (body: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(body).map(([key, value]) => [key, typeof value === 'number' ? 'twelve' : 12345]),
  );

const jwtRoutes = ROUTES.filter((route) => route.auth === 'jwt');
const restrictedRoutes = jwtRoutes.filter((route) =>
  ALL_ROLES.some((role) => !rolesOf(route).includes(role)),
);
const jsonBodyRoutes = ROUTES.filter((route) => bodyKindOf(route) === 'json');
const formBodyRoutes = ROUTES.filter((route) => bodyKindOf(route) === 'form');
const paramRoutes = ROUTES.filter((route) => pathParamNames(route.path).length > 0);
const htmlParamRoutes = paramRoutes.filter((route) =>
  Object.values(route.responses).some((response) => response.mediaType === 'text/html'),
);
const problemParamRoutes = paramRoutes.filter((route) => !htmlParamRoutes.includes(route));
const PATHS = [...new Set(ROUTES.map((route) => route.path))];
const keyOf = (route: RouteDefinition): string => routeKeyOf(route);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'http-contract-'));
  runtime = await startRuntime({ dataDir, port: 0, quiet: true, sweepIntervalMs: 3_600_000 });
  const reply = await call('GET', '/_local/token?role=applicant&enterprise=DEMOTAX001');
  applicant = reply.body.token as string;
});

afterAll(async () => {
  await runtime?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the route table the cases come from', () => {
  it('has the routes each case needs, and an example body for every JSON route', () => {
    expect(jwtRoutes.length).toBeGreaterThan(0);
    expect(restrictedRoutes.length).toBeGreaterThan(0);
    expect(formBodyRoutes.length).toBeGreaterThan(0);
    expect(jsonBodyRoutes.map(keyOf).filter((key) => EXAMPLE_BODIES[key] === undefined)).toEqual([]);
    for (const route of ROUTES) expect(() => pathOf(route)).not.toThrow();
  });
});

describe.each(jwtRoutes.map((route) => [keyOf(route), route] as const))(
  '%s without a valid token',
  (_, route) => {
    it('answers 401 UNAUTHORIZED with a Bearer challenge', async () => {
      const body = bodyKindOf(route) === 'json' ? { json: EXAMPLE_BODIES[keyOf(route)] } : {};
      for (const token of [undefined, 'not-a-jwt']) {
        const reply = await call(route.method, pathOf(route), {
          ...body,
          ...(token === undefined ? {} : { token }),
          headers: { 'idempotency-key': 'k-unauthorized' },
        });
        expectProblem(reply, 401, 'UNAUTHORIZED');
        expect(reply.headers['www-authenticate']).toBe('Bearer');
      }
    });
  },
);

describe.each(restrictedRoutes.map((route) => [keyOf(route), route] as const))(
  '%s outside its roles',
  (_, route) => {
    it('answers 403 FORBIDDEN to every other role', async () => {
      const others = ALL_ROLES.filter((role) => !rolesOf(route).includes(role));
      for (const role of others) {
        const body = bodyKindOf(route) === 'json' ? { json: EXAMPLE_BODIES[keyOf(route)] } : {};
        const reply = await call(route.method, pathOf(route), {
          ...body,
          token: tokenOf(role),
          headers: { 'idempotency-key': 'k-forbidden' },
        });
        expectProblem(reply, 403, 'FORBIDDEN');
      }
    });
  },
);

describe.each(jsonBodyRoutes.map((route) => [keyOf(route), route] as const))(
  '%s with a bad JSON body',
  (_, route) => {
    it('answers 400 MALFORMED_JSON to JSON that does not parse, and to no body at all', async () => {
      // A route whose body is optional takes no body at all (it then answers as the route does).
      const optional = route.request?.body?.optional === true;
      for (const raw of ['{"a": ', "{'single': 1}", ...(optional ? [] : [''])]) {
        expectProblem(
          await call(route.method, pathOf(route), asAllowed(route, { raw })),
          400,
          'MALFORMED_JSON',
        );
      }
    });

    it('answers 400 VALIDATION_FAILED with field issues to wrong types', async () => {
      const example = EXAMPLE_BODIES[keyOf(route)] ?? {};
      const wrong = await call(
        route.method,
        pathOf(route),
        asAllowed(route, { json: withWrongTypes(example) }),
      );
      expectFieldIssues(wrong, 'body');
      for (const issue of wrong.body.errors as { in: string; path: string }[]) {
        // Only the body was wrong; each issue names one of its fields (or the body as a whole).
        expect(issue.in).toBe('body');
        expect(['', ...Object.keys(example)]).toContain(issue.path.split('.')[0]);
      }
      for (const notAnObject of [42, 'text', [example], null]) {
        expectFieldIssues(
          await call(route.method, pathOf(route), asAllowed(route, { json: notAnObject })),
          'body',
        );
      }
    });

    it('answers 415 to a body of another media type', async () => {
      const reply = await call(
        route.method,
        pathOf(route),
        asAllowed(route, { raw: 'a=1', contentType: 'text/plain' }),
      );
      expectProblem(reply, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('answers 413 PAYLOAD_TOO_LARGE to a body over the handler limit', async () => {
      const raw = JSON.stringify({
        ...EXAMPLE_BODIES[keyOf(route)],
        pad: 'x'.repeat(DEFAULT_MAX_BODY_BYTES),
      });
      const reply = await call(route.method, pathOf(route), asAllowed(route, { raw }));
      expectProblem(reply, 413, 'PAYLOAD_TOO_LARGE');
      expect(reply.body.maxBytes).toBe(DEFAULT_MAX_BODY_BYTES);
    });
  },
);

describe.each(formBodyRoutes.map((route) => [keyOf(route), route] as const))(
  '%s with a bad form body',
  (_, route) => {
    it('answers problems for what is not a form at all: empty, another media type, too large', async () => {
      expectProblem(
        await call(route.method, pathOf(route), {
          raw: '',
          contentType: 'application/x-www-form-urlencoded',
        }),
        400,
        'MALFORMED_FORM',
      );
      expectProblem(
        await call(route.method, pathOf(route), { json: { decision: 'APPROVE' } }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      const big = `decision=APPROVE&comment=${'x'.repeat(DEFAULT_MAX_BODY_BYTES)}`;
      expectProblem(
        await call(route.method, pathOf(route), {
          raw: big,
          contentType: 'application/x-www-form-urlencoded',
        }),
        413,
        'PAYLOAD_TOO_LARGE',
      );
    });
  },
);

describe.each(ROUTES.map((route) => [keyOf(route), route] as const))('%s at the gateway', (_, route) => {
  it('answers 413 to a body over the gateway limit, whatever the route', async () => {
    const raw = Buffer.alloc(DEFAULT_GATEWAY_MAX_BODY_BYTES + 1, 0x20);
    const reply = await call(route.method, pathOf(route), asAllowed(route, { raw }));
    expectProblem(reply, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers 404 NOT_FOUND for a path below it that no route serves', async () => {
    const reply = await call(route.method, `${pathOf(route)}/no-such-route/at-all`, asAllowed(route));
    expectProblem(reply, 404, 'NOT_FOUND');
  });
});

describe.each(problemParamRoutes.map((route) => [keyOf(route), route] as const))(
  '%s with a malformed path parameter',
  (_, route) => {
    it('answers 400 VALIDATION_FAILED naming the parameter', async () => {
      const json = bodyKindOf(route) === 'json' ? { json: EXAMPLE_BODIES[keyOf(route)] } : {};
      const reply = await call(
        route.method,
        pathOf(route, () => MALFORMED_PARAM),
        asAllowed(route, json),
      );
      expectFieldIssues(reply, 'path');
    });
  },
);

describe.each(htmlParamRoutes.map((route) => [keyOf(route), route] as const))(
  '%s (an HTML page route) with a malformed path parameter',
  (_, route) => {
    it('answers the 404 page, as for an unknown link', async () => {
      const form =
        route.method === 'POST'
          ? {
              raw: `decision=APPROVE&nonce=${'n'.repeat(22)}`,
              contentType: 'application/x-www-form-urlencoded',
            }
          : {};
      const reply = await call(
        route.method,
        pathOf(route, () => MALFORMED_PARAM),
        form,
      );
      expect(reply.status).toBe(404);
      expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    });
  },
);

describe.each(PATHS.map((path) => [path] as const))('%s with a method it does not serve', (path) => {
  it('answers 405 METHOD_NOT_ALLOWED with an Allow header of exactly the served methods', async () => {
    const served = ROUTES.filter((route) => route.path === path).map((route) => route.method);
    const template = ROUTES.find((route) => route.path === path)!;
    const method = ['DELETE', 'PATCH', 'PUT', 'POST', 'GET'].find((m) => !served.includes(m as never))!;
    const reply = await call(method, pathOf(template), { token: runtime.tokens.officer });
    expectProblem(reply, 405, 'METHOD_NOT_ALLOWED');
    expect(reply.headers.allow).toBe([...served].sort().join(', '));
  });
});

describe('unknown paths', () => {
  it('answer 404 NOT_FOUND problems with or without a token', async () => {
    for (const path of ['/nope', '/enterprises/NOSUCH0001/nope', '/applications/x/y/z', '/review']) {
      expectProblem(await call('GET', path), 404, 'NOT_FOUND');
      expectProblem(await call('POST', path, { token: runtime.tokens.officer, json: {} }), 404, 'NOT_FOUND');
    }
  });

  it('leave `/` to the web console (CONTRACT.md Revision 2), which takes GET only', async () => {
    expectProblem(
      await call('POST', '/', { token: runtime.tokens.officer, json: {} }),
      405,
      'METHOD_NOT_ALLOWED',
    );
  });
});

describe('enterprise, reviewer and public routes through the gateway', () => {
  it('registers an enterprise, records a fine, its payment and a void, and shows it', async () => {
    const officer = { token: runtime.tokens.officer };
    const today = localDateIn(runtime.clock.now());
    const id = 'CONT000001';

    const created = await call('POST', '/enterprises', {
      ...officer,
      json: { id, name: 'Contract Co', contactEmail: 'ops@contract.example' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/enterprises/${id}`);
    expect(created.body).toMatchObject({ id, tier: 'REGULAR', causes: [], facts: [], version: 1 });
    expectProblem(
      await call('POST', '/enterprises', {
        ...officer,
        json: { id, name: 'Again', contactEmail: 'a@contract.example' },
      }),
      409,
      'ENTERPRISE_EXISTS',
    );

    const fine = await call('POST', `/enterprises/${id}/facts`, {
      ...officer,
      json: { type: 'FINE', amount: '1200000', imposedOn: addMonths(today, -2), dueOn: addMonths(today, -1) },
    });
    expect(fine.status).toBe(201);
    const fineId = (fine.body.fact as { id: string }).id;
    expect(fine.body).toMatchObject({
      fact: { id: fineId, type: 'FINE', amount: 1200000 },
      enterprise: { id, tier: 'DISHONEST' },
    });

    const paid = await call('POST', `/enterprises/${id}/facts/${fineId}/payment`, {
      ...officer,
      json: { paidOn: today },
    });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ fact: { id: fineId, paidOn: today } });

    const voided = await call('POST', `/enterprises/${id}/facts/${fineId}/void`, {
      ...officer,
      json: { reason: 'recorded against the wrong enterprise' },
    });
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({
      fact: { id: fineId, voided: { reason: 'recorded against the wrong enterprise' } },
      enterprise: { tier: 'REGULAR', causes: [] },
    });

    const shown = await call('GET', `/enterprises/${id}`, officer);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ id, tier: 'REGULAR', facts: [{ id: fineId }] });
    const ownApplicant = await call('GET', `/_local/token?role=applicant&enterprise=${id}`);
    expect(
      (await call('GET', `/enterprises/${id}`, { token: ownApplicant.body.token as string })).status,
    ).toBe(200);
    expectProblem(await call('GET', `/enterprises/${id}`, { token: applicant }), 403, 'FORBIDDEN');

    const publicView = await call('GET', `/public/credit/${id}`);
    expect(publicView.status).toBe(200);
    expect(publicView.body).toEqual({
      enterpriseId: id,
      name: 'Contract Co',
      tier: 'REGULAR',
      label: 'Neutral Listing',
      listing: null,
    });
    expectProblem(await call('GET', '/public/credit/NOSUCH0001'), 404, 'NOT_FOUND');
  });

  it('sets and lists the reviewer directory', async () => {
    const officer = { token: runtime.tokens.officer };
    const reviewer = {
      name: 'Market Desk',
      email: 'desk@market.example',
      escalationEmail: 'head@market.example',
    };
    // The demo directory names one already: replacing it takes a second officer.
    const put = await call('PUT', '/reviewers/MARKET_REGULATION', { ...officer, json: reviewer });
    expect(put.status).toBe(202);
    expect(put.body).toMatchObject({
      change: { party: 'MARKET_REGULATION', proposed: reviewer, status: 'PENDING' },
    });
    const second = (await call('GET', '/_local/token?role=officer&sub=second-officer')).body.token as string;
    const changeId = (put.body.change as { id: string }).id;
    const confirmed = await call('POST', `/reviewers/MARKET_REGULATION/changes/${changeId}/confirm`, {
      token: second,
    });
    expect(confirmed.status).toBe(200);
    const list = await call('GET', '/reviewers', officer);
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual(
      expect.objectContaining({ party: 'MARKET_REGULATION', ...reviewer }),
    );
    expectFieldIssues(await call('PUT', '/reviewers/POLICE', { ...officer, json: reviewer }), 'path');
  });

  it('serves health and an OpenAPI document naming every route of the table', async () => {
    const health = await call('GET', '/health');
    expect({ status: health.status, body: health.body }).toEqual({ status: 200, body: { status: 'ok' } });
    const openapi = await call('GET', '/openapi.json');
    expect(openapi.status).toBe(200);
    const paths = openapi.body.paths as Record<string, Record<string, unknown>>;
    for (const route of ROUTES) expect(paths[route.path]?.[route.method.toLowerCase()]).toBeDefined();
  });
});
