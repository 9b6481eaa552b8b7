import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDateIn } from '../../domain/dates.ts';
import { documentClient } from '../../functions/adapters/dynamodb/client.ts';
import { TABLE_NAME_ENV } from '../../functions/composition/environment.ts';
import { keys } from '../../functions/ports/store/keys.ts';
import { startRuntime, type Runtime } from '../../local/runtime.ts';
import { SWEEP_STATES, sweepFunctionNameFor } from '../../workflows/sweep.ts';
import { dueProfileItems, seedId, writeBatches } from '../../bench/seed.ts';
import { send } from '../support/http-client.ts';
import { DEMO_REVIEWER_EMAIL, outbox, ReviewFlow, type OutboxMessage } from '../support/review-flow.ts';

/**
 * The sweep fans out (workflows/sweep.ts) on the embedded runtime, with pages of 3 items and plans
 * of 2 pages: a day with about 20 due duties of two kinds (certification notices of enterprises,
 * review reminders of applications) takes several plans and many pages, and one page's invocation
 * is lost after it swept (the answer never came back) and is retried. Every duty is done once:
 * counted in the emails sent, the enterprises' audit events and a second run that finds nothing.
 */

const PAGE_SIZE = 3;
const PAGES_PER_PLAN = 2;
const NOTICES = 16;
const APPLICATIONS = 2;
const PREFIX = 'FAN';
const REVIEWERS = Object.values(DEMO_REVIEWER_EMAIL);

let dataDir: string;
let runtime: Runtime;
let day: string;
let before: OutboxMessage[];

const sweepOverHttp = async (): Promise<Record<string, number>> => {
  const reply = await send(runtime.url, 'POST', '/_local/sweep');
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body as Record<string, number>;
};

/** The outbox lists every email sent, oldest first: what came after `earlier`. */
const newSince = (all: readonly OutboxMessage[], earlier: readonly OutboxMessage[]): OutboxMessage[] =>
  all.slice(earlier.length);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sweep-fan-out-'));
  runtime = await startRuntime({
    dataDir,
    port: 0,
    quiet: true,
    sweepIntervalMs: 3_600_000,
    retryPauseMs: 1,
    sweepPages: { pageSize: PAGE_SIZE, pagesPerPlan: PAGES_PER_PLAN },
  });
  const flow = new ReviewFlow(runtime, { prefix: 'FANR' });
  for (let i = 0; i < APPLICATIONS; i++) await flow.applicationUnderReview();
  // Day 11 of the reviews: each pending party is reminded; the seeded enterprises' notices fall due.
  day = addDays(localDateIn(runtime.clock.now()), 11);
  await writeBatches(
    documentClient(),
    process.env[TABLE_NAME_ENV] ?? '',
    dueProfileItems(NOTICES, day, PREFIX),
  );
  const moved = await send(runtime.url, 'POST', '/_local/clock', { json: { now: `${day}T02:00:00.000Z` } });
  expect(moved.status).toBe(200);
  before = await outbox(runtime.url);
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('a day of ~20 due duties swept in pages of 3, one page retried after it did its work', () => {
  let counts: Record<string, number>;
  let sent: OutboxMessage[];

  beforeAll(async () => {
    // The first page's invocation sweeps its items, then its answer is lost: Step Functions retries it.
    runtime.faults.arm({ target: 'sweep:page', error: 'Lambda.Unknown', times: 1, when: 'after' });
    counts = await sweepOverHttp();
    sent = newSince(await outbox(runtime.url), before);
  }, 120_000);

  it('ran as several plans and many pages through the Sweep state machine, with the page retried', () => {
    expect(runtime.faults.list().find((f) => f.target === 'sweep:page')).toMatchObject({ injected: 1 });
    const [execution] = runtime.engine
      .listExecutions()
      .executions.filter((e) => e.stateMachineArn.endsWith(':Sweep'));
    expect(execution?.status).toBe('SUCCEEDED');
    const entered = runtime.engine
      .getExecutionHistory({ executionArn: execution?.executionArn ?? '', maxResults: 1000 })
      .events.map((e) => e.stateEnteredEventDetails?.name)
      .filter((name) => name !== undefined);
    const times = (name: string): number => entered.filter((n) => n === name).length;
    const due = NOTICES + APPLICATIONS;
    expect(times(SWEEP_STATES.plan)).toBeGreaterThanOrEqual(Math.ceil(due / (PAGE_SIZE * PAGES_PER_PLAN)));
    // Each page once, plus the retried one.
    expect(times(SWEEP_STATES.page)).toBeGreaterThanOrEqual(Math.ceil(due / PAGE_SIZE) + 1);
    expect(times(SWEEP_STATES.pageAbandoned)).toBe(0);
    expect(times(SWEEP_STATES.finish)).toBe(1);
  });

  it('answers POST /_local/sweep with the counts per action; only the lost answer goes uncounted', () => {
    expect(counts['failed']).toBe(0);
    expect(counts['itemsRead']).toBeGreaterThanOrEqual(NOTICES + APPLICATIONS);
    // The retried page finds its duties done and counts none of them; the lost answer held them.
    const done = (counts['certificationNotices'] ?? 0) + (counts['reviewReminders'] ?? 0);
    const performed = NOTICES + APPLICATIONS * REVIEWERS.length;
    expect(done).toBeLessThanOrEqual(performed);
    expect(done).toBeGreaterThanOrEqual(performed - PAGE_SIZE * REVIEWERS.length);
  });

  it('sends each certification notice once, and each reminder once', () => {
    for (let n = 0; n < NOTICES; n++) {
      expect(
        sent.filter((m) => m.to.includes(`due-${n}@example.test`)),
        `enterprise ${n}`,
      ).toHaveLength(1);
    }
    const reminders = sent.filter((m) => m.to.some((to) => REVIEWERS.includes(to)));
    expect(reminders).toHaveLength(APPLICATIONS * REVIEWERS.length);
    // One per (reviewer, application): no two reminders carry the same text to the same reviewer.
    expect(new Set(reminders.map((m) => `${m.to.join()}\n${m.text}`)).size).toBe(reminders.length);
  });

  it('records one certification-notice event per enterprise, and moves its due date past today', async () => {
    const doc = documentClient();
    const table = process.env[TABLE_NAME_ENV] ?? '';
    for (let n = 0; n < NOTICES; n++) {
      const { pk } = keys.enterprise(seedId(PREFIX, n));
      const out = await doc.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
        }),
      );
      const items = out.Items ?? [];
      const events = items.filter((i) => String(i['sk']).startsWith('EVT#'));
      expect(events.length, `enterprise ${n}: ${JSON.stringify(events)}`).toBe(1);
      const profile = items.find((i) => i['sk'] === keys.enterprise('').sk);
      expect(profile?.['dueOn'] === undefined || String(profile['dueOn']) > day).toBe(true);
    }
  });

  it('does nothing more when the day is swept again', async () => {
    const again = await sweepOverHttp();
    expect(again).toMatchObject({ certificationNotices: 0, reviewReminders: 0, failed: 0 });
    expect(newSince(await outbox(runtime.url), [...before, ...sent])).toEqual([]);
    expect(runtime.lambda.invocationCount(sweepFunctionNameFor())).toBeGreaterThan(0);
  });
});

describe('pages that fail on every attempt', () => {
  const LATE = 5;
  const LATE_PREFIX = 'FAL';

  it('are counted as failed item by item, the run still ends, and the next run does their items', async () => {
    const table = process.env[TABLE_NAME_ENV] ?? '';
    await writeBatches(documentClient(), table, dueProfileItems(LATE, day, LATE_PREFIX));
    const earlier = await outbox(runtime.url);
    // Every attempt of every page fails (the pages run in parallel, so one page cannot be singled out).
    runtime.faults.arm({ target: 'sweep:page', error: 'Lambda.ServiceException', times: 1000 });
    const first = await sweepOverHttp();
    runtime.faults.clear();
    // Each item is tried in both passes of the run (workflows/sweep.ts), and fails in both.
    expect(first).toMatchObject({ failed: 2 * LATE, certificationNotices: 0 });
    expect(newSince(await outbox(runtime.url), earlier)).toEqual([]);

    const second = await sweepOverHttp();
    expect(second).toMatchObject({ failed: 0, certificationNotices: LATE });
    const mail = newSince(await outbox(runtime.url), earlier);
    for (let n = 0; n < LATE; n++) {
      expect(
        mail.filter((m) => m.to.includes(`due-${n}@example.test`)),
        `enterprise ${n}`,
      ).toHaveLength(1);
    }
  }, 60_000);
});
