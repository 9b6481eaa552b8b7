import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICY } from '../../domain/policy.ts';
import type { Runtime } from '../../local/runtime.ts';
import { startEmbeddedRuntime, type EmbeddedRuntime } from '../support/embedded-runtime.ts';
import { expectProblem, send } from '../support/http-client.ts';
import { eventually } from '../support/eventually.ts';
import { ReviewFlow } from '../support/review-flow.ts';

/**
 * The evidence routes after the evidence deadline (RULES.md §4: 30 days), through the real
 * gateway. The simulated clock moves, so this file has its own runtime.
 */

let runtime: Runtime;
let embedded: EmbeddedRuntime | undefined;
let flow: ReviewFlow;

const DAY_MS = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  embedded = await startEmbeddedRuntime('api-deadlines');
  runtime = embedded.runtime;
  flow = new ReviewFlow(runtime, { prefix: 'DEAD' });
});

afterAll(async () => {
  await embedded?.stop();
});

describe('evidence after its deadline', () => {
  it('answers 409 DEADLINE_PASSED to uploads and submission until the sweep expires the application', async () => {
    const { id, token } = await flow.applicationWithDocuments();

    const later = new Date(runtime.clock.now().getTime() + (POLICY.evidence.deadlineDays + 1) * DAY_MS);
    expect(
      (await send(runtime.url, 'POST', '/_local/clock', { json: { now: later.toISOString() } })).status,
    ).toBe(200);

    const upload = await flow.api('POST', `/applications/${id}/evidence`, token, {
      documentType: 'TAX_PAID_PROOF',
      fileName: 'late.pdf',
      contentType: 'application/pdf',
      size: 100,
    });
    expectProblem(upload, 409, 'DEADLINE_PASSED');
    expect(upload.body.dueOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const submit = await flow.api('POST', `/applications/${id}/evidence/submit`, token);
    expectProblem(submit, 409, 'DEADLINE_PASSED');
    expect((await flow.application(id)).status).toBe('AWAITING_EVIDENCE');

    expect((await send(runtime.url, 'POST', '/_local/sweep')).status).toBe(200);
    const expired = await eventually('the evidence timeout', async () => {
      const app = await flow.application(id);
      return app.status === 'EXPIRED' ? app : undefined;
    });
    expect(expired.outcome).toMatchObject({ status: 'EXPIRED', reason: 'EVIDENCE_TIMEOUT' });
    expectProblem(await flow.api('POST', `/applications/${id}/evidence/submit`, token), 409, 'WRONG_STATUS');
  });
});
