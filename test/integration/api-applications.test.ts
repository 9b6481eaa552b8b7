import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_PARTITION } from '../../functions/composition/idempotency.ts';
import { store as storePort } from '../../functions/composition/store.ts';
import type { Runtime } from '../../local/runtime.ts';
import { startEmbeddedRuntime, type EmbeddedRuntime } from '../support/embedded-runtime.ts';
import { expectProblem, send, type Reply, type SendOptions } from '../support/http-client.ts';
import { applicantToken as applicantTokenFrom, ReviewFlow, uploadDocuments } from '../support/review-flow.ts';

/**
 * The application and evidence routes through the real gateway of the embedded runtime (dynalite,
 * s3rver, the Step Functions engine), with dev tokens: every success, every documented refusal,
 * and every malformed request answered with a problem document, never a 5xx.
 */

let runtime: Runtime;
let embedded: EmbeddedRuntime | undefined;
let officer: string;
let flow: ReviewFlow;

const call = (method: string, path: string, options: SendOptions = {}): Promise<Reply> =>
  send(runtime.url, method, path, options);

const applicantToken = (...enterprises: string[]): Promise<string> =>
  applicantTokenFrom(runtime.url, ...enterprises);

/**
 * A new DISHONEST enterprise (tax arrears, paid eight months ago) that may apply today: documents
 * REPAIR_APPLICATION, COMMITMENT_LETTER, TAX_PAID_PROOF; parties CUSTOMS and TAX.
 */
const eligibleEnterprise = async (): Promise<string> => (await flow.eligibleEnterprise()).id;

let keyCounter = 0;
const newKey = (): string => `key-${process.pid}-${(keyCounter += 1)}`;

async function apply(enterpriseId: string, token: string, key = newKey()): Promise<Reply> {
  return call('POST', '/applications', {
    token,
    headers: { 'idempotency-key': key },
    json: { enterpriseId, statement: 'All taxes were paid; we ask for repair.' },
  });
}

beforeAll(async () => {
  embedded = await startEmbeddedRuntime('api-applications');
  runtime = embedded.runtime;
  officer = runtime.tokens.officer;
  flow = new ReviewFlow(runtime, { prefix: 'APPT' });
});

afterAll(async () => {
  await embedded?.stop();
});

describe('POST /applications', () => {
  it('creates the application for an eligible enterprise and starts its workflow', async () => {
    const enterpriseId = await eligibleEnterprise();
    const token = await applicantToken(enterpriseId);
    const reply = await apply(enterpriseId, token);
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      enterpriseId,
      status: 'AWAITING_EVIDENCE',
      fromTier: 'DISHONEST',
      targetTier: 'REGULAR',
      round: 1,
      requiredDocuments: ['REPAIR_APPLICATION', 'COMMITMENT_LETTER', 'TAX_PAID_PROOF'],
      evidence: [],
    });
    expect(reply.headers.location).toBe(`/applications/${reply.body.id as string}`);
    expect(reply.headers['cache-control']).toBe('no-store');
    const fetched = await call('GET', `/applications/${reply.body.id as string}`, { token });
    expect(fetched.status).toBe(200);
    expect(fetched.body.id).toBe(reply.body.id);
  });

  it('replays the first answer for the same key and body, refuses the key with another body', async () => {
    const enterpriseId = await eligibleEnterprise();
    const token = await applicantToken(enterpriseId);
    const key = newKey();
    const first = await apply(enterpriseId, token, key);
    expect(first.status).toBe(201);
    const again = await apply(enterpriseId, token, key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    // The answer came from the idempotency record (Powertools' own keys on the one table).
    const records = await storePort().queryAll({ partition: IDEMPOTENCY_PARTITION });
    expect(
      records.filter(
        (r) => r.status === 'COMPLETED' && JSON.stringify(r.data).includes(first.body.id as string),
      ),
    ).toHaveLength(1);

    const otherBody = await call('POST', '/applications', {
      token,
      headers: { 'idempotency-key': key },
      json: { enterpriseId, statement: 'A different statement.' },
    });
    expectProblem(otherBody, 409, 'IDEMPOTENCY_KEY_REUSED');

    // A new key is a new request: the enterprise already has an open application.
    const open = await apply(enterpriseId, token);
    expectProblem(open, 409, 'APPLICATION_OPEN');
    expect(open.body.openApplicationId).toBe(first.body.id);
  });

  it('keys idempotency on the caller: another subject with the same key is a new request', async () => {
    const enterpriseId = await eligibleEnterprise();
    const token = await applicantToken(enterpriseId);
    const key = newKey();
    expect((await apply(enterpriseId, token, key)).status).toBe(201);
    const byOfficer = await apply(enterpriseId, officer, key);
    expectProblem(byOfficer, 409, 'APPLICATION_OPEN');
  });

  it('creates one application from concurrent duplicates', async () => {
    const enterpriseId = await eligibleEnterprise();
    const token = await applicantToken(enterpriseId);
    const key = newKey();
    const replies = await Promise.all(Array.from({ length: 8 }, () => apply(enterpriseId, token, key)));
    for (const reply of replies) {
      expect([201, 409]).toContain(reply.status);
      if (reply.status === 409) expect(reply.body.code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
    }
    const ids = new Set(replies.filter((r) => r.status === 201).map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const list = await call('GET', `/applications?enterpriseId=${enterpriseId}`, { token });
    expect((list.body.items as unknown[]).length).toBe(1);
  });

  it('answers 409 IDEMPOTENCY_KEY_IN_PROGRESS while the first request of a key has not finished', async () => {
    const enterpriseId = await eligibleEnterprise();
    const token = await applicantToken(enterpriseId);
    const key = newKey();
    const first = await apply(enterpriseId, token, key);
    expect(first.status).toBe(201);
    // Put the key's record back to what it is while its first request runs: in progress, with
    // the in-progress lease (Powertools' own attributes) far from over.
    const store = storePort();
    const records = await store.queryAll({ partition: IDEMPOTENCY_PARTITION });
    const record = records.find((r) => JSON.stringify(r.data).includes(first.body.id as string));
    expect(record).toBeDefined();
    const { data: _answer, ...rest } = record!;
    await store.put({ ...rest, status: 'INPROGRESS', in_progress_expiration: Date.now() + 10 * 60 * 1000 });
    const duplicate = await apply(enterpriseId, token, key);
    expectProblem(duplicate, 409, 'IDEMPOTENCY_KEY_IN_PROGRESS');
    expect(duplicate.headers['retry-after']).toBe('1');
  });

  it('refuses an enterprise the rules do not admit, with every reason and the date', async () => {
    const rectifying = runtime.demo.find((d) => d.role === 'rectifying');
    expect(rectifying).toBeDefined();
    const reply = await apply(rectifying!.id, officer);
    expectProblem(reply, 422, 'NOT_ELIGIBLE');
    const codes = (reply.body.reasons as { code: string }[]).map((r) => r.code);
    expect(codes).toContain('RECTIFICATION_PERIOD_NOT_MET');
    expect(reply.body.earliestApplicationOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const regular = runtime.demo.find((d) => d.role === 'regular');
    const notDowngraded = await apply(regular!.id, officer);
    expectProblem(notDowngraded, 422, 'NOT_ELIGIBLE');
    expect((notDowngraded.body.reasons as { code: string }[]).map((r) => r.code)).toEqual(['NOT_DOWNGRADED']);
  });

  it('answers 404 for an enterprise that does not exist', async () => {
    expectProblem(await apply('ZZZZZZZZZ9', officer), 404, 'NOT_FOUND');
  });

  it('needs a token, and an applicant acts only for its own enterprises', async () => {
    const enterpriseId = await eligibleEnterprise();
    const noToken = await call('POST', '/applications', {
      headers: { 'idempotency-key': newKey() },
      json: { enterpriseId, statement: 'x' },
    });
    expectProblem(noToken, 401, 'UNAUTHORIZED');
    expectProblem(await apply(enterpriseId, 'not-a-jwt'), 401, 'UNAUTHORIZED');
    const stranger = await applicantToken('OTHER00001');
    expectProblem(await apply(enterpriseId, stranger), 403, 'FORBIDDEN');
  });

  it('answers malformed requests with 400-class problems and creates nothing', async () => {
    const enterpriseId = await eligibleEnterprise();
    const token = await applicantToken(enterpriseId);
    const noKey = await call('POST', '/applications', { token, json: { enterpriseId, statement: 'x' } });
    expectProblem(noKey, 400, 'VALIDATION_FAILED');
    expect(noKey.body.errors).toContainEqual(
      expect.objectContaining({ in: 'header', path: 'idempotency-key' }),
    );

    const malformed = await call('POST', '/applications', {
      token,
      headers: { 'idempotency-key': newKey() },
      raw: '{"enterpriseId": "',
    });
    expectProblem(malformed, 400, 'MALFORMED_JSON');

    const wrongTypes = await call('POST', '/applications', {
      token,
      headers: { 'idempotency-key': newKey() },
      json: { enterpriseId: 1234567890, statement: ['no'] },
    });
    expectProblem(wrongTypes, 400, 'VALIDATION_FAILED');
    expect((wrongTypes.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
      'enterpriseId',
      'statement',
    ]);

    const notJson = await call('POST', '/applications', {
      token,
      headers: { 'idempotency-key': newKey() },
      raw: 'enterpriseId=x',
      contentType: 'application/x-www-form-urlencoded',
    });
    expectProblem(notJson, 415, 'UNSUPPORTED_MEDIA_TYPE');

    const huge = await call('POST', '/applications', {
      token,
      headers: { 'idempotency-key': newKey() },
      json: { enterpriseId, statement: 'x'.repeat(200 * 1024) },
    });
    expectProblem(huge, 413, 'PAYLOAD_TOO_LARGE');

    const list = await call('GET', `/applications?enterpriseId=${enterpriseId}`, { token });
    expect(list.body.items).toEqual([]);
  });
});

describe('GET /applications/{id} and GET /applications', () => {
  it('shows an application to officers and its own applicant only', async () => {
    const enterpriseId = await eligibleEnterprise();
    const token = await applicantToken(enterpriseId);
    const created = await apply(enterpriseId, token);
    const id = created.body.id as string;

    const byOfficer = await call('GET', `/applications/${id}`, { token: officer });
    expect(byOfficer.status).toBe(200);
    expect(byOfficer.body).toMatchObject({
      id,
      enterpriseId,
      status: 'AWAITING_EVIDENCE',
      policyId: 'GAC-282-2026',
    });
    expect((byOfficer.body.timeline as { type: string }[]).map((t) => t.type)).toContain('SUBMITTED');
    expect(byOfficer.text).not.toMatch(/taskToken|linkHash|s3Key/);

    const stranger = await applicantToken('OTHER00001');
    expectProblem(await call('GET', `/applications/${id}`, { token: stranger }), 403, 'FORBIDDEN');
    expectProblem(await call('GET', `/applications/${id}`), 401, 'UNAUTHORIZED');
    expectProblem(
      await call('GET', '/applications/01JNOSUCHAPPLICATION00000', { token: officer }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await call('GET', '/applications/no%20such%20id', { token: officer }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('lists newest first, page by page, and refuses a forged nextToken', async () => {
    // Three enterprises, one application each; the list of the officer names all of them.
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const enterpriseId = await eligibleEnterprise();
      const reply = await apply(enterpriseId, officer);
      expect(reply.status).toBe(201);
      ids.push(reply.body.id as string);
    }
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await call(
        'GET',
        `/applications?status=AWAITING_EVIDENCE&limit=1${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`,
        { token: officer },
      );
      expect(page.status).toBe(200);
      const items = page.body.items as { id: string; submittedAt: string }[];
      expect(items.length).toBeLessThanOrEqual(1);
      seen.push(...items.map((item) => item.id));
      nextToken = page.body.nextToken as string | undefined;
    } while (nextToken !== undefined);
    const positions = ids.map((id) => seen.indexOf(id));
    expect(positions.every((p) => p >= 0)).toBe(true);
    // Newest first: the last created comes first.
    expect([...positions].sort((a, b) => b - a)).toEqual(positions);

    expectProblem(
      await call('GET', '/applications?nextToken=not-a-token', { token: officer }),
      400,
      'INVALID_NEXT_TOKEN',
    );
    const forged = Buffer.from(JSON.stringify({ gsi2pk: 'X', gsi2sk: 'Y', pk: 'Z', sk: 'W' })).toString(
      'base64url',
    );
    expectProblem(
      await call('GET', `/applications?status=APPROVED&nextToken=${forged}`, { token: officer }),
      400,
      'INVALID_NEXT_TOKEN',
    );
    // The enterprise's own partition, but a sort key outside the listing's range.
    const outside = Buffer.from(
      JSON.stringify({ gsi1pk: 'ENT#DEMOTAX001', gsi1sk: 'ZZZ', pk: 'a', sk: 'b' }),
    ).toString('base64url');
    expectProblem(
      await call('GET', `/applications?enterpriseId=DEMOTAX001&nextToken=${outside}`, { token: officer }),
      400,
      'INVALID_NEXT_TOKEN',
    );
    expectProblem(
      await call('GET', '/applications?status=OPEN', { token: officer }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(await call('GET', '/applications?limit=0', { token: officer }), 400, 'VALIDATION_FAILED');
  });

  it('lists for an applicant only the enterprises its token names', async () => {
    const enterpriseId = await eligibleEnterprise();
    const token = await applicantToken(enterpriseId);
    const created = await apply(enterpriseId, token);
    const own = await call('GET', `/applications?enterpriseId=${enterpriseId}`, { token });
    expect(own.status).toBe(200);
    expect((own.body.items as { id: string }[]).map((item) => item.id)).toEqual([created.body.id]);
    expectProblem(await call('GET', '/applications', { token }), 400, 'VALIDATION_FAILED');
    expectProblem(await call('GET', '/applications?enterpriseId=OTHER00001', { token }), 403, 'FORBIDDEN');
  });
});

describe('evidence and withdrawal', () => {
  it('hands out presigned uploads for required documents and refuses the others with stable codes', async () => {
    const enterpriseId = await eligibleEnterprise();
    const token = await applicantToken(enterpriseId);
    const id = (await apply(enterpriseId, token)).body.id as string;
    const announce = (body: unknown, as = token) =>
      call('POST', `/applications/${id}/evidence`, { token: as, json: body });

    const ticket = await announce({
      documentType: 'REPAIR_APPLICATION',
      fileName: 'application.pdf',
      contentType: 'application/pdf',
      size: 1000,
    });
    expect(ticket.status).toBe(201);
    expect(ticket.body.evidenceId).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(ticket.body.upload).toMatchObject({
      url: expect.stringMatching(/^http/),
      fields: expect.any(Object),
    });

    const base = { fileName: 'x.pdf', contentType: 'application/pdf', size: 1000 };
    expectProblem(
      await announce({ ...base, documentType: 'PENALTY_DECISION' }),
      422,
      'DOCUMENT_NOT_REQUIRED',
    );
    expectProblem(
      await announce({ ...base, documentType: 'TAX_PAID_PROOF', contentType: 'application/zip' }),
      422,
      'CONTENT_TYPE_NOT_ALLOWED',
    );
    expectProblem(
      await announce({ ...base, documentType: 'TAX_PAID_PROOF', size: 10 * 1024 * 1024 + 1 }),
      422,
      'FILE_TOO_LARGE',
    );
    expectProblem(await announce({ ...base, documentType: 'TAX_PAID_PROOF', size: 0 }), 422, 'EMPTY_FILE');
    expectProblem(await announce({ ...base, documentType: 'PHOTO' }), 400, 'VALIDATION_FAILED');
    expectProblem(
      await announce({ ...base, documentType: 'TAX_PAID_PROOF', size: '1kb' }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await announce({ ...base, documentType: 'TAX_PAID_PROOF', fileName: '../../etc/passwd' }),
      400,
      'VALIDATION_FAILED',
    );
    // Evidence is the applicant's to give: officers and other applicants are refused.
    expectProblem(await announce({ ...base, documentType: 'TAX_PAID_PROOF' }, officer), 403, 'FORBIDDEN');
    const stranger = await applicantToken('OTHER00001');
    expectProblem(await announce({ ...base, documentType: 'TAX_PAID_PROOF' }, stranger), 403, 'FORBIDDEN');
    expectProblem(
      await call('POST', '/applications/01JNOSUCHAPPLICATION00000/evidence', {
        token,
        json: { ...base, documentType: 'TAX_PAID_PROOF' },
      }),
      404,
      'NOT_FOUND',
    );

    const view = await call('GET', `/applications/${id}`, { token });
    expect((view.body.evidence as { documentType: string }[]).map((e) => e.documentType)).toEqual([
      'REPAIR_APPLICATION',
    ]);
  });

  it('submits only when every required document is in the bucket, then the application is under review', async () => {
    const enterpriseId = await eligibleEnterprise();
    const token = await applicantToken(enterpriseId);
    const id = (await apply(enterpriseId, token)).body.id as string;

    const missing = await call('POST', `/applications/${id}/evidence/submit`, { token });
    expectProblem(missing, 422, 'MISSING_DOCUMENTS');
    expect((missing.body.missing as { documentType: string }[]).map((m) => m.documentType).sort()).toEqual([
      'COMMITMENT_LETTER',
      'REPAIR_APPLICATION',
      'TAX_PAID_PROOF',
    ]);

    await uploadDocuments({ baseUrl: runtime.url, token }, id);
    expectProblem(
      await call('POST', `/applications/${id}/evidence/submit`, { token: officer }),
      403,
      'FORBIDDEN',
    );

    const submitted = await call('POST', `/applications/${id}/evidence/submit`, { token });
    expect(submitted.status).toBe(202);
    expect(submitted.body).toMatchObject({ id, status: 'UNDER_REVIEW' });
    expect((submitted.body.evidence as { status: string }[]).every((e) => e.status === 'UPLOADED')).toBe(
      true,
    );
  });

  it('withdraws an open application; evidence can then no longer be submitted', async () => {
    const enterpriseId = await eligibleEnterprise();
    const token = await applicantToken(enterpriseId);
    const id = (await apply(enterpriseId, token)).body.id as string;

    expectProblem(await call('POST', `/applications/${id}/withdraw`, { token: officer }), 403, 'FORBIDDEN');
    const stranger = await applicantToken('OTHER00001');
    expectProblem(await call('POST', `/applications/${id}/withdraw`, { token: stranger }), 403, 'FORBIDDEN');

    const withdrawn = await call('POST', `/applications/${id}/withdraw`, { token });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ id, status: 'WITHDRAWN' });
    expect(withdrawn.body.outcome).toMatchObject({ status: 'WITHDRAWN', reason: 'WITHDRAWN_BY_APPLICANT' });

    expectProblem(await call('POST', `/applications/${id}/evidence/submit`, { token }), 409, 'WRONG_STATUS');
    expectProblem(
      await call('POST', `/applications/${id}/evidence`, {
        token,
        json: { documentType: 'TAX_PAID_PROOF', fileName: 'a.pdf', contentType: 'application/pdf', size: 10 },
      }),
      409,
      'WRONG_STATUS',
    );
    expectProblem(
      await call('POST', '/applications/01JNOSUCHAPPLICATION00000/withdraw', { token }),
      404,
      'NOT_FOUND',
    );

    // The enterprise may apply again at once.
    expect((await apply(enterpriseId, token)).status).toBe(201);
  });
});

describe('the gateway around these routes', () => {
  it('answers unknown routes and methods with problems', async () => {
    expectProblem(await call('GET', '/applications/x/y/z', { token: officer }), 404, 'NOT_FOUND');
    expectProblem(await call('DELETE', '/applications', { token: officer }), 405, 'METHOD_NOT_ALLOWED');
  });
});
