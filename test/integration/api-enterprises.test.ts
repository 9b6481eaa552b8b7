import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnterprise as createEnterpriseHandler } from '../../functions/api/enterprises/create-enterprise.ts';
import { findEnterprises as findEnterprisesHandler } from '../../functions/api/enterprises/find-enterprises.ts';
import { getEligibility as getEligibilityHandler } from '../../functions/api/enterprises/get-eligibility.ts';
import { listEnterpriseEvents as listEnterpriseEventsHandler } from '../../functions/api/enterprises/list-enterprise-events.ts';
import { getEnterprise as getEnterpriseHandler } from '../../functions/api/enterprises/get-enterprise.ts';
import { recordFact as recordFactHandler } from '../../functions/api/enterprises/record-fact.ts';
import { recordPayment as recordPaymentHandler } from '../../functions/api/enterprises/record-payment.ts';
import { voidFact as voidFactHandler } from '../../functions/api/enterprises/void-fact.ts';
import { getPublicCredit } from '../../functions/api/public-credit.ts';
import { listReviewers } from '../../functions/api/reviewers/list-reviewers.ts';
import { putReviewer } from '../../functions/api/reviewers/put-reviewer.ts';
import { ROUTES } from '../../functions/api/routes.ts';
import { installPorts } from '../../functions/composition/installed.ts';
import { ManualClock } from '../../functions/adapters/memory/clock.ts';
import type { ApiHandler } from '../../functions/http/handler.ts';
import { buildEvent, lambdaContext } from '../../local/gateway/event.ts';
import { useAwsEnv } from '../support/aws-env.ts';
import { startDynalite, type RunningDynalite } from '../support/dynalite.ts';

/** The enterprise, reviewer and public-credit handlers invoked as Lambda would, with v2.0 events. */

let db: RunningDynalite;
let restoreEnv: () => void;

const OFFICER = { sub: 'officer-1', role: 'officer' };
const applicantFor = (...ids: string[]) => ({ sub: 'applicant-1', role: 'applicant', enterprises: ids });

interface Call {
  readonly method: string;
  readonly path: string;
  readonly routeKey: string;
  readonly params?: Record<string, string>;
  readonly claims?: Record<string, unknown>;
  readonly body?: unknown;
  /** Sent as is (malformed JSON tests). */
  readonly rawBody?: string;
}

/** The members these tests read from response bodies; toMatchObject checks the rest. */
interface ResponseBody {
  readonly [member: string]: unknown;
  readonly code?: string;
  readonly errors?: readonly { readonly path: string }[];
  readonly fact?: { readonly id: string };
  readonly enterprise?: { readonly tier: string; readonly rectification: unknown };
}

async function call(handler: ApiHandler, request: Call) {
  const text = request.rawBody ?? (request.body === undefined ? '' : JSON.stringify(request.body));
  const event: APIGatewayProxyEventV2 = buildEvent({
    method: request.method,
    rawPath: request.path,
    rawQueryString: '',
    headers: text === '' ? {} : { 'content-type': 'application/json' },
    body: Buffer.from(text),
    sourceIp: '127.0.0.1',
    localPort: 3000,
    routeKey: request.routeKey,
    pathParameters: request.params ?? {},
    // The authorizer passes `exp` with every token it admits (tokens without one are refused).
    ...(request.claims === undefined ? {} : { claims: { exp: '4102444800', ...request.claims } }),
  });
  const result = (await handler(event, lambdaContext('test', 'req'))) as APIGatewayProxyStructuredResultV2;
  return {
    status: result.statusCode,
    headers: result.headers ?? {},
    body: result.body === undefined ? undefined : (JSON.parse(result.body) as ResponseBody),
  };
}

/** `null`: no token at all. */
const createEnterprise = (body: unknown, claims: Record<string, unknown> | null = OFFICER) =>
  call(createEnterpriseHandler, {
    method: 'POST',
    path: '/enterprises',
    routeKey: 'POST /enterprises',
    body,
    ...(claims === null ? {} : { claims }),
  });

const getEnterprise = (id: string, claims?: Record<string, unknown>) =>
  call(getEnterpriseHandler, {
    method: 'GET',
    path: `/enterprises/${id}`,
    routeKey: 'GET /enterprises/{id}',
    params: { id },
    ...(claims === undefined ? {} : { claims }),
  });

const recordFact = (id: string, body: unknown, claims: Record<string, unknown> = OFFICER) =>
  call(recordFactHandler, {
    method: 'POST',
    path: `/enterprises/${id}/facts`,
    routeKey: 'POST /enterprises/{id}/facts',
    params: { id },
    claims,
    body,
  });

const factAction = (action: 'payment' | 'void', id: string, factId: string, body: unknown) =>
  call(action === 'payment' ? recordPaymentHandler : voidFactHandler, {
    method: 'POST',
    path: `/enterprises/${id}/facts/${factId}/${action}`,
    routeKey: `POST /enterprises/{id}/facts/{factId}/${action}`,
    params: { id, factId },
    claims: OFFICER,
    body,
  });

const ACME = 'ACME000001';
let uninstallClock: () => void = () => {};

beforeAll(async () => {
  db = await startDynalite();
  restoreEnv = useAwsEnv({ AWS_ENDPOINT_URL_DYNAMODB: db.endpoint, TABLE_NAME: db.tableName });
  // 10:00 in Asia/Shanghai on 15 June 2026.
  uninstallClock = installPorts({ clock: new ManualClock('2026-06-15T02:00:00.000Z') });
  const created = await createEnterprise({
    id: ACME,
    name: 'Acme Trading',
    contactEmail: 'ops@acme.example',
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  uninstallClock();
  restoreEnv();
  await db.stop();
});

describe('route table', () => {
  it('names a module of its own for every enterprise route, and each export exists', async () => {
    const mine = ROUTES.filter((r) => r.path.startsWith('/enterprises'));
    expect(mine.map((r) => r.exportName).sort()).toEqual([
      'createEnterprise',
      'findEnterprises',
      'getEligibility',
      'getEnterprise',
      'listEnterpriseEvents',
      'recordFact',
      'recordPayment',
      'voidFact',
    ]);
    const handlers: Record<string, unknown> = {
      createEnterprise: createEnterpriseHandler,
      findEnterprises: findEnterprisesHandler,
      getEligibility: getEligibilityHandler,
      getEnterprise: getEnterpriseHandler,
      listEnterpriseEvents: listEnterpriseEventsHandler,
      recordFact: recordFactHandler,
      recordPayment: recordPaymentHandler,
      voidFact: voidFactHandler,
    };
    for (const route of mine) {
      expect(route.module.startsWith('functions/api/enterprises/'), route.module).toBe(true);
      const module = (await import(/* @vite-ignore */ `../../${route.module}`)) as Record<string, unknown>;
      expect(module[route.exportName]).toBe(handlers[route.exportName]);
    }
  });
});

describe('POST /enterprises', () => {
  it('answers 201 with the enterprise view and a location', async () => {
    const response = await createEnterprise({
      id: 'CERT000001',
      name: 'Certified Co',
      contactEmail: 'c@cert.example',
      tier: 'ADVANCED_CERTIFIED',
    });
    expect(response.status).toBe(201);
    expect(response.headers.location).toBe('/enterprises/CERT000001');
    expect(response.body).toEqual({
      id: 'CERT000001',
      name: 'Certified Co',
      contactEmail: 'c@cert.example',
      tier: 'ADVANCED_CERTIFIED',
      causes: [],
      facts: [],
      listing: null,
      rectification: null,
      certifiedOn: '2026-06-15',
      // An advanced certification is re-reviewed every 5 years, with a notice 30 days before.
      certification: { reviewDueOn: '2031-06-15', noticeOn: '2031-05-16', overdue: false },
      version: 1,
    });
  });

  it('answers each refusal with its code', async () => {
    const duplicate = await createEnterprise({ id: ACME, name: 'Again', contactEmail: 'x@acme.example' });
    expect(duplicate).toMatchObject({ status: 409, body: { code: 'ENTERPRISE_EXISTS' } });
    expect(duplicate.headers['content-type']).toBe('application/problem+json');

    const downgraded = await createEnterprise({
      id: 'DOWN000001',
      name: 'Down',
      contactEmail: 'd@down.example',
      tier: 'SERIOUSLY_DISHONEST',
    });
    expect(downgraded).toMatchObject({ status: 422, body: { code: 'TIER_NOT_REGISTRABLE' } });

    const invalid = await createEnterprise({ id: 'lowercase1', name: 42, contactEmail: 'not-an-email' });
    expect(invalid.status).toBe(400);
    expect(invalid.body?.code).toBe('VALIDATION_FAILED');
    expect(invalid.body?.errors?.map((e) => e.path).sort()).toEqual(['contactEmail', 'id', 'name']);

    const malformed = await call(createEnterpriseHandler, {
      method: 'POST',
      path: '/enterprises',
      routeKey: 'POST /enterprises',
      claims: OFFICER,
      rawBody: '{"id": "ACME000002",',
    });
    expect(malformed).toMatchObject({ status: 400, body: { code: 'MALFORMED_JSON' } });
  });

  it('is for officers only: 401 without a token, 403 for an applicant', async () => {
    const body = { id: 'AUTH000001', name: 'Auth', contactEmail: 'a@auth.example' };
    expect((await createEnterprise(body, null)).status).toBe(401);
    expect(await createEnterprise(body, applicantFor('AUTH000001'))).toMatchObject({
      status: 403,
      body: { code: 'FORBIDDEN' },
    });
  });
});

describe('GET /enterprises/{id}', () => {
  it('shows the enterprise to officers and its own applicants only', async () => {
    expect(await getEnterprise(ACME, OFFICER)).toMatchObject({
      status: 200,
      body: { id: ACME, tier: 'REGULAR' },
    });
    expect((await getEnterprise(ACME, applicantFor(ACME))).status).toBe(200);
    expect(await getEnterprise(ACME, applicantFor('OTHER00001'))).toMatchObject({
      status: 403,
      body: { code: 'FORBIDDEN' },
    });
    expect((await getEnterprise(ACME)).status).toBe(401);
  });

  it('answers 404 NOT_FOUND for an unknown id and 400 for a malformed one', async () => {
    expect(await getEnterprise('NOSUCH0001', OFFICER)).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });
    expect(await getEnterprise('bad-id', OFFICER)).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
  });
});

describe('facts, payments and voids', () => {
  it('records a fine, its payment and a correction, recomputing the tier each time', async () => {
    const id = 'FACT000001';
    expect((await createEnterprise({ id, name: 'Fined', contactEmail: 'f@fined.example' })).status).toBe(201);

    // 1.2 million yuan in one fine: excessive fines, determined on the day it was imposed.
    const fine = await recordFact(id, {
      type: 'FINE',
      amount: '1200000.50',
      imposedOn: '2026-05-01',
      dueOn: '2026-06-01',
    });
    expect(fine.status).toBe(201);
    const factId = fine.body?.fact?.id ?? '';
    expect(fine.body?.fact).toMatchObject({ type: 'FINE', amount: 1200000.5, imposedOn: '2026-05-01' });
    expect(fine.body?.enterprise).toMatchObject({
      tier: 'DISHONEST',
      causes: [{ code: 'EXCESSIVE_FINES', determinedOn: '2026-05-01', factIds: [factId] }],
      listing: { label: 'Dishonest Listing', since: '2026-05-01', until: '2027-05-01' },
      rectification: { clockStart: null, outstanding: [{ factId, amount: 1200000.5 }] },
      version: 2,
    });

    const paid = await factAction('payment', id, factId, { paidOn: '2026-06-01' });
    expect(paid.status).toBe(200);
    expect(paid.body?.enterprise?.rectification).toMatchObject({
      clockStart: '2026-06-01',
      earliestApplicationOn: '2026-12-01',
      outstanding: [],
    });
    expect(await factAction('payment', id, factId, { paidOn: '2026-06-02' })).toMatchObject({
      status: 409,
      body: { code: 'ALREADY_PAID' },
    });

    const voided = await factAction('void', id, factId, { reason: 'entered twice' });
    expect(voided).toMatchObject({
      status: 200,
      body: { fact: { voided: { reason: 'entered twice' } }, enterprise: { tier: 'REGULAR', causes: [] } },
    });
    expect(await factAction('void', id, factId, { reason: 'again' })).toMatchObject({
      status: 409,
      body: { code: 'ALREADY_VOIDED' },
    });
    expect(await factAction('payment', id, factId, { paidOn: '2026-06-02' })).toMatchObject({
      status: 409,
      body: { code: 'FACT_VOIDED' },
    });
  });

  it('answers 422 for a non-payable fact, 404 for unknown ids, 400 for wrong types', async () => {
    const bribery = await recordFact(ACME, { type: 'BRIBERY', occurredOn: '2026-05-10' });
    expect(bribery.body?.enterprise?.tier).toBe('SERIOUSLY_DISHONEST');
    const factId = bribery.body?.fact?.id ?? '';

    expect(await factAction('payment', ACME, factId, { paidOn: '2026-06-01' })).toMatchObject({
      status: 422,
      body: { code: 'NOT_PAYABLE' },
    });
    expect(await factAction('payment', ACME, 'nosuchfact', { paidOn: '2026-06-01' })).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });
    expect(await recordFact('NOSUCH0002', { type: 'BRIBERY', occurredOn: '2026-01-10' })).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });
    expect(await recordFact(ACME, { type: 'BRIBERY', occurredOn: '2026-07-01' })).toMatchObject({
      status: 422,
      body: { code: 'DATE_IN_FUTURE' },
    });
    for (const body of [
      { type: 'FINE', amount: 'lots', imposedOn: '2026-05-01', dueOn: '2026-06-01' },
      { type: 'FINE', amount: 10.123, imposedOn: '2026-05-01', dueOn: '2026-06-01' },
      { type: 'BRIBERY', occurredOn: '2026-02-30' },
      { type: 'BRIBERY', occurredOn: '2026-01-10', amount: 5 },
      { type: 'PARKING_TICKET' },
      [],
    ]) {
      expect(await recordFact(ACME, body)).toMatchObject({
        status: 400,
        body: { code: 'VALIDATION_FAILED' },
      });
    }
    expect(await factAction('void', ACME, factId, { reason: '   ' })).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
    expect(
      (await recordFact(ACME, { type: 'BRIBERY', occurredOn: '2026-01-10' }, applicantFor(ACME))).status,
    ).toBe(403);
  });
});

describe('reviewers', () => {
  it('puts and lists the directory, officers only', async () => {
    const put = await call(putReviewer, {
      method: 'PUT',
      path: '/reviewers/TAX',
      routeKey: 'PUT /reviewers/{party}',
      params: { party: 'TAX' },
      claims: OFFICER,
      body: { name: 'Tang Li', email: 'tang@tax.example', escalationEmail: 'head@tax.example' },
    });
    expect(put).toMatchObject({ status: 200, body: { party: 'TAX', name: 'Tang Li' } });

    const unknownParty = await call(putReviewer, {
      method: 'PUT',
      path: '/reviewers/POLICE',
      routeKey: 'PUT /reviewers/{party}',
      params: { party: 'POLICE' },
      claims: OFFICER,
      body: { name: 'X', email: 'x@example.com', escalationEmail: 'y@example.com' },
    });
    expect(unknownParty.status).toBe(400);

    const list = await call(listReviewers, {
      method: 'GET',
      path: '/reviewers',
      routeKey: 'GET /reviewers',
      claims: OFFICER,
    });
    expect(list).toMatchObject({
      status: 200,
      body: { items: [{ party: 'TAX', email: 'tang@tax.example' }] },
    });
    const asApplicant = await call(listReviewers, {
      method: 'GET',
      path: '/reviewers',
      routeKey: 'GET /reviewers',
      claims: applicantFor(ACME),
    });
    expect(asApplicant.status).toBe(403);
  });
});

describe('GET /public/credit/{enterpriseId}', () => {
  it('shows anyone the tier, label and listing, and 404 for an unknown id', async () => {
    const id = 'PUBL000001';
    await createEnterprise({ id, name: 'Public Co', contactEmail: 'p@public.example' });
    await recordFact(id, { type: 'OBSTRUCTION', occurredOn: '2026-05-01' });
    const get = (enterpriseId: string) =>
      call(getPublicCredit, {
        method: 'GET',
        path: `/public/credit/${enterpriseId}`,
        routeKey: 'GET /public/credit/{enterpriseId}',
        params: { enterpriseId },
      });
    expect(await get(id)).toEqual({
      status: 200,
      headers: expect.any(Object),
      body: {
        enterpriseId: id,
        name: 'Public Co',
        tier: 'SERIOUSLY_DISHONEST',
        label: 'Seriously Dishonest Listing',
        listing: { label: 'Seriously Dishonest Listing', since: '2026-05-01', until: '2029-05-01' },
      },
    });
    expect(await get('NOSUCH0003')).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
  });
});
