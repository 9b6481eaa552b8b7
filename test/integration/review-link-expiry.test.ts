import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICY } from '../../domain/policy.ts';
import type { Runtime } from '../../local/runtime.ts';
import { startEmbeddedRuntime, type EmbeddedRuntime } from '../support/embedded-runtime.ts';
import { send } from '../support/http-client.ts';
import { eventually } from '../support/eventually.ts';
import { nonceOf, openPage, postForm, ReviewFlow } from '../support/review-flow.ts';

/**
 * Review links after the review timeout (RULES.md §4: 60 days), through the real gateway. Moving
 * the simulated clock would disturb other tests' applications, so this file has its own runtime.
 */

let runtime: Runtime;
let embedded: EmbeddedRuntime | undefined;
let flow: ReviewFlow;

const DAY_MS = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  embedded = await startEmbeddedRuntime('review-link-expiry');
  runtime = embedded.runtime;
  flow = new ReviewFlow(runtime, { prefix: 'EXPL' });
});

afterAll(async () => {
  await embedded?.stop();
});

describe('a review link past the review timeout', () => {
  it('answers the 410 page to GET and POST, before and after the sweep expires the application', async () => {
    const { id, links } = await flow.applicationUnderReview();
    const open = await openPage(links.TAX);
    expect(open.status).toBe(200);
    const nonce = nonceOf(open.html);
    // CUSTOMS decides in time; its used link keeps showing its decision (409), never deciding again.
    const customsNonce = nonceOf((await openPage(links.CUSTOMS)).html);
    expect((await postForm(links.CUSTOMS, { decision: 'APPROVE', nonce: customsNonce })).status).toBe(200);

    const later = new Date(runtime.clock.now().getTime() + (POLICY.review.timeoutDays + 1) * DAY_MS);
    const moved = await send(runtime.url, 'POST', '/_local/clock', { json: { now: later.toISOString() } });
    expect(moved.status).toBe(200);

    // The link carries its own expiry: it stops deciding on the day, whether or not a sweep ran.
    const beforeSweep = await openPage(links.TAX);
    expect(beforeSweep.status).toBe(410);
    expect(beforeSweep.html).toContain('expired');

    const sweep = await send(runtime.url, 'POST', '/_local/sweep');
    expect(sweep.status).toBe(200);
    const expired = await eventually('the review timeout', async () => {
      const app = await flow.application(id);
      return app.status === 'EXPIRED' ? app : undefined;
    });
    expect(expired.outcome).toMatchObject({ status: 'EXPIRED', reason: 'REVIEW_TIMEOUT' });

    const page = await openPage(links.TAX);
    expect(page.status).toBe(410);
    expect(page.contentType).toBe('text/html; charset=utf-8');
    expect(page.html).toContain('This link no longer works');
    expect(page.html).toContain('expired');
    expect(page.html).not.toContain('<form');
    const posted = await postForm(links.TAX, { decision: 'APPROVE', nonce });
    expect(posted.status).toBe(410);
    expect(posted.html).toContain('expired');

    const used = await postForm(links.CUSTOMS, {
      decision: 'REJECT',
      comment: 'too late',
      nonce: customsNonce,
    });
    expect(used.status).toBe(409);
    expect(used.html).not.toContain('too late');

    const after = await flow.application(id);
    const reviews = after.reviews as { party: string; status: string }[];
    expect(reviews.find((review) => review.party === 'TAX')?.status).toBe('EXPIRED');
    expect(reviews.find((review) => review.party === 'CUSTOMS')?.status).toBe('APPROVED');
    expect(after.status).toBe('EXPIRED');
  });
});
