import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICY } from '../../domain/policy.ts';
import { startRuntime, type Runtime } from '../../local/runtime.ts';
import { expectProblem, send } from '../support/http-client.ts';
import { eventually, ReviewFlow } from '../support/review-flow.ts';

/**
 * The evidence routes after the evidence deadline (RULES.md §4: 30 days), through the real
 * gateway. The simulated clock moves, so this file has its own runtime.
 */

let runtime: Runtime;
let dataDir: string;
let flow: ReviewFlow;

const DAY_MS = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'api-deadlines-'));
  runtime = await startRuntime({ dataDir, port: 0, quiet: true, sweepIntervalMs: 3_600_000 });
  flow = new ReviewFlow(runtime, 'DEAD');
});

afterAll(async () => {
  await runtime?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('evidence after its deadline', () => {
  it('answers 409 DEADLINE_PASSED to uploads and submission until the sweep expires the application', async () => {
    const enterprise = await flow.eligibleEnterprise();
    const created = await flow.api('POST', '/applications', enterprise.token, {
      enterpriseId: enterprise.id,
      statement: 'Taxes paid in full.',
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await flow.uploadDocuments(id, enterprise.token);

    const later = new Date(runtime.clock.now().getTime() + (POLICY.evidence.deadlineDays + 1) * DAY_MS);
    expect(
      (await send(runtime.url, 'POST', '/_local/clock', { json: { now: later.toISOString() } })).status,
    ).toBe(200);

    const upload = await flow.api('POST', `/applications/${id}/evidence`, enterprise.token, {
      documentType: 'TAX_PAID_PROOF',
      fileName: 'late.pdf',
      contentType: 'application/pdf',
      size: 100,
    });
    expectProblem(upload, 409, 'DEADLINE_PASSED');
    expect(upload.body.dueOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const submit = await flow.api('POST', `/applications/${id}/evidence/submit`, enterprise.token);
    expectProblem(submit, 409, 'DEADLINE_PASSED');
    expect((await flow.application(id)).status).toBe('AWAITING_EVIDENCE');

    expect((await send(runtime.url, 'POST', '/_local/sweep')).status).toBe(200);
    const expired = await eventually('the evidence timeout', async () => {
      const app = await flow.application(id);
      return app.status === 'EXPIRED' ? app : undefined;
    });
    expect(expired.outcome).toMatchObject({ status: 'EXPIRED', reason: 'EVIDENCE_TIMEOUT' });
    expectProblem(
      await flow.api('POST', `/applications/${id}/evidence/submit`, enterprise.token),
      409,
      'WRONG_STATUS',
    );
  });
});
