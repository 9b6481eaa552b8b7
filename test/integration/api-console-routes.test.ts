import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, localDateIn } from '../../domain/dates.ts';
import type { Runtime } from '../../local/runtime.ts';
import { startEmbeddedRuntime, type EmbeddedRuntime } from '../support/embedded-runtime.ts';
import { eventually } from '../support/eventually.ts';
import { expectProblem, send } from '../support/http-client.ts';
import {
  applicantToken,
  applyAndSubmit,
  callAs,
  decideWithLink,
  type Caller,
} from '../support/review-flow.ts';

/**
 * The routes the console reads (issue 16), over HTTP on the embedded runtime: finding enterprises
 * by tier and name from the index (kept on every write and by the sweep when time alone moves a
 * tier), eligibility before applying, the enterprise timeline, the applications list's deadlines,
 * and the workflow drawn from the state machine's definition and the execution history.
 */

let embedded: EmbeddedRuntime;
let runtime: Runtime;
let officer: Caller;
let today: string;

interface Summary {
  id: string;
  name: string;
  tier: string;
}
interface Page<T> {
  items: T[];
  nextToken?: string;
}

const register = async (id: string, name: string) => {
  const reply = await callAs(officer, 'POST', '/enterprises', { id, name, contactEmail: 'c@example.org' });
  expect(reply.status, reply.text).toBe(201);
};
const find = async (query: string): Promise<Page<Summary>> => {
  const reply = await callAs(officer, 'GET', `/enterprises?${query}`);
  expect(reply.status, reply.text).toBe(200);
  return reply.body as unknown as Page<Summary>;
};
const ids = (page: Page<Summary>) => page.items.map((item) => item.id);
const sweep = async () => expect((await send(runtime.url, 'POST', '/_local/sweep')).status).toBe(200);
const moveClockTo = async (date: string) => {
  const reply = await send(runtime.url, 'POST', '/_local/clock', { json: { now: `${date}T02:00:00Z` } });
  expect(reply.status, reply.text).toBe(200);
  today = date;
};
/** A tax assessment paid long enough ago that the enterprise may apply now. */
const makeEligible = async (id: string) => {
  const fact = await callAs(officer, 'POST', `/enterprises/${id}/facts`, {
    type: 'TAX_ASSESSMENT',
    amount: '1000',
    dueOn: addMonths(today, -9),
  });
  expect(fact.status, fact.text).toBe(201);
  const factId = (fact.body as { fact: { id: string } }).fact.id;
  const paid = await callAs(officer, 'POST', `/enterprises/${id}/facts/${factId}/payment`, {
    paidOn: addMonths(today, -4),
  });
  expect(paid.status, paid.text).toBe(200);
};

beforeAll(async () => {
  embedded = await startEmbeddedRuntime('console-routes');
  runtime = embedded.runtime;
  officer = { baseUrl: runtime.url, token: runtime.tokens.officer };
  today = localDateIn(runtime.clock.now());
}, 60_000);

afterAll(async () => {
  await embedded?.stop();
});

describe('GET /enterprises', () => {
  it('finds enterprises by tier and by the start of their name, in name order, page by page', async () => {
    await register('FINDAA0001', 'Zephyrine Trading Co.');
    await register('FINDAA0002', 'ＺＥＰＨＹＲＩＮＥ Logistics'); // full-width letters
    await register('FINDAA0003', '海港贸易有限公司');
    await register('FINDAA0004', 'Zephyrine Imports');
    await makeEligible('FINDAA0004');

    expect(ids(await find('name=zephyrine'))).toEqual(['FINDAA0004', 'FINDAA0002', 'FINDAA0001']);
    expect(ids(await find('name=%E6%B5%B7%E6%B8%AF'))).toEqual(['FINDAA0003']);
    expect(ids(await find('name=zephyrine&tier=DISHONEST'))).toEqual(['FINDAA0004']);
    expect(ids(await find('name=zephyrine&tier=REGULAR'))).toEqual(['FINDAA0002', 'FINDAA0001']);
    const listed = await find('tier=DISHONEST');
    expect(listed.items).toContainEqual({ id: 'FINDAA0004', name: 'Zephyrine Imports', tier: 'DISHONEST' });
    expect(listed.items.every((item) => item.tier === 'DISHONEST')).toBe(true);

    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await find(`name=zephyrine&limit=1${token ? `&nextToken=${token}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...ids(page));
      token = page.nextToken;
    } while (token !== undefined);
    expect(seen).toEqual(['FINDAA0004', 'FINDAA0002', 'FINDAA0001']);
  });

  it('refuses a bad cursor, a bad tier and applicants, and changes nothing', async () => {
    expectProblem(
      await callAs(officer, 'GET', '/enterprises?nextToken=bm90LWEtdG9rZW4'),
      400,
      'INVALID_NEXT_TOKEN',
    );
    expectProblem(await callAs(officer, 'GET', '/enterprises?tier=GOLD'), 400, 'VALIDATION_FAILED');
    const applicant = { baseUrl: runtime.url, token: await applicantToken(runtime.url, 'FINDAA0001') };
    expectProblem(await callAs(applicant, 'GET', '/enterprises?tier=DISHONEST'), 403, 'FORBIDDEN');
  });

  it('follows a tier that time alone moves: shown as of today at once, moved by the sweep', async () => {
    await register('FINDAA0005', 'Zephyrine Arrears Ltd');
    // Unpaid, and arrears only after dueOn + 3 months: REGULAR for ten more days.
    const dueOn = addDays(addMonths(today, -3), 10);
    const fact = await callAs(officer, 'POST', '/enterprises/FINDAA0005/facts', {
      type: 'TAX_ASSESSMENT',
      amount: '500',
      dueOn,
    });
    expect(fact.status, fact.text).toBe(201);
    expect(ids(await find('tier=REGULAR&name=zephyrine arrears'))).toEqual(['FINDAA0005']);

    await moveClockTo(addDays(today, 12));
    // The entry still sits under REGULAR until the day's sweep; the search classifies it again.
    expect(ids(await find('tier=REGULAR&name=zephyrine arrears'))).toEqual([]);
    expect((await find('name=zephyrine arrears')).items).toEqual([
      { id: 'FINDAA0005', name: 'Zephyrine Arrears Ltd', tier: 'DISHONEST' },
    ]);
    await sweep();
    expect(ids(await find('tier=DISHONEST&name=zephyrine arrears'))).toEqual(['FINDAA0005']);
  });
});

describe('GET /enterprises/{id}/eligibility and /events', () => {
  it('gives every refusal with the earliest date, then eligibility, without applying', async () => {
    await register('ELIGAA0001', 'Eligibility Test Co.');
    const applicant = { baseUrl: runtime.url, token: await applicantToken(runtime.url, 'ELIGAA0001') };
    const regular = await callAs(applicant, 'GET', '/enterprises/ELIGAA0001/eligibility');
    expect(regular.status, regular.text).toBe(200);
    expect(regular.body).toMatchObject({
      eligible: false,
      reasons: [{ code: 'NOT_DOWNGRADED', tier: 'REGULAR' }],
    });

    const fact = await callAs(officer, 'POST', '/enterprises/ELIGAA0001/facts', {
      type: 'TAX_ASSESSMENT',
      amount: '1234.50',
      dueOn: addMonths(today, -6),
    });
    const factId = (fact.body as { fact: { id: string } }).fact.id;
    const unpaid = await callAs(applicant, 'GET', '/enterprises/ELIGAA0001/eligibility');
    expect(unpaid.body).toMatchObject({
      eligible: false,
      earliestApplicationOn: null,
      reasons: [
        { code: 'OUTSTANDING_OBLIGATIONS', facts: [{ factId, type: 'TAX_ASSESSMENT', amount: 1234.5 }] },
        { code: 'RECTIFICATION_PERIOD_NOT_MET', earliestApplicationOn: null },
      ],
    });

    const paidOn = addMonths(today, -1);
    await callAs(officer, 'POST', `/enterprises/ELIGAA0001/facts/${factId}/payment`, { paidOn });
    const waiting = await callAs(applicant, 'GET', '/enterprises/ELIGAA0001/eligibility');
    expect(waiting.body).toMatchObject({
      eligible: false,
      earliestApplicationOn: addMonths(paidOn, 3),
      reasons: [{ code: 'RECTIFICATION_PERIOD_NOT_MET', earliestApplicationOn: addMonths(paidOn, 3) }],
      requiredDocuments: expect.arrayContaining(['TAX_PAID_PROOF']),
    });
    // Reading changed nothing: no application, no new event.
    const enterprise = await callAs(officer, 'GET', '/enterprises/ELIGAA0001');
    expect((enterprise.body as { openApplicationId?: string }).openApplicationId).toBeUndefined();

    const events = await callAs(applicant, 'GET', '/enterprises/ELIGAA0001/events');
    expect(events.status, events.text).toBe(200);
    const types = (events.body as unknown as Page<{ type: string; at: string }>).items.map((e) => e.type);
    expect(types.length).toBeGreaterThan(0);
    const ats = (events.body as unknown as Page<{ at: string }>).items.map((e) => e.at);
    expect([...ats].sort().reverse()).toEqual(ats);

    const other = { baseUrl: runtime.url, token: await applicantToken(runtime.url, 'FINDAA0001') };
    expectProblem(await callAs(other, 'GET', '/enterprises/ELIGAA0001/eligibility'), 403, 'FORBIDDEN');
    expectProblem(await callAs(officer, 'GET', '/enterprises/NOSUCH0001/eligibility'), 404, 'NOT_FOUND');
    expectProblem(await callAs(officer, 'GET', '/enterprises/NOSUCH0001/events'), 404, 'NOT_FOUND');
  });
});

describe('GET /applications/{id}/workflow and the list deadlines', () => {
  it('draws the definition and follows the execution to its end', async () => {
    await register('FLOWAA0001', 'Workflow Test Co.');
    await makeEligible('FLOWAA0001');
    const applicant = { baseUrl: runtime.url, token: await applicantToken(runtime.url, 'FLOWAA0001') };
    const application = await applyAndSubmit(applicant, 'FLOWAA0001', 'Taxes paid.');

    const listed = await callAs(officer, 'GET', '/applications?enterpriseId=FLOWAA0001');
    const entry = (listed.body as unknown as Page<{ id: string; deadline?: string; overdue: boolean }>)
      .items[0];
    expect(entry).toMatchObject({ id: application.id, overdue: false, deadline: expect.any(String) });

    type Flow = {
      graph: { startAt: string; states: { name: string; parent?: string }[]; edges: { from: string }[] };
      visited: string[];
      current: string[];
      status: string;
    };
    const workflowOf = async (caller: Caller): Promise<Flow> => {
      const reply = await callAs(caller, 'GET', `/applications/${application.id}/workflow`);
      expect(reply.status, reply.text).toBe(200);
      return reply.body as Flow;
    };
    const waiting = await eventually('the review wait', async () => {
      const flow = await workflowOf(applicant);
      return flow.current.includes('OpenReview') ? flow : undefined;
    });
    expect(waiting.status).toBe('RUNNING');
    expect(waiting.graph.startAt).toBe('CheckEligibility');
    expect(waiting.graph.states).toContainEqual(
      expect.objectContaining({ name: 'OpenReview', parent: 'Review' }),
    );
    expect(waiting.visited.slice(0, 3)).toEqual(['CheckEligibility', 'IsEligible', 'AwaitEvidence']);

    for (const link of Object.values(application.links)) await decideWithLink(link, { decision: 'APPROVE' });
    const done = await eventually('the end of the execution', async () => {
      const flow = await workflowOf(officer);
      return flow.status === 'SUCCEEDED' ? flow : undefined;
    });
    expect(done.current).toEqual([]);
    expect(done.visited).toEqual(expect.arrayContaining(['Tally', 'Decide', 'UpgradeTier', 'Notify']));
    expect(done.visited).not.toContain('RecordFailure');

    // Another enterprise's applicant learns nothing: the same answer as an unknown id.
    const other = { baseUrl: runtime.url, token: await applicantToken(runtime.url, 'FINDAA0001') };
    expectProblem(await callAs(other, 'GET', `/applications/${application.id}/workflow`), 404, 'NOT_FOUND');
    expectProblem(await callAs(officer, 'GET', '/applications/nosuch/workflow'), 404, 'NOT_FOUND');
  });
});
