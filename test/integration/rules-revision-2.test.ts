import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, addYears, localDateIn } from '../../domain/dates.ts';
import type { Runtime } from '../../local/runtime.ts';
import { startEmbeddedRuntime, type EmbeddedRuntime } from '../support/embedded-runtime.ts';
import { eventually } from '../support/eventually.ts';
import { expectProblem, send, type Reply } from '../support/http-client.ts';
import {
  applyAndSubmit,
  callAs,
  decideWithLink,
  DEMO_REVIEWER_EMAIL,
  openPage,
  outbox,
  ReviewFlow,
  reviewLinks,
  uploadDocuments,
  type Caller,
} from '../support/review-flow.ts';

/**
 * RULES.md §6 (revision 2) through HTTP on the embedded runtime: each case issue 10 found wrong,
 * as an officer, an applicant and the reviewers meet it. The simulated clock stays where it
 * started (rules-revision-2-time.test.ts moves it).
 */

let embedded: EmbeddedRuntime | undefined;
let runtime: Runtime;
let officer: Caller;
let flow: ReviewFlow;
let today: string;

beforeAll(async () => {
  embedded = await startEmbeddedRuntime('rules-revision-2');
  runtime = embedded.runtime;
  officer = { baseUrl: runtime.url, token: runtime.tokens.officer };
  flow = new ReviewFlow(runtime, { prefix: 'RVTW' });
  today = localDateIn(runtime.clock.now());
});

afterAll(async () => {
  await embedded?.stop();
});

interface CauseView {
  id: string;
  code: string;
  tier: string;
  determinedOn: string;
  policyId: string;
  listingUntil: string;
  factIds: string[];
  rectified: boolean;
  closed?: { kind: string; on: string };
}

interface EnterpriseView {
  tier: string;
  causes: CauseView[];
  listing: { label: string; since: string; until: string } | null;
}

let registered = 0;

async function newEnterprise(): Promise<string> {
  registered += 1;
  const id = `RVTR${String(registered).padStart(6, '0')}`;
  const reply = await callAs(officer, 'POST', '/enterprises', {
    id,
    name: `Revision two ${id}`,
    contactEmail: `contact@${id.toLowerCase()}.test`,
  });
  expect(reply.status, reply.text).toBe(201);
  return id;
}

async function recordFact(enterpriseId: string, fact: Record<string, unknown>): Promise<string> {
  const reply = await callAs(officer, 'POST', `/enterprises/${enterpriseId}/facts`, fact);
  expect(reply.status, reply.text).toBe(201);
  return (reply.body.fact as { id: string }).id;
}

async function pay(enterpriseId: string, factId: string, paidOn: string): Promise<void> {
  const reply = await callAs(officer, 'POST', `/enterprises/${enterpriseId}/facts/${factId}/payment`, {
    paidOn,
  });
  expect(reply.status, reply.text).toBe(200);
}

async function enterprise(enterpriseId: string): Promise<EnterpriseView> {
  const reply = await callAs(officer, 'GET', `/enterprises/${enterpriseId}`);
  expect(reply.status, reply.text).toBe(200);
  return reply.body as unknown as EnterpriseView;
}

const active = (view: EnterpriseView): CauseView[] => view.causes.filter((c) => c.closed === undefined);

async function application(id: string): Promise<Record<string, unknown>> {
  return flow.application(id);
}

async function finalApplication(id: string): Promise<Record<string, unknown>> {
  return eventually(`application ${id} decided`, async () => {
    const app = await application(id);
    return ['AWAITING_EVIDENCE', 'UNDER_REVIEW'].includes(app.status as string) ? undefined : app;
  });
}

async function approveBoth(links: { CUSTOMS: string; TAX: string }): Promise<void> {
  for (const link of [links.CUSTOMS, links.TAX]) {
    const page = await decideWithLink(link, { decision: 'APPROVE' });
    expect(page.status).toBe(200);
  }
}

async function sweep(): Promise<Record<string, number>> {
  const reply = await send(runtime.url, 'POST', '/_local/sweep');
  expect(reply.status, reply.text).toBe(200);
  expect(reply.body.failed).toBe(0);
  return reply.body as Record<string, number>;
}

async function listingEvents(enterpriseId: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(join(runtime.dataDir, 'events.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { detail?: unknown; Detail?: unknown })
    .map((entry) => {
      const detail = entry.detail ?? entry.Detail;
      return (typeof detail === 'string' ? JSON.parse(detail) : detail) as Record<string, unknown>;
    })
    .filter((detail) => detail?.enterpriseId === enterpriseId);
}

const mailTo = async (address: string) => (await outbox(runtime.url)).filter((m) => m.to.includes(address));

describe('§6.1 a repair closes the causes it was accepted for, and no others', () => {
  it('a bribery recorded during review ends the application at once: REJECTED, NEW_CAUSE_DETERMINED', async () => {
    const { id: enterpriseId, token } = await flow.eligibleEnterprise();
    const applicant = { baseUrl: runtime.url, token };
    const before = await enterprise(enterpriseId);
    const { id, created, links } = await applyAndSubmit(applicant, enterpriseId, 'Taxes paid.');
    expect(created.body.coveredCauseIds).toEqual(active(before).map((c) => c.id));

    const bribery = await recordFact(enterpriseId, { type: 'BRIBERY', occurredOn: today });

    // At once: the fact route itself ends the application.
    const ended = await application(id);
    expect(ended).toMatchObject({ status: 'REJECTED', outcome: { reason: 'NEW_CAUSE_DETERMINED' } });
    expect((ended.reviews as { status: string }[]).map((r) => r.status)).toEqual([
      'SUPERSEDED',
      'SUPERSEDED',
    ]);
    expect((await openPage(links.CUSTOMS)).status).toBe(410);

    const after = await enterprise(enterpriseId);
    expect(after.tier).toBe('SERIOUSLY_DISHONEST');
    expect(active(after).map((c) => c.code)).toEqual(['TAX_ARREARS', 'BRIBERY']);
    expect(active(after).find((c) => c.code === 'BRIBERY')?.factIds).toEqual([bribery]);

    // The applicant and both parties are told, in one message each.
    const contact = `c@${enterpriseId.toLowerCase()}.test`;
    const told = await eventually('the outcome emails', async () => {
      const messages = (await outbox(runtime.url)).filter(
        (m) => m.text.includes(id) && /Credit repair outcome/.test(m.subject),
      );
      return messages.length >= 2 ? messages : undefined;
    });
    expect(told.filter((m) => m.to.includes(contact))).toHaveLength(1);
    expect(told.filter((m) => m.to.includes(DEMO_REVIEWER_EMAIL.CUSTOMS))).toHaveLength(1);
    // The enterprise may not be repaired past the new cause: applying again is refused.
    const again = await callAs(applicant, 'POST', '/applications', { enterpriseId, statement: 'again' });
    expectProblem(again, 422, 'NOT_ELIGIBLE');
  });

  it('a bribery recorded later on the approval day is not covered by the repair', async () => {
    const { id: enterpriseId, token } = await flow.eligibleEnterprise();
    const { id, links } = await applyAndSubmit({ baseUrl: runtime.url, token }, enterpriseId, 'Paid.');
    await approveBoth(links);
    expect(await finalApplication(id)).toMatchObject({ status: 'APPROVED' });
    expect((await enterprise(enterpriseId)).tier).toBe('REGULAR');

    await recordFact(enterpriseId, { type: 'BRIBERY', occurredOn: today });
    const view = await enterprise(enterpriseId);
    expect(view.tier).toBe('SERIOUSLY_DISHONEST');
    expect(active(view).map((c) => c.code)).toEqual(['BRIBERY']);
    expect(view.causes.find((c) => c.code === 'TAX_ARREARS')?.closed).toEqual({
      kind: 'REPAIRED',
      on: today,
    });
  });
});

describe('§6.2 a fact counts in one cause at most', () => {
  it('a repair does not remove unrelated fines and infractions from later windows', async () => {
    const { id: enterpriseId, token } = await flow.eligibleEnterprise();
    const applicant = { baseUrl: runtime.url, token };
    const { id, links } = await applyAndSubmit(applicant, enterpriseId, 'Paid.');
    // Neither crosses anything: the application goes on.
    await recordFact(enterpriseId, { type: 'FINE', amount: 600_000, imposedOn: today, dueOn: today });
    await recordFact(enterpriseId, { type: 'MAJOR_INFRACTION', occurredOn: today });
    expect((await application(id)).status).toBe('UNDER_REVIEW');
    await approveBoth(links);
    expect(await finalApplication(id)).toMatchObject({ status: 'APPROVED' });

    await recordFact(enterpriseId, { type: 'FINE', amount: 500_000, imposedOn: today, dueOn: today });
    await recordFact(enterpriseId, { type: 'MAJOR_INFRACTION', occurredOn: today });
    const view = await enterprise(enterpriseId);
    expect(
      active(view)
        .map((c) => c.code)
        .sort(),
    ).toEqual(['EXCESSIVE_FINES', 'REPEATED_MAJOR_INFRACTIONS']);
    expect(view.tier).toBe('SERIOUSLY_DISHONEST');
  });

  it('a small fine while the window is above ¥1,000,000 determines nothing and extends nothing', async () => {
    const enterpriseId = await newEnterprise();
    const first = addDays(today, -20);
    await recordFact(enterpriseId, { type: 'FINE', amount: 600_000, imposedOn: first, dueOn: first });
    const crossing = await recordFact(enterpriseId, {
      type: 'FINE',
      amount: 500_000,
      imposedOn: addDays(today, -10),
      dueOn: addDays(today, -10),
    });
    const small = await recordFact(enterpriseId, {
      type: 'FINE',
      amount: 1_000,
      imposedOn: today,
      dueOn: today,
    });
    const view = await enterprise(enterpriseId);
    expect(view.causes).toHaveLength(1);
    expect(view.causes[0]).toMatchObject({
      code: 'EXCESSIVE_FINES',
      determinedOn: addDays(today, -10),
      listingUntil: addYears(addDays(today, -10), 1),
    });
    expect(view.causes[0]?.factIds).toContain(crossing);
    expect(view.causes[0]?.factIds).not.toContain(small);
    expect(view.listing?.until).toBe(addYears(addDays(today, -10), 1));
  });
});

describe('§6.5 each cause has its own listing', () => {
  it('a DISHONEST-grade cause does not extend a SERIOUSLY_DISHONEST listing', async () => {
    const enterpriseId = await newEnterprise();
    const briberyOn = addDays(today, -60);
    await recordFact(enterpriseId, { type: 'BRIBERY', occurredOn: briberyOn });
    // Unpaid at the end of dueOn + 3 months: arrears nine days ago, after the bribery.
    const dueOn = addDays(addMonths(today, -3), -10);
    await recordFact(enterpriseId, { type: 'TAX_ASSESSMENT', amount: 20_000, dueOn });
    const view = await enterprise(enterpriseId);
    const arrears = view.causes.find((c) => c.code === 'TAX_ARREARS');
    expect(arrears?.determinedOn).toBe(addDays(addMonths(dueOn, 3), 1));
    expect(arrears?.listingUntil).toBe(addYears(addDays(addMonths(dueOn, 3), 1), 1));
    expect(view.listing).toEqual({
      label: 'Seriously Dishonest Listing',
      since: briberyOn,
      until: addYears(briberyOn, 3),
    });
  });

  it('the worked example: an old debt paid long ago, recorded today, shows REGULAR and is never announced', async () => {
    const enterpriseId = await newEnterprise();
    const factId = await recordFact(enterpriseId, {
      type: 'TAX_ASSESSMENT',
      amount: 50_000,
      dueOn: '2024-01-01',
    });
    await pay(enterpriseId, factId, '2024-06-01');
    const view = await enterprise(enterpriseId);
    expect(view.tier).toBe('REGULAR');
    expect(view.listing).toBeNull();
    expect(view.causes).toEqual([
      expect.objectContaining({
        code: 'TAX_ARREARS',
        determinedOn: '2024-04-02',
        policyId: 'GAC-251-2021',
        listingUntil: '2026-04-02',
        closed: { kind: 'LISTING_EXPIRED', on: '2026-04-02' },
        factIds: [factId],
      }),
    ]);
    await sweep();
    await sweep();
    expect(await mailTo(`contact@${enterpriseId.toLowerCase()}.test`)).toEqual([]);
    expect(await listingEvents(enterpriseId)).toEqual([]);
    expect((await enterprise(enterpriseId)).tier).toBe('REGULAR');
  });
});

describe('§6.4 paying on the last day is in time', () => {
  it('a tax paid on dueOn + 3 months makes no arrears; paid a day later, arrears that day', async () => {
    const inTime = await newEnterprise();
    const dueOn = addMonths(today, -5);
    const lastDay = addMonths(dueOn, 3);
    await pay(inTime, await recordFact(inTime, { type: 'TAX_ASSESSMENT', amount: 9_000, dueOn }), lastDay);
    expect(await enterprise(inTime)).toMatchObject({ tier: 'REGULAR', causes: [] });

    const late = await newEnterprise();
    const factId = await recordFact(late, { type: 'TAX_ASSESSMENT', amount: 9_000, dueOn });
    await pay(late, factId, addDays(lastDay, 1));
    const view = await enterprise(late);
    expect(view.tier).toBe('DISHONEST');
    expect(view.causes.map((c) => [c.code, c.determinedOn])).toEqual([['TAX_ARREARS', addDays(lastDay, 1)]]);
  });
});

describe('§6.6 policies are versioned by effective date', () => {
  it('a bribery before 2026-04-01 is judged under GAC-251-2021: DISHONEST, listed two years', async () => {
    const enterpriseId = await newEnterprise();
    const factId = await recordFact(enterpriseId, { type: 'BRIBERY', occurredOn: '2026-03-15' });
    const view = await enterprise(enterpriseId);
    expect(view.tier).toBe('DISHONEST');
    expect(view.causes).toEqual([
      expect.objectContaining({
        code: 'BRIBERY',
        tier: 'DISHONEST',
        policyId: 'GAC-251-2021',
        listingUntil: '2028-03-15',
        factIds: [factId],
      }),
    ]);
    expect(view.causes[0]?.closed).toBeUndefined();
  });

  it('refuses a fact dated before the oldest policy: 422 BEFORE_FIRST_POLICY, nothing recorded', async () => {
    const enterpriseId = await newEnterprise();
    for (const fact of [
      { type: 'FINE', amount: 10, imposedOn: '2021-10-31', dueOn: '2021-11-30' },
      { type: 'TAX_ASSESSMENT', amount: 10, dueOn: '2021-10-31' },
      { type: 'BRIBERY', occurredOn: '2021-10-31' },
      { type: 'OBSTRUCTION', occurredOn: '1999-01-01' },
    ]) {
      const reply: Reply = await callAs(officer, 'POST', `/enterprises/${enterpriseId}/facts`, fact);
      expectProblem(reply, 422, 'BEFORE_FIRST_POLICY');
    }
    expect((await callAs(officer, 'GET', `/enterprises/${enterpriseId}`)).body.facts).toEqual([]);
    await recordFact(enterpriseId, { type: 'MAJOR_INFRACTION', occurredOn: '2021-11-01' });
  });
});

describe('§6.10 resubmission after a change request', () => {
  it('needs a response from round 2 (checked before the documents), stored and shown to the next round', async () => {
    const { id: enterpriseId, token } = await flow.eligibleEnterprise();
    const applicant = { baseUrl: runtime.url, token };
    const { id, links } = await applyAndSubmit(applicant, enterpriseId, 'Paid.');
    await decideWithLink(links.CUSTOMS, {
      decision: 'REQUEST_CHANGES',
      comment: 'The receipt is unreadable.',
    });
    await decideWithLink(links.TAX, { decision: 'APPROVE' });
    await eventually('round 2', async () => ((await application(id)).round === 2 ? true : undefined));

    const submitPath = `/applications/${id}/evidence/submit`;
    // Nothing uploaded yet in round 2 would be fine (documents carry over), but no response is not.
    expectProblem(await callAs(applicant, 'POST', submitPath), 422, 'RESPONSE_REQUIRED');
    expectProblem(await callAs(applicant, 'POST', submitPath, { response: '   ' }), 422, 'RESPONSE_REQUIRED');
    await uploadDocuments(applicant, id, ['TAX_PAID_PROOF']);
    const response = 'A clearer scan of the tax receipt is attached.';
    const submitted = await callAs(applicant, 'POST', submitPath, { response });
    expect(submitted.status, submitted.text).toBe(202);
    const view = await application(id);
    expect(view.responses).toEqual([{ round: 2, response, at: expect.any(String) }]);
    expect(
      (view.timeline as { type: string; detail?: Record<string, unknown> }[]).find(
        (t) => t.type === 'EVIDENCE_SUBMITTED' && t.detail?.response === response,
      ),
    ).toBeDefined();

    const round2 = await reviewLinks(runtime.url, id, 2);
    const page = await openPage(round2.TAX);
    expect(page.status).toBe(200);
    expect(page.html).toContain(response);
    expect(page.html).toContain('The receipt is unreadable.');
    // Only the document uploaded again in round 2 is marked new.
    expect(page.html).toMatch(/Proof of tax payment<\/span>(?:(?!<\/td>)[\s\S])*new in this round/);
    expect(page.html.match(/new in this round/g)).toHaveLength(1);
  });
});
