import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime.ts';
import { startEmbeddedRuntime, type EmbeddedRuntime } from '../support/embedded-runtime.ts';
import { eventually } from '../support/eventually.ts';
import { send, type Reply } from '../support/http-client.ts';
import { nonceOf, openPage, outbox, postForm, ReviewFlow, type Page } from '../support/review-flow.ts';

/**
 * Issue 13, "Concurrency": interleavings real clients produce, through the embedded runtime's real
 * gateway, store and workflow. No interleaving may answer a 5xx, create two of anything, decide
 * twice, or leave two parts of the state disagreeing.
 */

let runtime: Runtime;
let embedded: EmbeddedRuntime | undefined;
let flow: ReviewFlow;
let keyCounter = 0;
const newKey = (): string => `concurrency-${process.pid}-${(keyCounter += 1)}`;

const apply = (enterpriseId: string, token: string, key: string): Promise<Reply> =>
  send(runtime.url, 'POST', '/applications', {
    token,
    headers: { 'idempotency-key': key },
    json: { enterpriseId, statement: 'Taxes paid in full.' },
  });

const officerGet = async (path: string): Promise<Record<string, unknown>> => {
  const reply = await send(runtime.url, 'GET', path, { token: runtime.tokens.officer });
  expect(reply.status, reply.text).toBe(200);
  return reply.body as Record<string, unknown>;
};

const applicationsOf = async (enterpriseId: string): Promise<{ id: string; status: string }[]> =>
  (await officerGet(`/applications?enterpriseId=${enterpriseId}&limit=100`)).items as {
    id: string;
    status: string;
  }[];

const statusesOf = (replies: readonly { status: number }[]): Record<number, number> => {
  const counts: Record<number, number> = {};
  for (const { status } of replies) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
};

const fiveHundreds = (replies: readonly Reply[]): string[] =>
  replies.filter((r) => r.status >= 500).map((r) => `${r.status} ${r.text.slice(0, 200)}`);

const timelineTypes = (app: Record<string, unknown>): string[] =>
  (app.timeline as { type: string }[]).map((entry) => entry.type);

async function listingChanges(enterpriseId: string): Promise<{ changeId: string }[]> {
  let text = '';
  try {
    text = await readFile(join(runtime.dataDir, 'events.jsonl'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map(
      (line) =>
        JSON.parse(line) as { detailType: string; detail: { enterpriseId: string; changeId: string } },
    )
    .filter((e) => e.detailType === 'ListingChanged' && e.detail.enterpriseId === enterpriseId)
    .map((e) => e.detail);
}

async function outcomeEmails(applicationId: string): Promise<number> {
  return (await outbox(runtime.url)).filter(
    (m) => /Credit repair outcome/.test(m.subject) && m.text.includes(applicationId),
  ).length;
}

const finalStatus = (id: string): Promise<Record<string, unknown>> =>
  eventually(
    `application ${id} decided`,
    async () => {
      const app = await officerGet(`/applications/${id}`);
      return ['APPROVED', 'REJECTED', 'WITHDRAWN', 'EXPIRED'].includes(String(app.status)) ? app : undefined;
    },
    30_000,
  );

/** Both links' pages opened (each with its nonce), ready to be posted at the same instant. */
async function openedForms(links: Record<'CUSTOMS' | 'TAX', string>) {
  const customs = nonceOf((await openPage(links.CUSTOMS)).html);
  const tax = nonceOf((await openPage(links.TAX)).html);
  return {
    CUSTOMS: () => postForm(links.CUSTOMS, { decision: 'APPROVE', nonce: customs }),
    TAX: () => postForm(links.TAX, { decision: 'APPROVE', nonce: tax }),
  };
}

beforeAll(async () => {
  embedded = await startEmbeddedRuntime('concurrency');
  runtime = embedded.runtime;
  flow = new ReviewFlow(runtime, { prefix: 'CONC' });
});

afterAll(async () => {
  await embedded?.stop();
});

describe('one Idempotency-Key, many requests at once', () => {
  it('100 concurrent POST /applications with one key: one application, no 5xx, the rest replay it or answer IN_PROGRESS with Retry-After', async () => {
    const { id: enterpriseId, token } = await flow.eligibleEnterprise();
    const key = newKey();
    const replies = await Promise.all(Array.from({ length: 100 }, () => apply(enterpriseId, token, key)));
    expect(fiveHundreds(replies)).toEqual([]);
    const created = replies.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThan(0);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    for (const reply of replies.filter((r) => r.status !== 201)) {
      expect({ status: reply.status, code: reply.body.code }).toEqual({
        status: 409,
        code: 'IDEMPOTENCY_KEY_IN_PROGRESS',
      });
      expect(Number(reply.headers['retry-after'])).toBeGreaterThan(0);
    }
    // Every 201 is the first answer, byte for byte.
    expect(new Set(created.map((r) => r.text)).size).toBe(1);
    expect((await applicationsOf(enterpriseId)).map((a) => a.id)).toEqual([created[0]!.body.id]);
  });

  it('20 concurrent requests with one new key while another application is open: all 409, no 5xx, one answer replayed', async () => {
    const { id: enterpriseId, token } = await flow.eligibleEnterprise();
    const first = await apply(enterpriseId, token, newKey());
    expect(first.status, first.text).toBe(201);
    const key = newKey();
    const replies = await Promise.all(Array.from({ length: 20 }, () => apply(enterpriseId, token, key)));
    expect(fiveHundreds(replies), JSON.stringify(statusesOf(replies))).toEqual([]);
    for (const reply of replies) {
      expect(reply.status).toBe(409);
      expect(['APPLICATION_OPEN', 'IDEMPOTENCY_KEY_IN_PROGRESS']).toContain(reply.body.code);
      if (reply.body.code === 'IDEMPOTENCY_KEY_IN_PROGRESS') {
        expect(Number(reply.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    const refusals = replies.filter((r) => r.body.code === 'APPLICATION_OPEN');
    expect(refusals.length).toBeGreaterThan(0);
    // A finished 4xx is stored and replayed byte for byte (CONTRACT.md, Revision 2 clarifications).
    expect(new Set(refusals.map((r) => r.text)).size).toBe(1);
    expect((await applicationsOf(enterpriseId)).map((a) => a.id)).toEqual([first.body.id]);
  });

  it('a key whose first request finished with 409 APPLICATION_OPEN replays it, even once the enterprise could apply again', async () => {
    const { id: enterpriseId, token } = await flow.eligibleEnterprise();
    const first = await apply(enterpriseId, token, newKey());
    expect(first.status).toBe(201);
    const key = newKey();
    const refused = await apply(enterpriseId, token, key);
    expect({ status: refused.status, code: refused.body.code }).toEqual({
      status: 409,
      code: 'APPLICATION_OPEN',
    });
    const withdrawn = await send(runtime.url, 'POST', `/applications/${String(first.body.id)}/withdraw`, {
      token,
    });
    expect(withdrawn.status, withdrawn.text).toBe(200);

    const again = await apply(enterpriseId, token, key);
    expect({ status: again.status, text: again.text }).toEqual({
      status: refused.status,
      text: refused.text,
    });
    expect((await applicationsOf(enterpriseId)).map((a) => a.id)).toEqual([first.body.id]);
  });
});

describe('many enterprises at once', () => {
  it('20 enterprises applying at once each get their own application, and each claim names it', async () => {
    const enterprises = [];
    for (let i = 0; i < 20; i++) enterprises.push(await flow.eligibleEnterprise());
    const replies = await Promise.all(enterprises.map((e) => apply(e.id, e.token, newKey())));
    expect(fiveHundreds(replies)).toEqual([]);
    expect(statusesOf(replies)).toEqual({ 201: 20 });
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(20);
    for (const [i, enterprise] of enterprises.entries()) {
      const view = await officerGet(`/enterprises/${enterprise.id}`);
      expect(view.openApplicationId).toBe(replies[i]!.body.id);
      expect((await applicationsOf(enterprise.id)).map((a) => a.id)).toEqual([replies[i]!.body.id]);
    }
  });
});

describe('decisions at the end of a round', () => {
  it('two parties approving in the same instant: exactly one tally, one upgrade, one listing change, one outcome each', async () => {
    const repairs = await Promise.all(Array.from({ length: 3 }, () => flow.applicationUnderReview()));
    const forms = await Promise.all(repairs.map((r) => openedForms(r.links)));
    const pages = await Promise.all(forms.flatMap((form) => [form.CUSTOMS(), form.TAX()]));
    expect(pages.map((p) => p.status)).toEqual(pages.map(() => 200));

    for (const repair of repairs) {
      const app = await finalStatus(repair.id);
      expect(app.status).toBe('APPROVED');
      const types = timelineTypes(app);
      expect(types.filter((t) => t === 'REVIEW_DECIDED')).toHaveLength(2);
      expect(types.filter((t) => t === 'ROUND_ENDED')).toHaveLength(1);
      expect(types.filter((t) => t === 'UPGRADED')).toHaveLength(1);
      const enterpriseId = String(app.enterpriseId);
      expect((await officerGet(`/enterprises/${enterpriseId}`)).tier).toBe('REGULAR');
      // The applicant's and the parties' outcome emails, once each, and one listing change.
      await eventually('both outcome emails', async () =>
        (await outcomeEmails(repair.id)) >= 2 ? true : undefined,
      );
      expect(await outcomeEmails(repair.id)).toBe(2);
      expect(await listingChanges(enterpriseId)).toHaveLength(1);
    }
  });

  it('a withdrawal racing the last approval: one wins, the loser gets 409/410, and the state agrees with the winner', async () => {
    const repairs = await Promise.all(Array.from({ length: 8 }, () => flow.applicationUnderReview()));
    // CUSTOMS approves first; TAX's approval (the last one) and the withdrawal then race. The
    // withdrawal leaves 0 to 140 ms after the approval, so the races cover the approval landing
    // before, during and after the workflow's tally.
    const lastApprovals: (() => Promise<Page>)[] = [];
    for (const repair of repairs) {
      const forms = await openedForms(repair.links);
      expect((await forms.CUSTOMS()).status).toBe(200);
      lastApprovals.push(forms.TAX);
    }
    const races = await Promise.all(
      repairs.map(async (repair, i) => {
        const [approval, withdrawal] = await Promise.all([
          lastApprovals[i]!(),
          sleep(i * 20).then(() =>
            send(runtime.url, 'POST', `/applications/${repair.id}/withdraw`, { token: repair.token }),
          ),
        ]);
        return { repair, approval, withdrawal };
      }),
    );
    const outcomes = races.map(
      ({ approval, withdrawal }) =>
        `approval ${approval.status}, withdrawal ${withdrawal.status} ${String(withdrawal.body.code ?? '')}`,
    );
    for (const [i, { repair, approval, withdrawal }] of races.entries()) {
      const outcome = outcomes[i]!;
      expect(withdrawal.status, outcome).toBeLessThan(500);
      expect(approval.status, outcome).toBeLessThan(500);
      const approvalWon = approval.status === 200;
      const withdrawalWon = withdrawal.status === 200;
      expect(approvalWon !== withdrawalWon, `exactly one wins: ${outcomes.join('; ')}`).toBe(true);
      const app = await finalStatus(repair.id);
      const enterprise = await officerGet(`/enterprises/${String(app.enterpriseId)}`);
      if (withdrawalWon) {
        expect([409, 410], outcome).toContain(approval.status);
        expect(app.status).toBe('WITHDRAWN');
        expect(enterprise.tier).toBe('DISHONEST');
        expect(await listingChanges(String(app.enterpriseId))).toHaveLength(0);
      } else {
        expect(withdrawal.status, outcome).toBe(409);
        expect(['ROUND_DECIDED', 'APPLICATION_FINAL']).toContain(withdrawal.body.code);
        expect(app.status).toBe('APPROVED');
        expect(enterprise.tier).toBe('REGULAR');
      }
      expect(enterprise.openApplicationId).toBeUndefined();
    }
  });
});

describe('the sweep while requests arrive', () => {
  it('sweeps running while decisions and facts arrive: no 5xx, no failed item, every decision and fact kept', async () => {
    const repairs = await Promise.all(Array.from({ length: 3 }, () => flow.applicationUnderReview()));
    const forms = await Promise.all(repairs.map((r) => openedForms(r.links)));
    const others = [];
    for (let i = 0; i < 3; i++) others.push(await flow.eligibleEnterprise());
    const today = String((await send(runtime.url, 'GET', '/_local/clock')).body.now).slice(0, 10);

    const sweeps = Array.from({ length: 3 }, () => send(runtime.url, 'POST', '/_local/sweep'));
    const decisions = forms.flatMap((form) => [form.CUSTOMS(), form.TAX()]);
    const facts = others.map((e) =>
      send(runtime.url, 'POST', `/enterprises/${e.id}/facts`, {
        token: runtime.tokens.officer,
        json: { type: 'FINE', amount: 5_000, imposedOn: today, dueOn: today },
      }),
    );
    const [sweepReplies, pages, factReplies] = await Promise.all([
      Promise.all(sweeps),
      Promise.all(decisions),
      Promise.all(facts),
    ]);
    expect(fiveHundreds([...sweepReplies, ...factReplies])).toEqual([]);
    for (const sweep of sweepReplies) {
      expect(sweep.status).toBe(200);
      expect(sweep.body.failed).toBe(0);
    }
    expect(pages.map((p) => p.status)).toEqual(pages.map(() => 200));
    expect(factReplies.map((r) => r.status)).toEqual(factReplies.map(() => 201));

    for (const repair of repairs) {
      const app = await finalStatus(repair.id);
      expect(app.status).toBe('APPROVED');
      expect(timelineTypes(app).filter((t) => t === 'ROUND_ENDED')).toHaveLength(1);
    }
    for (const [i, enterprise] of others.entries()) {
      const view = await officerGet(`/enterprises/${enterprise.id}`);
      const factId = (factReplies[i]!.body.fact as { id: string }).id;
      expect((view.facts as { id: string }[]).map((f) => f.id)).toContain(factId);
    }
  });
});
