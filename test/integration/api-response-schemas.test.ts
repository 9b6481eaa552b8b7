import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { $ZodType } from 'zod/v4/core';
import { safeParse } from 'zod';
import { addMonths, localDateIn } from '../../domain/dates.ts';
import { RESPONSE_SCHEMAS } from '../../functions/api/response-schemas.ts';
import { ROUTES } from '../../functions/api/routes.ts';
import { ProblemDocumentSchema } from '../../functions/http/openapi.ts';
import { routeKeyOf } from '../../functions/http/route.ts';
import type { Runtime } from '../../local/runtime.ts';
import { startEmbeddedRuntime, type EmbeddedRuntime } from '../support/embedded-runtime.ts';
import { send, type Reply, type SendOptions } from '../support/http-client.ts';
import { decideWithLink, ReviewFlow, uploadDocuments } from '../support/review-flow.ts';

/**
 * The OpenAPI document is generated from the route table's response schemas, and it declares
 * every response object closed (`additionalProperties: false`). These tests drive each JSON route
 * through the real gateway and check that what the handler actually wrote is what the document
 * promises: the body parses with the route's schema for that status, and parsing drops nothing
 * (a member the schema does not name would be a member the document denies). Problem documents
 * are checked against the Problem component the same way.
 */

let embedded: EmbeddedRuntime | undefined;
let runtime: Runtime;
let officer: string;
let flow: ReviewFlow;

const call = (method: string, path: string, options: SendOptions = {}): Promise<Reply> =>
  send(runtime.url, method, path, options);

const routeByKey = new Map(ROUTES.map((route) => [routeKeyOf(route), route]));

/** The body reparsed by `schema`, or the issues that stop it. */
function conformance(schema: $ZodType, body: unknown): { issues: string[]; reparsed?: unknown } {
  const result = safeParse(schema, body);
  if (!result.success) {
    return { issues: result.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`) };
  }
  return { issues: [], reparsed: result.data };
}

/** The reply is what the OpenAPI document says route `key` answers with its status. */
function expectDocumented(key: string, reply: Reply): void {
  const route = routeByKey.get(key);
  if (route === undefined) throw new Error(`no route ${key}`);
  const declared = route.responses[reply.status];
  if (reply.status >= 400) {
    expect(reply.headers['content-type'], `${key} ${reply.status}`).toBe('application/problem+json');
    const { issues, reparsed } = conformance(ProblemDocumentSchema, reply.body);
    expect(issues, `${key} ${reply.status}: ${reply.text}`).toEqual([]);
    expect(reparsed).toEqual(reply.body);
    return;
  }
  expect(declared, `${key} declares no ${reply.status} response: ${reply.text}`).toBeDefined();
  const name = declared?.schema;
  const schema = name === undefined ? undefined : RESPONSE_SCHEMAS[name as keyof typeof RESPONSE_SCHEMAS];
  if (schema === undefined) throw new Error(`${key} ${reply.status} has no schema to check`);
  const { issues, reparsed } = conformance(schema, reply.body);
  expect(issues, `${key} ${reply.status}: ${reply.text}`).toEqual([]);
  // The document closes every response object: nothing the handler wrote may be dropped.
  expect(reparsed, `${key} ${reply.status} carries members the schema does not name`).toEqual(reply.body);
}

beforeAll(async () => {
  embedded = await startEmbeddedRuntime('api-response-schemas');
  runtime = embedded.runtime;
  officer = runtime.tokens.officer;
  flow = new ReviewFlow(runtime, { prefix: 'RSCH' });
});

afterAll(async () => {
  await embedded?.stop();
});

describe('responses conform to the schemas the OpenAPI document is generated from', () => {
  it('health, public credit and the reviewer directory', async () => {
    expectDocumented('GET /health', await call('GET', '/health'));
    expectDocumented('GET /public/credit/{enterpriseId}', await call('GET', '/public/credit/DEMOTAX001'));
    expectDocumented('GET /reviewers', await call('GET', '/reviewers', { token: officer }));
    expectDocumented(
      'PUT /reviewers/{party}',
      await call('PUT', '/reviewers/FINANCIAL_REGULATION', {
        token: officer,
        json: {
          name: 'Finance Desk',
          email: 'desk@finance.example',
          escalationEmail: 'head@finance.example',
        },
      }),
    );
  });

  it('the enterprise routes, through a fine, its payment, a void and a certified registration', async () => {
    const today = localDateIn(runtime.clock.now());
    const id = 'RSCH900001';
    expectDocumented(
      'POST /enterprises',
      await call('POST', '/enterprises', {
        token: officer,
        json: { id, name: 'Schema Co', contactEmail: 'ops@schema.example' },
      }),
    );
    const fine = await call('POST', `/enterprises/${id}/facts`, {
      token: officer,
      json: {
        type: 'FINE',
        amount: '1200000.50',
        imposedOn: addMonths(today, -8),
        dueOn: addMonths(today, -7),
      },
    });
    expectDocumented('POST /enterprises/{id}/facts', fine);
    const fineId = (fine.body.fact as { id: string }).id;
    expectDocumented(
      'POST /enterprises/{id}/facts',
      await call('POST', `/enterprises/${id}/facts`, {
        token: officer,
        json: { type: 'TAX_ASSESSMENT', amount: 5000, dueOn: addMonths(today, -5) },
      }),
    );
    expectDocumented('GET /enterprises/{id}', await call('GET', `/enterprises/${id}`, { token: officer }));
    expectDocumented(
      'POST /enterprises/{id}/facts/{factId}/payment',
      await call('POST', `/enterprises/${id}/facts/${fineId}/payment`, {
        token: officer,
        json: { paidOn: today },
      }),
    );
    expectDocumented('GET /enterprises/{id}', await call('GET', `/enterprises/${id}`, { token: officer }));
    expectDocumented(
      'POST /enterprises/{id}/facts/{factId}/void',
      await call('POST', `/enterprises/${id}/facts/${fineId}/void`, {
        token: officer,
        json: { reason: 'entered against the wrong enterprise' },
      }),
    );
    expectDocumented('GET /public/credit/{enterpriseId}', await call('GET', `/public/credit/${id}`));
    expectDocumented(
      'POST /enterprises',
      await call('POST', '/enterprises', {
        token: officer,
        json: {
          id: 'RSCH900002',
          name: 'Certified Co',
          contactEmail: 'ops@certified.example',
          tier: 'CERTIFIED',
          certifiedOn: addMonths(today, -35),
        },
      }),
    );
    expectDocumented(
      'GET /enterprises/{id}',
      await call('GET', '/enterprises/RSCH900002', { token: officer }),
    );
  });

  it('the application routes, from creation through evidence and review to withdrawal', async () => {
    const { id: enterpriseId, token } = await flow.eligibleEnterprise();
    const created = await call('POST', '/applications', {
      token,
      headers: { 'idempotency-key': 'schema-1' },
      json: { enterpriseId, statement: 'Paid in full.' },
    });
    expectDocumented('POST /applications', created);
    const id = created.body.id as string;
    expectDocumented(
      'POST /applications',
      await call('POST', '/applications', {
        token,
        headers: { 'idempotency-key': 'schema-2' },
        json: { enterpriseId, statement: 'Again.' },
      }),
    );
    expectDocumented(
      'POST /applications/{id}/evidence',
      await call('POST', `/applications/${id}/evidence`, {
        token,
        json: {
          documentType: 'COMMITMENT_LETTER',
          fileName: 'c.pdf',
          contentType: 'application/pdf',
          size: 10,
        },
      }),
    );
    expectDocumented(
      'POST /applications/{id}/evidence',
      await call('POST', `/applications/${id}/evidence`, {
        token,
        json: { documentType: 'COOPERATION_PROOF', fileName: 'c.exe', contentType: 'text/plain', size: 0 },
      }),
    );
    expectDocumented('GET /applications/{id}', await call('GET', `/applications/${id}`, { token }));
    expectDocumented(
      'POST /applications/{id}/evidence/submit',
      await call('POST', `/applications/${id}/evidence/submit`, { token }),
    );
    expectDocumented(
      'GET /applications',
      await call('GET', `/applications?enterpriseId=${enterpriseId}`, { token }),
    );
    expectDocumented('GET /applications', await call('GET', '/applications?limit=2', { token: officer }));
    expectDocumented(
      'POST /applications/{id}/withdraw',
      await call('POST', `/applications/${id}/withdraw`, { token }),
    );
    expectDocumented('GET /applications/{id}', await call('GET', `/applications/${id}`, { token: officer }));

    const review = await flow.applicationUnderReview();
    expectDocumented(
      'GET /applications/{id}',
      await call('GET', `/applications/${review.id}`, { token: review.token }),
    );
    const decided = await decideWithLink(review.links.TAX, {
      decision: 'REJECT',
      comment: 'Receipts unreadable.',
    });
    expect(decided.status).toBe(200);
    expectDocumented(
      'GET /applications/{id}',
      await call('GET', `/applications/${review.id}`, { token: review.token }),
    );
  });

  it('a refused application: 422 NOT_ELIGIBLE with its reasons', async () => {
    const token = (await call('GET', '/_local/token?role=applicant&enterprise=RSCH900001')).body
      .token as string;
    const refused = await call('POST', '/applications', {
      token,
      headers: { 'idempotency-key': 'schema-refused' },
      json: { enterpriseId: 'RSCH900001', statement: 'Please.' },
    });
    expect(refused.status).toBe(422);
    expectDocumented('POST /applications', refused);
  });

  it('uploads a document set that is then listed in the application', async () => {
    const { id, token } = await flow.applicationWithDocuments();
    expectDocumented('GET /applications/{id}', await call('GET', `/applications/${id}`, { token }));
    await uploadDocuments({ baseUrl: runtime.url, token }, id, ['REPAIR_APPLICATION']);
    expectDocumented('GET /applications/{id}', await call('GET', `/applications/${id}`, { token }));
  });
});
