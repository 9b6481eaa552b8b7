import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, addYears, localDateIn } from '../../domain/dates.ts';
import type { Runtime } from '../../local/runtime.ts';
import { startEmbeddedRuntime, type EmbeddedRuntime } from '../support/embedded-runtime.ts';
import { eventually } from '../support/eventually.ts';
import { send } from '../support/http-client.ts';
import {
  applicantToken,
  applyAndSubmit,
  callAs,
  decideWithLink,
  openPage,
  outbox,
  ReviewFlow,
  submitEvidence,
  uploadDocuments,
  type Caller,
  type OutboxMessage,
} from '../support/review-flow.ts';

/**
 * RULES.md §6 cases that need time to pass, through HTTP on the embedded runtime: the simulated
 * clock is moved forward (POST /_local/clock) and the sweep run (POST /_local/sweep) on the days
 * that matter. The tests run in order on one runtime; each starts where the previous left the clock.
 */

let embedded: EmbeddedRuntime | undefined;
let runtime: Runtime;
let officer: Caller;
let flow: ReviewFlow;

beforeAll(async () => {
  embedded = await startEmbeddedRuntime('rules-revision-2-time');
  runtime = embedded.runtime;
  officer = { baseUrl: runtime.url, token: runtime.tokens.officer };
  flow = new ReviewFlow(runtime, { prefix: 'RVTT' });
});

afterAll(async () => {
  await embedded?.stop();
});

const todayOnClock = (): string => localDateIn(runtime.clock.now());

/** Moves the simulated clock to 10:00 in Shanghai on `date`; then sweeps if asked. */
async function moveTo(date: string): Promise<void> {
  const moved = await send(runtime.url, 'POST', '/_local/clock', { json: { now: `${date}T02:00:00.000Z` } });
  expect(moved.status, moved.text).toBe(200);
}

async function sweepOn(date: string): Promise<Record<string, number>> {
  await moveTo(date);
  const swept = await send(runtime.url, 'POST', '/_local/sweep');
  expect(swept.status, swept.text).toBe(200);
  expect(swept.body.failed).toBe(0);
  return swept.body as Record<string, number>;
}

const mails = async (predicate: (m: OutboxMessage) => boolean): Promise<OutboxMessage[]> =>
  (await outbox(runtime.url)).filter(predicate);

async function recordFact(enterpriseId: string, fact: Record<string, unknown>): Promise<string> {
  const reply = await callAs(officer, 'POST', `/enterprises/${enterpriseId}/facts`, fact);
  expect(reply.status, reply.text).toBe(201);
  return (reply.body.fact as { id: string }).id;
}

async function enterprise(id: string): Promise<{
  tier: string;
  causes: { id: string; code: string; determinedOn: string; listingUntil: string; closed?: unknown }[];
}> {
  const reply = await callAs(officer, 'GET', `/enterprises/${id}`);
  expect(reply.status, reply.text).toBe(200);
  return reply.body as never;
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

let registered = 0;
async function newEnterprise(): Promise<string> {
  registered += 1;
  const id = `RVTE${String(registered).padStart(6, '0')}`;
  const reply = await callAs(officer, 'POST', '/enterprises', {
    id,
    name: `Timed ${id}`,
    contactEmail: `contact@${id.toLowerCase()}.test`,
  });
  expect(reply.status, reply.text).toBe(201);
  return id;
}

describe('§6.7 review deadlines count whole days', () => {
  it('reminds on day 11, escalates on day 15 (not 14), both saying "by the end of" the deadline', async () => {
    const { id } = await flow.applicationUnderReview();
    const opened = todayOnClock();
    const deadline = addDays(opened, 14);
    const about = (m: OutboxMessage) => m.text.includes(id);

    expect(await sweepOn(addDays(opened, 10))).toMatchObject({ reviewReminders: 0 });
    expect(await sweepOn(addDays(opened, 11))).toMatchObject({ reviewReminders: 2 });
    const reminders = await mails((m) => about(m) && m.subject.includes('Review reminder'));
    expect(reminders).toHaveLength(2);
    for (const reminder of reminders) {
      expect(reminder.text).toContain(`by the end of ${deadline}`);
      expect(reminder.text).toContain(`${deadline} 当日结束前`);
    }

    expect(await sweepOn(addDays(opened, 14))).toMatchObject({ reviewEscalations: 0 });
    expect(await sweepOn(addDays(opened, 15))).toMatchObject({ reviewEscalations: 2 });
    const escalations = await mails((m) => about(m) && m.subject.includes('Review overdue'));
    expect(
      escalations
        .map((m) => m.to)
        .flat()
        .sort(),
    ).toEqual(['customs.lead@example.org', 'tax.lead@example.org']);
    for (const escalation of escalations) {
      expect(escalation.text).toContain(`by the end of ${deadline}`);
      expect(escalation.text).toContain(`${deadline} 当日结束前`);
    }
  });
});

describe('§6.1 arrears arising by time end an open application', () => {
  it('the sweep that determines the arrears rejects the application with NEW_CAUSE_DETERMINED', async () => {
    const { id, links } = await flow.applicationUnderReview();
    const enterpriseId = ((await flow.application(id)).enterpriseId as string) ?? '';
    const today = todayOnClock();
    const dueOn = addDays(addMonths(today, -3), 5);
    const arrearsOn = addDays(addMonths(dueOn, 3), 1);
    expect(arrearsOn > today).toBe(true);
    await recordFact(enterpriseId, { type: 'TAX_ASSESSMENT', amount: 30_000, dueOn });
    expect((await flow.application(id)).status).toBe('UNDER_REVIEW');

    await sweepOn(addDays(arrearsOn, -1));
    expect((await flow.application(id)).status).toBe('UNDER_REVIEW');
    expect(await sweepOn(arrearsOn)).toMatchObject({ arrearsDetermined: 1 });
    expect(await flow.application(id)).toMatchObject({
      status: 'REJECTED',
      outcome: { reason: 'NEW_CAUSE_DETERMINED' },
    });
    expect((await openPage(links.TAX)).status).toBe(410);
    const view = await enterprise(enterpriseId);
    expect(view.tier).toBe('DISHONEST');
    expect(view.causes.filter((c) => c.closed === undefined).map((c) => c.code)).toEqual([
      'TAX_ARREARS',
      'TAX_ARREARS',
    ]);
  });
});

describe('a year on: a listing that ends during review, and a SERIOUSLY_DISHONEST repair led by customs', () => {
  let listed = '';
  let listingEnd = '';
  let serious = '';

  it('sets up: arrears paid today (listed one year), a bribery two weeks ago', async () => {
    const today = todayOnClock();
    listed = await newEnterprise();
    const dueOn = addMonths(addDays(today, -1), -3);
    const taxId = await recordFact(listed, { type: 'TAX_ASSESSMENT', amount: 40_000, dueOn });
    const paid = await callAs(officer, 'POST', `/enterprises/${listed}/facts/${taxId}/payment`, {
      paidOn: today,
    });
    expect(paid.status, paid.text).toBe(200);
    const cause = (await enterprise(listed)).causes[0];
    expect(cause?.code).toBe('TAX_ARREARS');
    listingEnd = addYears(cause!.determinedOn, 1);
    expect(cause?.listingUntil).toBe(listingEnd);

    serious = await newEnterprise();
    await recordFact(serious, { type: 'BRIBERY', occurredOn: addDays(today, -15) });
    expect((await enterprise(serious)).tier).toBe('SERIOUSLY_DISHONEST');
  });

  it('a SERIOUSLY_DISHONEST application has the four parties; the lead sees the others decide', async () => {
    await moveTo(addDays(listingEnd, -10));
    const applicant = { baseUrl: runtime.url, token: await applicantToken(runtime.url, serious) };
    const created = await callAs(applicant, 'POST', '/applications', {
      enterpriseId: serious,
      statement: 'Reformed.',
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as string;
    expect(created.body.fromTier).toBe('SERIOUSLY_DISHONEST');
    await uploadDocuments(applicant, id, created.body.requiredDocuments as string[]);
    await submitEvidence(applicant, id);
    const reviewers = {
      CUSTOMS: 'customs.reviewer@example.org',
      TAX: 'tax.reviewer@example.org',
      MARKET_REGULATION: 'market.reviewer@example.org',
      FINANCIAL_REGULATION: 'finance.reviewer@example.org',
    };
    const links = await eventually('four review links', async () => {
      const messages = await outbox(runtime.url);
      const found = Object.fromEntries(
        Object.entries(reviewers).map(([party, email]) => [
          party,
          messages
            .filter((m) => m.to.includes(email) && m.text.includes(id))
            .flatMap((m) => m.links.filter((l) => l.includes('/review/')))[0],
        ]),
      ) as Record<keyof typeof reviewers, string | undefined>;
      return Object.values(found).every((l) => l !== undefined)
        ? (found as Record<keyof typeof reviewers, string>)
        : undefined;
    });
    const view = await flow.application(id);
    expect((view.reviews as { party: string }[]).map((r) => r.party)).toEqual([
      'CUSTOMS',
      'TAX',
      'MARKET_REGULATION',
      'FINANCIAL_REGULATION',
    ]);

    await decideWithLink(links.TAX, { decision: 'APPROVE', comment: 'Tax bureau is satisfied.' });
    const lead = await openPage(links.CUSTOMS);
    expect(lead.html).toContain('Tax bureau is satisfied.');
    const other = await openPage(links.MARKET_REGULATION);
    expect(other.html).not.toContain('Tax bureau is satisfied.');

    for (const party of ['CUSTOMS', 'MARKET_REGULATION', 'FINANCIAL_REGULATION'] as const) {
      expect((await decideWithLink(links[party], { decision: 'APPROVE' })).status).toBe(200);
    }
    await eventually('approved', async () =>
      (await flow.application(id)).status === 'APPROVED' ? true : undefined,
    );
    const outcome = await eventually('the outcome email', async () => {
      const found = await mails(
        (m) => m.to.includes(`contact@${serious.toLowerCase()}.test`) && m.text.includes(id),
      );
      return found.length > 0 ? found : undefined;
    });
    expect(outcome[0]?.text).toContain('Issued by Customs, the lead party of the joint review');
    expect(outcome[0]?.text).toContain('联合审核牵头单位海关');
    expect((await enterprise(serious)).tier).toBe('REGULAR');
  });

  it('a covered cause whose listing ends during review ends the application: EXPIRED, LISTING_ENDED', async () => {
    const applicant = { baseUrl: runtime.url, token: await applicantToken(runtime.url, listed) };
    const { id, links } = await applyAndSubmit(applicant, listed, 'Paid in full.');
    expect((await enterprise(listed)).tier).toBe('DISHONEST');

    await sweepOn(addDays(listingEnd, -1));
    expect((await flow.application(id)).status).toBe('UNDER_REVIEW');
    await sweepOn(listingEnd);
    const ended = await flow.application(id);
    expect(ended).toMatchObject({ status: 'EXPIRED', outcome: { reason: 'LISTING_ENDED' } });
    expect((ended.reviews as { status: string }[]).map((r) => r.status)).toEqual([
      'SUPERSEDED',
      'SUPERSEDED',
    ]);
    expect((await openPage(links.CUSTOMS)).status).toBe(410);
    const view = await enterprise(listed);
    expect(view.tier).toBe('REGULAR');
    expect(view.causes[0]?.closed).toEqual({ kind: 'LISTING_EXPIRED', on: listingEnd });

    await sweepOn(addDays(listingEnd, 1));
    const contact = `contact@${listed.toLowerCase()}.test`;
    expect(await mails((m) => m.to.includes(contact) && m.subject.includes('Listing ended'))).toHaveLength(1);
    expect(await listingEvents(listed)).toEqual([
      expect.objectContaining({
        fromTier: 'DISHONEST',
        toTier: 'REGULAR',
        reason: 'LISTING_EXPIRED',
        effectiveOn: listingEnd,
      }),
    ]);
    await eventually('the applicant told of the end', async () => {
      const found = await mails(
        (m) => m.to.includes(contact) && m.text.includes(id) && m.subject.includes('outcome'),
      );
      return found.length === 1 ? found : undefined;
    });
  });
});
