import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDateIn } from '../../domain/dates.ts';
import { DEMO_ENTERPRISES } from '../../local/demo-data.ts';
import { startRuntime, type Runtime } from '../../local/runtime.ts';
import { eventually } from '../support/eventually.ts';
import { send, type Reply, type SendOptions } from '../support/http-client.ts';
import { applyAndSubmit, outbox as outboxOf, type OutboxMessage } from '../support/review-flow.ts';

/**
 * Issue 5's review duties on the embedded runtime, as a user drives it: the demo's eligible
 * enterprise applies over HTTP, uploads its documents through the presigned POST and submits; then
 * the simulated clock is moved (POST /_local/clock) and the sweep run (POST /_local/sweep) the day
 * before, of and after the reminder (day 11), the escalation (day 15) and the review timeout (day 60).
 */

const ENTERPRISE = DEMO_ENTERPRISES.eligible;
const REVIEWERS = ['customs.reviewer@example.org', 'tax.reviewer@example.org'];
const ESCALATION_CONTACTS = ['customs.lead@example.org', 'tax.lead@example.org'];

let dataDir: string;
let runtime: Runtime | undefined;

const running = (): Runtime => {
  if (!runtime) throw new Error('runtime not started');
  return runtime;
};

const api = (method: string, path: string, options: SendOptions = {}): Promise<Reply> =>
  send(running().url, method, path, options);

interface Application {
  id: string;
  status: string;
  requiredDocuments: string[];
  reviews: { party: string; status: string }[];
  outcome?: { reason?: string };
  timeline: { at: string; type: string }[];
}

const outbox = (): Promise<OutboxMessage[]> => outboxOf(running().url);

const sentTo = async (addresses: readonly string[]): Promise<OutboxMessage[]> =>
  (await outbox()).filter((m) => m.to.some((to) => addresses.includes(to)));

/** Moves the simulated clock to 10:00 in Shanghai on `date` and runs the sweep there. */
async function sweepOn(date: string): Promise<Record<string, number>> {
  const moved = await api('POST', '/_local/clock', { json: { now: `${date}T02:00:00.000Z` } });
  expect(moved.status, JSON.stringify(moved.body)).toBe(200);
  const swept = await api('POST', '/_local/sweep');
  expect(swept.status, JSON.stringify(swept.body)).toBe(200);
  const counts = swept.body as Record<string, number>;
  expect(counts['failed']).toBe(0);
  return counts;
}

let applicationId = '';
let officer = '';
/** The day the review round opened (Asia/Shanghai): days 11, 14 and 60 count from it. */
let openedOn = '';
let reviewLinks: string[] = [];

/** Each sweep would print its metrics as an EMF document; twelve of them bury the test's output. */
const QUIET_ENV = { POWERTOOLS_METRICS_DISABLED: 'true' } as const;
const previousEnv = new Map<string, string | undefined>();

beforeAll(async () => {
  for (const [name, value] of Object.entries(QUIET_ENV)) {
    previousEnv.set(name, process.env[name]);
    process.env[name] = value;
  }
  dataDir = await mkdtemp(join(tmpdir(), 'sweep-runtime-'));
  // The timer would sweep on its own once the clock passes midnight; here only the test sweeps.
  runtime = await startRuntime({ dataDir, port: 0, quiet: true, sweepIntervalMs: 3_600_000 });
  officer = running().tokens.officer;
  const applicant = running().tokens.applicants.find((a) => a.id === ENTERPRISE)?.token;
  if (applicant === undefined) throw new Error(`no demo applicant token for ${ENTERPRISE}`);

  const applied = await applyAndSubmit(
    { baseUrl: running().url, token: applicant },
    ENTERPRISE,
    'Arrears paid in full; controls improved.',
  );
  applicationId = applied.id;
  reviewLinks = Object.values(applied.links);
  const underReview = (await api('GET', `/applications/${applicationId}`, { token: officer }))
    .body as unknown as Application;
  const opened = underReview.timeline.find((t) => t.type === 'REVIEW_ROUND_OPENED');
  if (opened === undefined) throw new Error('the review round has not opened');
  openedOn = localDateIn(opened.at);
}, 20_000);

afterAll(async () => {
  await runtime?.stop();
  await rm(dataDir, { recursive: true, force: true });
  for (const [name, value] of previousEnv) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const day = (n: number): string => addDays(openedOn, n);

describe('the review duties on the embedded runtime, with the simulated clock', () => {
  it('reminds each pending reviewer on day 11, not the day before, and once', async () => {
    expect(reviewLinks).toHaveLength(2);
    expect(await sweepOn(day(10))).toMatchObject({ reviewReminders: 0 });
    const before = await sentTo(REVIEWERS);

    expect(await sweepOn(day(11))).toMatchObject({ reviewReminders: 2 });
    const reminders = (await sentTo(REVIEWERS)).slice(before.length);
    expect(reminders.map((m) => m.to[0]).sort()).toEqual(REVIEWERS);
    expect(reminders.every((m) => m.subject.includes('审核提醒'))).toBe(true);

    expect(await sweepOn(day(12))).toMatchObject({ reviewReminders: 0 });
    expect(await sentTo(REVIEWERS)).toHaveLength(before.length + 2);
  });

  it("emails each party's escalation contact on day 15, the first overdue day, not the day before, and once", async () => {
    expect(await sweepOn(day(14))).toMatchObject({ reviewEscalations: 0 });
    expect(await sentTo(ESCALATION_CONTACTS)).toHaveLength(0);
    expect(await sweepOn(day(15))).toMatchObject({ reviewEscalations: 2 });
    expect((await sentTo(ESCALATION_CONTACTS)).map((m) => m.to[0]).sort()).toEqual(ESCALATION_CONTACTS);
    expect(await sweepOn(day(16))).toMatchObject({ reviewEscalations: 0 });
    expect(await sentTo(ESCALATION_CONTACTS)).toHaveLength(2);
  });

  it('expires the application on day 60: its links answer 410 and the outcome is told once', async () => {
    const application = async (): Promise<Application> =>
      (await api('GET', `/applications/${applicationId}`, { token: officer })).body as unknown as Application;
    const outcomes = async (): Promise<OutboxMessage[]> =>
      (await outbox()).filter((m) => m.subject.includes('Credit repair outcome'));

    // Every reminder and escalation carried a fresh link: the last one mailed to each person is
    // the one that works, and the ones before it were superseded.
    const mailed = (await sentTo([...REVIEWERS, ...ESCALATION_CONTACTS])).map((m) => ({
      to: m.to[0],
      links: m.links.filter((link) => link.includes('/review/')),
    }));
    const latest = new Map(mailed.filter((m) => m.links.length > 0).map((m) => [m.to, m.links.at(-1)!]));
    expect(latest.size).toBe(REVIEWERS.length + ESCALATION_CONTACTS.length);
    expect(await sweepOn(day(59))).toMatchObject({ reviewTimeouts: 0 });
    expect((await application()).status).toBe('UNDER_REVIEW');
    for (const link of latest.values()) expect((await fetch(link)).status).toBe(200);
    for (const link of reviewLinks) expect((await fetch(link)).status).toBe(410);

    expect(await sweepOn(day(60))).toMatchObject({ reviewTimeouts: 1 });
    const expired = await application();
    expect(expired).toMatchObject({ status: 'EXPIRED', outcome: { reason: 'REVIEW_TIMEOUT' } });
    // The sweep closed the review wait; the workflow goes on to tell the applicant and the parties.
    const told = await eventually('the outcome emails', async () => {
      const sent = await outcomes();
      return sent.length >= 2 ? sent : undefined;
    });
    const applicantMail = `contact@${ENTERPRISE.toLowerCase()}.example.org`;
    expect(told.filter((m) => m.to.includes(applicantMail))).toHaveLength(1);
    for (const link of [...reviewLinks, ...latest.values()]) expect((await fetch(link)).status).toBe(410);

    expect(await sweepOn(day(61))).toMatchObject({ reviewTimeouts: 0 });
    expect(await outcomes()).toHaveLength(told.length);
    expect((await application()).status).toBe('EXPIRED');
  });
});
