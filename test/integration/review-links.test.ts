import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, localDateIn } from '../../domain/dates.ts';
import type { Party } from '../../domain/vocabulary.ts';
import { createEnterprise, recordFact, recordPayment } from '../../functions/lib/enterprises/index.ts';
import { hashLinkId, newLinkId } from '../../functions/lib/review-links.ts';
import { applicationPartition, keys, storeFromEnv } from '../../functions/lib/store/index.ts';
import { startRuntime, type Runtime } from '../../local/runtime.ts';

/**
 * Review links through the real gateway and the real workflow (DESIGN.md principle 6): opening a
 * link changes nothing, only the form's POST with the link's nonce decides, once, for its own
 * application and party; links of a closed round or application answer 410.
 */

let runtime: Runtime;
let dataDir: string;

const REVIEWER_EMAIL: Readonly<Record<'CUSTOMS' | 'TAX', string>> = {
  CUSTOMS: 'customs.reviewer@example.org',
  TAX: 'tax.reviewer@example.org',
};

interface Page {
  readonly status: number;
  readonly headers: Headers;
  readonly html: string;
}

async function open(url: string, method: 'GET' | 'HEAD' = 'GET'): Promise<Page> {
  const response = await fetch(url, { method });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

async function post(url: string, fields: Record<string, string>): Promise<Page> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

const nonceOf = (html: string): string => {
  const match = /<input type="hidden" name="nonce" value="([^"]+)">/.exec(html);
  if (!match?.[1]) throw new Error('the page has no nonce');
  return match[1];
};

async function api(method: string, path: string, token: string, json?: unknown) {
  const response = await fetch(runtime.url + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(json === undefined
        ? {}
        : { 'content-type': 'application/json', 'idempotency-key': `k-${Math.random()}` }),
    },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

let enterpriseCounter = 0;

async function eligibleEnterprise(): Promise<{ id: string; token: string }> {
  enterpriseCounter += 1;
  const id = `REVL${String(enterpriseCounter).padStart(6, '0')}`;
  const store = storeFromEnv();
  const now = runtime.clock.now();
  const at = now.toISOString();
  const today = localDateIn(now);
  const who = { now: at, actor: 'officer:test' };
  await createEnterprise(
    store,
    { id, name: `Review Test <${id}> & Co.`, contactEmail: `c@${id.toLowerCase()}.test` },
    at,
  );
  const { fact } = await recordFact(
    store,
    id,
    { type: 'TAX_ASSESSMENT', amountFen: 80_000_00, dueOn: addMonths(today, -12) },
    who,
  );
  await recordPayment(store, id, fact.id, { paidOn: addMonths(today, -8) }, who);
  const reply = await fetch(`${runtime.url}/_local/token?role=applicant&enterprise=${id}`);
  return { id, token: ((await reply.json()) as { token: string }).token };
}

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(25);
  }
}

interface OutboxEntry {
  readonly to: string[];
  readonly text: string;
  readonly links: string[];
}

/** The review link each party's reviewer was mailed for the application's `round`. */
async function reviewLinks(applicationId: string, round = 1): Promise<Record<'CUSTOMS' | 'TAX', string>> {
  return eventually(`review links of ${applicationId}`, async () => {
    const outbox = (await (await fetch(`${runtime.url}/_local/outbox`)).json()) as OutboxEntry[];
    const linkFor = (party: 'CUSTOMS' | 'TAX'): string[] =>
      outbox
        .filter((entry) => entry.to.includes(REVIEWER_EMAIL[party]) && entry.text.includes(applicationId))
        .flatMap((entry) => entry.links.filter((link) => link.includes('/review/')));
    const customs = linkFor('CUSTOMS');
    const tax = linkFor('TAX');
    if (customs.length < round || tax.length < round) return undefined;
    return { CUSTOMS: customs[round - 1]!, TAX: tax[round - 1]! };
  });
}

/** An application of a new enterprise, its evidence submitted, its review round open. */
async function applicationUnderReview(): Promise<{
  id: string;
  token: string;
  links: Record<'CUSTOMS' | 'TAX', string>;
}> {
  const enterprise = await eligibleEnterprise();
  const created = await api('POST', '/applications', enterprise.token, {
    enterpriseId: enterprise.id,
    statement: 'Taxes paid <in full>.',
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const pdf = new TextEncoder().encode('%PDF-1.4 evidence');
  for (const documentType of ['REPAIR_APPLICATION', 'COMMITMENT_LETTER', 'TAX_PAID_PROOF']) {
    const ticket = await api('POST', `/applications/${id}/evidence`, enterprise.token, {
      documentType,
      fileName: `${documentType.toLowerCase()}.pdf`,
      contentType: 'application/pdf',
      size: pdf.length,
    });
    expect(ticket.status).toBe(201);
    const upload = ticket.body.upload as { url: string; fields: Record<string, string> };
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', new Blob([pdf], { type: 'application/pdf' }), 'file.pdf');
    const stored = await fetch(upload.url, { method: 'POST', body: form });
    await stored.arrayBuffer();
    expect(stored.status).toBeLessThan(300);
  }
  const submitted = await api('POST', `/applications/${id}/evidence/submit`, enterprise.token);
  expect(submitted.status).toBe(202);
  return { id, token: enterprise.token, links: await reviewLinks(id) };
}

const linkIdOf = (url: string): string => new URL(url).pathname.split('/').pop() ?? '';

/** Everything stored about the application and the link: what "changes nothing" compares. */
async function snapshot(applicationId: string, linkUrl: string): Promise<unknown> {
  const store = storeFromEnv();
  const partition = await store.queryAll({
    partition: applicationPartition(applicationId),
    consistent: true,
  });
  const link = await store.get(keys.reviewLink(await hashLinkId(linkIdOf(linkUrl))), { consistent: true });
  return { partition, link };
}

async function application(id: string): Promise<Record<string, unknown>> {
  const reply = await api('GET', `/applications/${id}`, runtime.tokens.officer);
  expect(reply.status).toBe(200);
  return reply.body;
}

const reviewOf = (app: Record<string, unknown>, party: Party) =>
  (app.reviews as { party: Party; status: string; comment?: string }[]).find(
    (review) => review.party === party,
  );

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'review-links-'));
  runtime = await startRuntime({ dataDir, port: 0, quiet: true, sweepIntervalMs: 3_600_000 });
});

afterAll(async () => {
  await runtime?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('opening a review link', () => {
  it('shows the confirmation page with strict headers, and GET and HEAD change nothing', async () => {
    const { id, links } = await applicationUnderReview();
    const before = await snapshot(id, links.TAX);

    const page = await open(links.TAX);
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
    expect(page.html).not.toContain(linkIdOf(links.TAX));
    expect(page.html).not.toMatch(/<script/i);
    nonceOf(page.html);

    // A mail scanner fetching the link again and again, and a HEAD, decide nothing and write nothing.
    await open(links.TAX);
    await open(links.CUSTOMS);
    const head = await open(links.TAX, 'HEAD');
    expect(head.status).toBe(405);
    expect(await snapshot(id, links.TAX)).toEqual(before);
    expect(reviewOf(await application(id), 'TAX')?.status).toBe('PENDING');
  });

  it('answers 404 pages for unknown and malformed link ids', async () => {
    const unknown = `${runtime.url}/review/${newLinkId()}`;
    for (const url of [unknown, `${runtime.url}/review/short`, `${runtime.url}/review/${'a'.repeat(300)}`]) {
      const page = await open(url);
      expect(page.status).toBe(404);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.html).toContain('Link not found');
      const posted = await post(url, { decision: 'APPROVE', nonce: 'n'.repeat(22) });
      expect(posted.status).toBe(404);
    }
  });
});

describe('deciding with a review link', () => {
  it('records one decision; a second POST answers 409 with the recorded decision', async () => {
    const { id, links } = await applicationUnderReview();
    const nonce = nonceOf((await open(links.TAX)).html);

    const decided = await post(links.TAX, { decision: 'APPROVE', comment: '', nonce });
    expect(decided.status).toBe(200);
    expect(decided.headers.get('cache-control')).toBe('no-store');
    expect(decided.html).toContain('Decision recorded');
    expect(decided.html).toContain('同意修复');
    expect(reviewOf(await application(id), 'TAX')?.status).toBe('APPROVED');

    const again = await post(links.TAX, { decision: 'REJECT', comment: 'changed my mind', nonce });
    expect(again.status).toBe(409);
    expect(again.html).toContain('already been used');
    expect(again.html).toContain('Approve');
    expect(again.html).not.toContain('changed my mind');
    // The 409 page shows the decision as the link recorded it, with its application.
    expect(again.html).toContain(id);
    const reopened = await open(links.TAX);
    expect(reopened.status).toBe(409);
    expect(reopened.html).not.toContain('<form');
    expect(reviewOf(await application(id), 'TAX')?.status).toBe('APPROVED');

    // The other party approves too: the workflow upgrades the enterprise.
    const customsNonce = nonceOf((await open(links.CUSTOMS)).html);
    expect((await post(links.CUSTOMS, { decision: 'APPROVE', nonce: customsNonce })).status).toBe(200);
    const approved = await eventually('approval', async () => {
      const app = await application(id);
      return app.status === 'APPROVED' ? app : undefined;
    });
    expect(approved.outcome).toMatchObject({ status: 'APPROVED', reason: 'ALL_APPROVED' });
  });

  it('of 50 concurrent POSTs of one link, exactly one decides', async () => {
    const { id, links } = await applicationUnderReview();
    const nonce = nonceOf((await open(links.CUSTOMS)).html);
    const pages = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        post(links.CUSTOMS, {
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
    const first = await applicationUnderReview();
    const second = await applicationUnderReview();
    const before = await snapshot(first.id, first.links.CUSTOMS);

    const wrong = await post(first.links.CUSTOMS, { decision: 'APPROVE', nonce: 'A'.repeat(22) });
    expect(wrong.status).toBe(403);
    expect(wrong.html).toContain('nothing was recorded');
    const otherApplication = nonceOf((await open(second.links.CUSTOMS)).html);
    expect((await post(first.links.CUSTOMS, { decision: 'APPROVE', nonce: otherApplication })).status).toBe(
      403,
    );
    const otherParty = nonceOf((await open(first.links.TAX)).html);
    expect((await post(first.links.CUSTOMS, { decision: 'APPROVE', nonce: otherParty })).status).toBe(403);
    expect(await snapshot(first.id, first.links.CUSTOMS)).toEqual(before);

    // A link decides for its own party of its own application only.
    expect((await post(first.links.TAX, { decision: 'APPROVE', nonce: otherParty })).status).toBe(200);
    const app = await application(first.id);
    expect(reviewOf(app, 'TAX')?.status).toBe('APPROVED');
    expect(reviewOf(app, 'CUSTOMS')?.status).toBe('PENDING');
    expect(reviewOf(await application(second.id), 'TAX')?.status).toBe('PENDING');
  });

  it('requires a comment to reject or request changes, and reads a malformed form as a 400 page', async () => {
    const { id, links } = await applicationUnderReview();
    const before = await snapshot(id, links.CUSTOMS);
    const nonce = nonceOf((await open(links.CUSTOMS)).html);

    const noReason = await post(links.CUSTOMS, { decision: 'REJECT', comment: '   ', nonce });
    expect(noReason.status).toBe(422);
    expect(noReason.html).toContain('role="alert"');
    expect(noReason.html).toMatch(/<input type="radio" name="decision" value="REJECT" required checked>/);
    expect(nonceOf(noReason.html)).toBe(nonce);

    const badDecision = await post(links.CUSTOMS, { decision: 'MAYBE', nonce });
    expect(badDecision.status).toBe(400);
    expect(badDecision.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await post(links.CUSTOMS, { decision: 'APPROVE' })).status).toBe(400);
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
    const { id, token, links } = await applicationUnderReview();
    const taxNonce = nonceOf((await open(links.TAX)).html);
    const customsNonce = nonceOf((await open(links.CUSTOMS)).html);
    const rejected = await post(links.CUSTOMS, {
      decision: 'REJECT',
      comment: 'Receipt is forged.',
      nonce: customsNonce,
    });
    expect(rejected.status).toBe(200);

    const gone = await open(links.TAX);
    expect(gone.status).toBe(410);
    expect(gone.html).toContain('This link no longer works');
    const late = await post(links.TAX, { decision: 'APPROVE', nonce: taxNonce });
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
    const { id, token, links } = await applicationUnderReview();
    const nonce = nonceOf((await open(links.CUSTOMS)).html);
    expect((await api('POST', `/applications/${id}/withdraw`, token)).status).toBe(200);
    const page = await open(links.CUSTOMS);
    expect(page.status).toBe(410);
    expect(page.html).toContain('withdrew');
    expect((await post(links.CUSTOMS, { decision: 'APPROVE', nonce })).status).toBe(410);
  });
});

describe('links of an earlier round', () => {
  it('decide nothing in the next round; a link superseded in that round answers 410', async () => {
    const { id, token, links } = await applicationUnderReview();
    const taxNonce = nonceOf((await open(links.TAX)).html);
    const customsNonce = nonceOf((await open(links.CUSTOMS)).html);
    expect(
      (await post(links.TAX, { decision: 'REQUEST_CHANGES', comment: 'Stamp missing.', nonce: taxNonce }))
        .status,
    ).toBe(200);
    expect((await post(links.CUSTOMS, { decision: 'APPROVE', nonce: customsNonce })).status).toBe(200);
    await eventually('round 2', async () => {
      const app = await application(id);
      return app.status === 'AWAITING_EVIDENCE' && app.round === 2 ? app : undefined;
    });
    // The uploads of round 1 are still in the bucket: submitting again opens round 2.
    expect((await api('POST', `/applications/${id}/evidence/submit`, token)).status).toBe(202);
    const round2 = await reviewLinks(id, 2);
    expect(round2.TAX).not.toBe(links.TAX);

    // Round 1's links show what they recorded and decide nothing in round 2.
    const oldTax = await open(links.TAX);
    expect(oldTax.status).toBe(409);
    expect(oldTax.html).toContain('Stamp missing.');
    expect(oldTax.html).not.toContain('<form');
    expect((await post(links.TAX, { decision: 'APPROVE', nonce: taxNonce })).status).toBe(409);
    const pending = await application(id);
    expect(pending.round).toBe(2);
    expect(reviewOf(pending, 'TAX')?.status).toBe('PENDING');
    expect(reviewOf(pending, 'CUSTOMS')?.status).toBe('PENDING');

    // A rejection in round 2 supersedes TAX's round-2 link before it was used.
    const tax2Nonce = nonceOf((await open(round2.TAX)).html);
    const customs2Nonce = nonceOf((await open(round2.CUSTOMS)).html);
    const rejected = await post(round2.CUSTOMS, {
      decision: 'REJECT',
      comment: 'Same gap again.',
      nonce: customs2Nonce,
    });
    expect(rejected.status).toBe(200);
    expect(rejected.html).toContain(id);
    expect(rejected.html).toContain('Same gap again.');
    const superseded = await open(round2.TAX);
    expect(superseded.status).toBe(410);
    expect(superseded.html).toContain('replaced by a newer one');
    expect((await post(round2.TAX, { decision: 'APPROVE', nonce: tax2Nonce })).status).toBe(410);
    const final = await eventually('rejection', async () => {
      const app = await application(id);
      return app.status === 'REJECTED' ? app : undefined;
    });
    expect(reviewOf(final, 'TAX')?.status).toBe('SUPERSEDED');
  });
});
