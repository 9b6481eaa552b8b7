import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Party } from '../../domain/vocabulary.ts';
import { hashLinkId, newLinkId } from '../../functions/usecases/reviews/link-ids.ts';
import { applicationPartition, keys } from '../../functions/ports/store/keys.ts';
import { store as storePort } from '../../functions/composition/store.ts';
import { linkSecret } from '../../functions/composition/link-secret.ts';
import type { Runtime } from '../../local/runtime.ts';
import { startEmbeddedRuntime, type EmbeddedRuntime } from '../support/embedded-runtime.ts';
import { eventually } from '../support/eventually.ts';
import { nonceOf, openPage, postForm, ReviewFlow } from '../support/review-flow.ts';

/**
 * Review links through the real gateway and the real workflow (DESIGN.md principle 6): opening a
 * link changes nothing, only the form's POST with the link's nonce decides, once, for its own
 * application and party; links of a closed round or application answer 410.
 */

let runtime: Runtime;
let embedded: EmbeddedRuntime | undefined;
let flow: ReviewFlow;

const linkIdOf = (url: string): string => new URL(url).pathname.split('/').pop() ?? '';

/** Everything stored about the application and the link: what "changes nothing" compares. */
async function snapshot(applicationId: string, linkUrl: string): Promise<unknown> {
  const store = storePort();
  const partition = await store.queryAll({
    partition: applicationPartition(applicationId),
    consistent: true,
  });
  const link = await store.get(keys.reviewLink(await hashLinkId(linkIdOf(linkUrl), linkSecret())), {
    consistent: true,
  });
  return { partition, link };
}

const application = (id: string): Promise<Record<string, unknown>> => flow.application(id);
const api = (method: string, path: string, token: string) => flow.api(method, path, token);

const reviewOf = (app: Record<string, unknown>, party: Party) =>
  (app.reviews as { party: Party; status: string; comment?: string }[]).find(
    (review) => review.party === party,
  );

beforeAll(async () => {
  embedded = await startEmbeddedRuntime('review-links');
  runtime = embedded.runtime;
  // Names and statements with markup: the pages must escape what applicants wrote.
  flow = new ReviewFlow(runtime, {
    prefix: 'REVL',
    enterpriseName: (id) => `Review Test <${id}> & Co.`,
    statement: 'Taxes paid <in full>.',
  });
});

afterAll(async () => {
  await embedded?.stop();
});

describe('opening a review link', () => {
  it('shows the confirmation page with strict headers, and GET and HEAD change nothing', async () => {
    const { id, links } = await flow.applicationUnderReview();
    const before = await snapshot(id, links.TAX);

    const page = await openPage(links.TAX);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const csp = page.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "default-src 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(page.html).toContain(id);
    expect(page.html).toContain('Review Test &lt;');
    expect(page.html).toContain('Taxes paid &lt;in full&gt;.');
    expect(page.html).toContain('税务部门');
    expect(page.html).toContain('tax_paid_proof.pdf');
    // The link id is only in the documents' links, relative to the page (the address bar shows it;
    // the page is not cached and sends no referrer); not in the form, not in the text.
    const linkId = linkIdOf(links.TAX);
    const hrefs = [...page.html.matchAll(/ href="([^"]*)"/g)].map((m) => m[1] ?? '');
    expect(hrefs).toHaveLength(3);
    for (const href of hrefs) expect(href).toMatch(new RegExp(`^${linkId}/documents/[\\w-]+$`));
    expect(page.html.replace(/ href="[^"]*"/g, '')).not.toContain(linkId);
    expect(page.html).not.toMatch(/<script/i);
    nonceOf(page.html);

    // A mail scanner fetching the link again and again, and a HEAD, decide nothing and write nothing.
    await openPage(links.TAX);
    await openPage(links.CUSTOMS);
    const head = await openPage(links.TAX, 'HEAD');
    expect(head.status).toBe(405);
    expect(await snapshot(id, links.TAX)).toEqual(before);
    expect(reviewOf(await application(id), 'TAX')?.status).toBe('PENDING');
  });

  it('answers 404 pages for unknown and malformed link ids', async () => {
    const unknown = `${runtime.url}/review/${newLinkId()}`;
    for (const url of [unknown, `${runtime.url}/review/short`, `${runtime.url}/review/${'a'.repeat(300)}`]) {
      const page = await openPage(url);
      expect(page.status).toBe(404);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.html).toContain('Link not found');
      const posted = await postForm(url, { decision: 'APPROVE', nonce: 'n'.repeat(22) });
      expect(posted.status).toBe(404);
    }
  });
});

describe('deciding with a review link', () => {
  it('records one decision; a second POST answers 409 with the recorded decision', async () => {
    const { id, links } = await flow.applicationUnderReview();
    const nonce = nonceOf((await openPage(links.TAX)).html);

    const decided = await postForm(links.TAX, { decision: 'APPROVE', comment: '', nonce });
    expect(decided.status).toBe(200);
    expect(decided.headers.get('cache-control')).toBe('no-store');
    expect(decided.html).toContain('Decision recorded');
    expect(decided.html).toContain('同意修复');
    expect(reviewOf(await application(id), 'TAX')?.status).toBe('APPROVED');

    const again = await postForm(links.TAX, { decision: 'REJECT', comment: 'changed my mind', nonce });
    expect(again.status).toBe(409);
    expect(again.html).toContain('already been used');
    expect(again.html).toContain('Approve');
    expect(again.html).not.toContain('changed my mind');
    // The 409 page shows the decision as the link recorded it, with its application.
    expect(again.html).toContain(id);
    const reopened = await openPage(links.TAX);
    expect(reopened.status).toBe(409);
    expect(reopened.html).not.toContain('<form');
    expect(reviewOf(await application(id), 'TAX')?.status).toBe('APPROVED');

    // The other party approves too: the workflow upgrades the enterprise.
    const customsNonce = nonceOf((await openPage(links.CUSTOMS)).html);
    expect((await postForm(links.CUSTOMS, { decision: 'APPROVE', nonce: customsNonce })).status).toBe(200);
    const approved = await eventually('approval', async () => {
      const app = await application(id);
      return app.status === 'APPROVED' ? app : undefined;
    });
    expect(approved.outcome).toMatchObject({ status: 'APPROVED', reason: 'ALL_APPROVED' });
  });

  it('of 50 concurrent POSTs of one link, exactly one decides', async () => {
    const { id, links } = await flow.applicationUnderReview();
    const nonce = nonceOf((await openPage(links.CUSTOMS)).html);
    const pages = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        postForm(links.CUSTOMS, {
          decision: i % 2 === 0 ? 'APPROVE' : 'REQUEST_CHANGES',
          comment: `attempt ${i}`,
          nonce,
        }),
      ),
    );
    const statuses = pages.map((page) => page.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    // The others lost the race: either they saw the link used (409) or the review closed (410).
    expect(statuses.every((status) => status === 200 || status === 409 || status === 410)).toBe(true);

    const app = await application(id);
    const decisions = (app.timeline as { type: string; detail?: { party?: string } }[]).filter(
      (entry) => entry.type === 'REVIEW_DECIDED' && entry.detail?.party === 'CUSTOMS',
    );
    expect(decisions).toHaveLength(1);
    const winner = pages[statuses.indexOf(200)]!;
    const comment = /attempt \d+/.exec(winner.html)?.[0];
    expect(reviewOf(app, 'CUSTOMS')?.comment).toBe(comment);
  });

  it('refuses a wrong nonce, and a nonce or link of another application or party, changing nothing', async () => {
    const first = await flow.applicationUnderReview();
    const second = await flow.applicationUnderReview();
    const before = await snapshot(first.id, first.links.CUSTOMS);

    const wrong = await postForm(first.links.CUSTOMS, { decision: 'APPROVE', nonce: 'A'.repeat(22) });
    expect(wrong.status).toBe(403);
    expect(wrong.html).toContain('nothing was recorded');
    const otherApplication = nonceOf((await openPage(second.links.CUSTOMS)).html);
    expect(
      (await postForm(first.links.CUSTOMS, { decision: 'APPROVE', nonce: otherApplication })).status,
    ).toBe(403);
    const otherParty = nonceOf((await openPage(first.links.TAX)).html);
    expect((await postForm(first.links.CUSTOMS, { decision: 'APPROVE', nonce: otherParty })).status).toBe(
      403,
    );
    expect(await snapshot(first.id, first.links.CUSTOMS)).toEqual(before);

    // A link decides for its own party of its own application only.
    expect((await postForm(first.links.TAX, { decision: 'APPROVE', nonce: otherParty })).status).toBe(200);
    const app = await application(first.id);
    expect(reviewOf(app, 'TAX')?.status).toBe('APPROVED');
    expect(reviewOf(app, 'CUSTOMS')?.status).toBe('PENDING');
    expect(reviewOf(await application(second.id), 'TAX')?.status).toBe('PENDING');
  });

  it('requires a comment to reject or request changes, and reads a malformed form as a 400 page', async () => {
    const { id, links } = await flow.applicationUnderReview();
    const before = await snapshot(id, links.CUSTOMS);
    const nonce = nonceOf((await openPage(links.CUSTOMS)).html);

    const noReason = await postForm(links.CUSTOMS, { decision: 'REJECT', comment: '   ', nonce });
    expect(noReason.status).toBe(422);
    expect(noReason.html).toContain('role="alert"');
    expect(noReason.html).toMatch(/<input type="radio" name="decision" value="REJECT" required checked>/);
    expect(nonceOf(noReason.html)).toBe(nonce);

    const badDecision = await postForm(links.CUSTOMS, { decision: 'MAYBE', nonce });
    expect(badDecision.status).toBe(400);
    expect(badDecision.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await postForm(links.CUSTOMS, { decision: 'APPROVE' })).status).toBe(400);
    const repeated = await fetch(links.CUSTOMS, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `decision=APPROVE&decision=REJECT&nonce=${nonce}`,
    });
    expect(repeated.status).toBe(400);
    await repeated.text();
    expect(await snapshot(id, links.CUSTOMS)).toEqual(before);
  });

  it('a rejection supersedes the other party: its link answers 410, and the application is final', async () => {
    const { id, token, links } = await flow.applicationUnderReview();
    const taxNonce = nonceOf((await openPage(links.TAX)).html);
    const customsNonce = nonceOf((await openPage(links.CUSTOMS)).html);
    const rejected = await postForm(links.CUSTOMS, {
      decision: 'REJECT',
      comment: 'Receipt is forged.',
      nonce: customsNonce,
    });
    expect(rejected.status).toBe(200);

    const gone = await openPage(links.TAX);
    expect(gone.status).toBe(410);
    expect(gone.html).toContain('This link no longer works');
    const late = await postForm(links.TAX, { decision: 'APPROVE', nonce: taxNonce });
    expect(late.status).toBe(410);

    const app = await eventually('rejection', async () => {
      const current = await application(id);
      return current.status === 'REJECTED' ? current : undefined;
    });
    expect(reviewOf(app, 'TAX')?.status).toBe('SUPERSEDED');
    const withdraw = await api('POST', `/applications/${id}/withdraw`, token);
    expect(withdraw.status).toBe(409);
    expect(withdraw.body.code).toBe('APPLICATION_FINAL');
  });

  it('withdrawing the application makes its links answer 410', async () => {
    const { id, token, links } = await flow.applicationUnderReview();
    const nonce = nonceOf((await openPage(links.CUSTOMS)).html);
    expect((await api('POST', `/applications/${id}/withdraw`, token)).status).toBe(200);
    const page = await openPage(links.CUSTOMS);
    expect(page.status).toBe(410);
    expect(page.html).toContain('withdrew');
    expect((await postForm(links.CUSTOMS, { decision: 'APPROVE', nonce })).status).toBe(410);
  });
});

describe('links of an earlier round', () => {
  it('decide nothing in the next round; a link superseded in that round answers 410', async () => {
    const { id, token, links } = await flow.applicationUnderReview();
    const taxNonce = nonceOf((await openPage(links.TAX)).html);
    const customsNonce = nonceOf((await openPage(links.CUSTOMS)).html);
    expect(
      (await postForm(links.TAX, { decision: 'REQUEST_CHANGES', comment: 'Stamp missing.', nonce: taxNonce }))
        .status,
    ).toBe(200);
    expect((await postForm(links.CUSTOMS, { decision: 'APPROVE', nonce: customsNonce })).status).toBe(200);
    await eventually('round 2', async () => {
      const app = await application(id);
      return app.status === 'AWAITING_EVIDENCE' && app.round === 2 ? app : undefined;
    });
    // The uploads of round 1 are still in the bucket: submitting again, with the response round 2
    // needs, opens round 2.
    const resubmitted = await flow.api('POST', `/applications/${id}/evidence/submit`, token, {
      response: 'The stamp is on the receipt now.',
    });
    expect(resubmitted.status, resubmitted.text).toBe(202);
    const round2 = await flow.reviewLinks(id, 2);
    expect(round2.TAX).not.toBe(links.TAX);

    // Round 1's links show what they recorded and decide nothing in round 2.
    const oldTax = await openPage(links.TAX);
    expect(oldTax.status).toBe(409);
    expect(oldTax.html).toContain('Stamp missing.');
    expect(oldTax.html).not.toContain('<form');
    expect((await postForm(links.TAX, { decision: 'APPROVE', nonce: taxNonce })).status).toBe(409);
    const pending = await application(id);
    expect(pending.round).toBe(2);
    expect(reviewOf(pending, 'TAX')?.status).toBe('PENDING');
    expect(reviewOf(pending, 'CUSTOMS')?.status).toBe('PENDING');

    // A rejection in round 2 supersedes TAX's round-2 link before it was used.
    const tax2Nonce = nonceOf((await openPage(round2.TAX)).html);
    const customs2Nonce = nonceOf((await openPage(round2.CUSTOMS)).html);
    const rejected = await postForm(round2.CUSTOMS, {
      decision: 'REJECT',
      comment: 'Same gap again.',
      nonce: customs2Nonce,
    });
    expect(rejected.status).toBe(200);
    expect(rejected.html).toContain(id);
    expect(rejected.html).toContain('Same gap again.');
    const superseded = await openPage(round2.TAX);
    expect(superseded.status).toBe(410);
    expect(superseded.html).toContain('replaced by a newer one');
    expect((await postForm(round2.TAX, { decision: 'APPROVE', nonce: tax2Nonce })).status).toBe(410);
    const final = await eventually('rejection', async () => {
      const app = await application(id);
      return app.status === 'REJECTED' ? app : undefined;
    });
    expect(reviewOf(final, 'TAX')?.status).toBe('SUPERSEDED');
  });
});
