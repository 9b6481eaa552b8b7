import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDateIn } from '../../domain/dates.ts';
import { PARTY_NAMES } from '../../domain/labels.ts';
import { startRuntime, type Runtime } from '../../local/runtime.ts';
import { startEmbeddedRuntime, type EmbeddedRuntime } from '../support/embedded-runtime.ts';
import { eventually } from '../support/eventually.ts';
import { send } from '../support/http-client.ts';
import {
  DEMO_REVIEWER_EMAIL,
  nonceOf,
  openPage,
  outbox,
  postForm,
  ReviewFlow,
} from '../support/review-flow.ts';

/**
 * A reminder's link through the whole embedded runtime (gateway, workflow, sweep, local mailer):
 * the sweep mails the reviewer a fresh link on day 11, that link opens the page, its documents and
 * decides, and the link of the round's first email now answers 410 on its page and its documents.
 */

let runtime: Runtime;
let embedded: EmbeddedRuntime | undefined;
let flow: ReviewFlow;

beforeAll(async () => {
  embedded = await startEmbeddedRuntime('review-reminder-links');
  runtime = embedded.runtime;
  flow = new ReviewFlow(runtime, { prefix: 'RMND' });
});

afterAll(async () => {
  await embedded?.stop();
});

const documentHref = (html: string): string => {
  const match = /href="[^"]*\/documents\/([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('the page links no document');
  return match[1];
};

describe("a reminder's link", () => {
  it('works, and the link it replaces answers 410 on its page and its documents', async () => {
    const { id, links } = await flow.applicationUnderReview();
    const first = links.TAX;
    const firstPage = await openPage(first);
    expect(firstPage.status).toBe(200);
    const evidenceId = documentHref(firstPage.html);
    // The Chinese greeting names the party, never the reviewer's Latin name or the English party name.
    expect(firstPage.html).toContain(`您好：请代表${PARTY_NAMES.TAX.zh}审核`);
    expect(firstPage.html).not.toMatch(/[A-Za-z]，您好/);

    // RULES.md §6.7: the review opened today; the reminder goes on day 11.
    const reminderDay = addDays(localDateIn(runtime.clock.now()), 11);
    const clock = await send(runtime.url, 'POST', '/_local/clock', {
      json: { now: `${reminderDay}T02:00:00Z` },
    });
    expect(clock.status).toBe(200);
    expect((await send(runtime.url, 'POST', '/_local/sweep')).status).toBe(200);

    const reminder = await eventually('the reminder email', async () =>
      (await outbox(runtime.url)).find(
        (m) =>
          m.to.includes(DEMO_REVIEWER_EMAIL.TAX) && m.text.includes(id) && m.subject.includes('审核提醒'),
      ),
    );
    const fresh = reminder.links.find((link) => link.includes('/review/'));
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(first);

    const oldPage = await openPage(first);
    expect(oldPage.status).toBe(410);
    const oldDocument = await fetch(`${first}/documents/${evidenceId}`, { redirect: 'manual' });
    expect(oldDocument.status).toBe(410);

    const freshPage = await openPage(fresh!);
    expect(freshPage.status).toBe(200);
    const freshDocument = await fetch(`${fresh!}/documents/${documentHref(freshPage.html)}`, {
      redirect: 'manual',
    });
    expect(freshDocument.status).toBe(302);

    // The old form, still open in a browser, decides nothing; the fresh one decides.
    const stale = await postForm(first, { decision: 'APPROVE', comment: '', nonce: nonceOf(firstPage.html) });
    expect(stale.status).toBe(410);
    const decided = await postForm(fresh!, {
      decision: 'APPROVE',
      comment: '',
      nonce: nonceOf(freshPage.html),
    });
    expect(decided.status).toBe(200);
    const app = await flow.application(id);
    const tax = (app.reviews as { party: string; status: string }[]).find((r) => r.party === 'TAX');
    expect(tax?.status).toBe('APPROVED');
  });
});

/**
 * The data folder main wrote at 2f9d549, the commit these links were built on
 * (test/fixtures/data-2f9d549): its round under review knows its first link only from OpenReview's memo.
 */
const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const NEWEST_FOLDER = 'data-2f9d549';

describe(`a reminder in a data folder an earlier commit wrote (${NEWEST_FOLDER})`, () => {
  let old: Runtime | undefined;
  let dataDir = '';

  afterAll(async () => {
    await old?.stop();
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
  });

  it('retires the link the old runtime mailed (known only from its memo) and mails one that works', async () => {
    const fixture = join(FIXTURES, NEWEST_FOLDER);
    const manifest = JSON.parse(await readFile(join(fixture, 'fixture.json'), 'utf8')) as {
      madeOn: string;
      underReview: { applicationId: string; links: { TAX: string } };
    };
    dataDir = await mkdtemp(join(tmpdir(), `${NEWEST_FOLDER}-reminder-`));
    await cp(fixture, dataDir, { recursive: true });
    old = await startRuntime({ dataDir, port: 0, quiet: true, demo: true, sweepIntervalMs: 3_600_000 });
    const here = (link: string): string => `${old!.url}${new URL(link).pathname}`;
    const { applicationId, links } = manifest.underReview;
    expect((await openPage(here(links.TAX))).status).toBe(200);

    // The fixture's round opened on the day the folder was made; its reminder goes on day 11.
    const reminderDay = addDays(manifest.madeOn, 11);
    expect(
      (await send(old.url, 'POST', '/_local/clock', { json: { now: `${reminderDay}T02:00:00Z` } })).status,
    ).toBe(200);
    const swept = await send(old.url, 'POST', '/_local/sweep');
    expect(swept.body).toMatchObject({ failed: 0 });

    const reminders = (await outbox(old.url)).filter(
      (m) => m.text.includes(applicationId) && m.subject.includes('审核提醒'),
    );
    expect(reminders.length).toBeGreaterThanOrEqual(2);
    expect((await openPage(here(links.TAX))).status).toBe(410);
    for (const reminder of reminders) {
      const fresh = reminder.links.find((link) => link.includes('/review/'));
      expect((await openPage(here(fresh!))).status).toBe(200);
    }
  });
});
