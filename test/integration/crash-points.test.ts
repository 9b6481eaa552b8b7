import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, localDateIn } from '../../domain/dates.ts';
import { CRASH_AT_ENV } from '../../local/crash-at.ts';
import { eventually } from '../support/eventually.ts';
import { send, type Reply } from '../support/http-client.ts';
import {
  freePort,
  groupGone,
  killGroup,
  ProcessLog,
  spawnNpmStart,
  startNpm,
  type ReadyNpmStart,
} from '../support/npm-start.ts';
import {
  applicantToken,
  decideWithLink,
  devToken,
  outbox,
  reviewLinks,
  submitEvidence,
  uploadDocuments,
  type Caller,
} from '../support/review-flow.ts';

/**
 * Issue 18, "a targeted test per numbered defect": `npm start` on one data folder, killed by its own
 * hand at a named point between two writes (CRASH_AT, local/crash-at.ts), then started again on the
 * same folder. Each life sets up the next crash, so the whole chain costs one start per crash:
 *
 * 1. submit.claimed: the claim is written, its application never is. The orphan claim is released
 *    once stale, and the enterprise can apply again (defect 1: APPLICATION_OPEN for ever).
 * 2. submit.created: the application is written, its key's answer never recorded. The same key
 *    answers IN_PROGRESS for seconds only, then the application it created (defect 3).
 * 3. upgrade.restored: the enterprise is repaired, the application not yet APPROVED. The restart
 *    finishes the close: APPROVED, one listing change, the outcome told (defect 2).
 * 4. notify.sent.applicant: sent, not marked. The restart sends the recorded intent again (the
 *    same email) and nothing that was marked: the listing change, the parties' email (defect 4).
 */

let dataDir: string;
let port: number;
const log = new ProcessLog();
let life = 0;
let current: ReadyNpmStart | undefined;

async function start(crashAt?: string): Promise<string> {
  current = await startNpm({
    dataDir,
    port,
    log,
    life,
    ...(crashAt === undefined ? {} : { env: { [CRASH_AT_ENV]: crashAt } }),
  });
  life += 1;
  return current.url;
}

/** Waits for the process to kill itself at its point, and for its group to be gone. */
async function crashed(point: string): Promise<void> {
  const running = current;
  if (!running) throw new Error('not running');
  const exit = await Promise.race([
    running.exited,
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 30_000)),
  ]);
  if (exit === undefined) {
    await killGroup(running, 'SIGKILL');
    throw new Error(`npm start did not crash at ${point}:\n${running.output().slice(-3000)}`);
  }
  await killGroup(running, 'SIGKILL');
  await groupGone(running);
  current = undefined;
  expect(running.output()).toContain(`crash at ${point}`);
}

/**
 * A life that only recovers what the last one left and crashes on the way: it may die before its
 * ready line (the restarted executions run while it starts), so only its crash is awaited.
 */
async function recoverUntilCrash(point: string): Promise<void> {
  const running = spawnNpmStart({ dataDir, port, log, life, env: { [CRASH_AT_ENV]: point } });
  life += 1;
  const exit = await Promise.race([
    running.exited,
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 60_000)),
  ]);
  await killGroup(running, 'SIGKILL');
  await groupGone(running);
  if (exit === undefined)
    throw new Error(`npm start did not crash at ${point}:\n${running.output().slice(-3000)}`);
  expect(running.output()).toContain(`crash at ${point}`);
}

/** A request whose answer may never come (the process dies on the way). */
async function attempt<T>(request: () => Promise<T>): Promise<T | undefined> {
  try {
    return await request();
  } catch {
    return undefined;
  }
}

let url = '';
let officer = '';
let enterpriseCounter = 0;

async function eligibleEnterprise(): Promise<Caller & { id: string }> {
  enterpriseCounter += 1;
  const id = `CRPT${String(enterpriseCounter).padStart(6, '0')}`;
  const today = localDateIn(new Date(String((await send(url, 'GET', '/_local/clock')).body.now)));
  const created = await send(url, 'POST', '/enterprises', {
    token: officer,
    json: { id, name: `Crash point ${id}`, contactEmail: `c@${id.toLowerCase()}.test` },
  });
  expect(created.status, created.text).toBe(201);
  const fact = await send(url, 'POST', `/enterprises/${id}/facts`, {
    token: officer,
    json: { type: 'TAX_ASSESSMENT', amount: 80_000, dueOn: addMonths(today, -12) },
  });
  expect(fact.status, fact.text).toBe(201);
  const factId = (fact.body.fact as { id: string }).id;
  const paid = await send(url, 'POST', `/enterprises/${id}/facts/${factId}/payment`, {
    token: officer,
    json: { paidOn: addMonths(today, -8) },
  });
  expect(paid.status, paid.text).toBe(200);
  return { id, baseUrl: url, token: await applicantToken(url, id) };
}

const applyWithKey = (applicant: Caller & { id: string }, key: string): Promise<Reply> =>
  send(url, 'POST', '/applications', {
    token: applicant.token,
    headers: { 'idempotency-key': key },
    json: { enterpriseId: applicant.id, statement: 'Taxes paid in full.' },
    timeoutMs: 20_000,
  });

const officerGet = async (path: string): Promise<Record<string, unknown>> => {
  const reply = await send(url, 'GET', path, { token: officer });
  expect(reply.status, reply.text).toBe(200);
  return reply.body as Record<string, unknown>;
};

const applicationsOf = async (enterpriseId: string): Promise<{ id: string; status: string }[]> =>
  (await officerGet(`/applications?enterpriseId=${enterpriseId}&limit=100`)).items as {
    id: string;
    status: string;
  }[];

async function listingChanges(enterpriseId: string): Promise<{ changeId: string }[]> {
  let text = '';
  try {
    text = await readFile(join(dataDir, 'events.jsonl'), 'utf8');
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

const outcomeEmails = async (applicationId: string): Promise<{ to: string[]; text: string }[]> =>
  (await outbox(url)).filter(
    (m) => /Credit repair outcome/.test(m.subject) && m.text.includes(applicationId),
  );

/** What the scenarios leave for the checks. */
const seen: {
  orphanClaim?: string;
  orphanEnterprise?: string;
  sameKey?: { enterprise: Caller & { id: string }; key: string };
  upgraded?: { enterpriseId: string; applicationId: string };
} = {};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'crash-points-'));
  port = await freePort();
}, 10_000);

afterAll(async () => {
  if (current) {
    await killGroup(current, 'SIGTERM');
    await groupGone(current);
  }
  await rm(dataDir, { recursive: true, force: true });
});

describe('a crash at a named point between two writes, then a restart on the same data folder', () => {
  it('1. submit.claimed: the orphan claim is released once stale, and the enterprise applies again', async () => {
    url = await start('submit.claimed');
    officer = await devToken(url, 'role=officer');
    const enterprise = await eligibleEnterprise();
    expect(await attempt(() => applyWithKey(enterprise, 'orphan-key-1'))).toBeUndefined();
    await crashed('submit.claimed');

    // The next life crashes at the second application written (the first is this scenario's).
    url = await start('submit.created@2');
    officer = await devToken(url, 'role=officer');
    const profile = await officerGet(`/enterprises/${enterprise.id}`);
    const orphan = String(profile.openApplicationId);
    expect((await send(url, 'GET', `/applications/${orphan}`, { token: officer })).status).toBe(404);
    seen.orphanClaim = orphan;
    seen.orphanEnterprise = enterprise.id;

    // While its request might still run, the claim holds; once stale, another key may apply.
    const early = await applyWithKey(enterprise, 'orphan-key-2');
    expect({ status: early.status, code: early.body.code }).toEqual({
      status: 409,
      code: 'APPLICATION_OPEN',
    });
    const now = new Date(String((await send(url, 'GET', '/_local/clock')).body.now));
    const later = await send(url, 'POST', '/_local/clock', {
      json: { now: new Date(now.getTime() + 2 * 60_000).toISOString() },
    });
    expect(later.status, later.text).toBe(200);
    const again = await applyWithKey(enterprise, 'orphan-key-3');
    expect(again.status, again.text).toBe(201);
    expect((await officerGet(`/enterprises/${enterprise.id}`)).openApplicationId).toBe(again.body.id);
  }, 90_000);

  it('3. submit.created: the same key answers IN_PROGRESS for seconds only, then the application it created', async () => {
    const enterprise = await eligibleEnterprise();
    const key = 'same-key-1';
    expect(await attempt(() => applyWithKey(enterprise, key))).toBeUndefined();
    await crashed('submit.created');
    seen.sameKey = { enterprise, key };

    url = await start('upgrade.restored');
    officer = await devToken(url, 'role=officer');
    const applicant = { ...enterprise, baseUrl: url, token: await applicantToken(url, enterprise.id) };
    seen.sameKey = { enterprise: applicant, key };
    const startedAt = Date.now();
    const answers: Reply[] = [];
    const created = await eventually(
      'the same key answers the application',
      async () => {
        const reply = await applyWithKey(applicant, key);
        answers.push(reply);
        return reply.status === 201 ? reply : undefined;
      },
      12_000,
    );
    // A dead request's in-progress record lasts seconds (CONTRACT.md), not the request's timeout.
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    for (const reply of answers.filter((r) => r.status !== 201)) {
      expect({ status: reply.status, code: reply.body.code }).toEqual({
        status: 409,
        code: 'IDEMPOTENCY_KEY_IN_PROGRESS',
      });
      expect(Number(reply.headers['retry-after'])).toBeGreaterThan(0);
    }
    const applications = await applicationsOf(enterprise.id);
    expect(applications.map((a) => a.id)).toEqual([created.body.id]);
    expect((await officerGet(`/enterprises/${enterprise.id}`)).openApplicationId).toBe(created.body.id);
    // And the replay is the same answer from now on.
    const replay = await applyWithKey(applicant, key);
    expect({ status: replay.status, text: replay.text }).toEqual({ status: 201, text: created.text });
  }, 90_000);

  it('2. upgrade.restored: the restart finishes the close (APPROVED, one listing change, the outcome told)', async () => {
    const { enterprise } = seen.sameKey!;
    const applicationId = (await applicationsOf(enterprise.id))[0]!.id;
    await uploadDocuments(enterprise, applicationId);
    await submitEvidence(enterprise, applicationId);
    const links = await reviewLinks(url, applicationId);
    expect((await decideWithLink(links.CUSTOMS, { decision: 'APPROVE' })).status).toBe(200);
    await attempt(() => decideWithLink(links.TAX, { decision: 'APPROVE' }));
    await crashed('upgrade.restored');
    seen.upgraded = { enterpriseId: enterprise.id, applicationId };

    // The restart (before any request is served) fast-forwards to UpgradeTier and beyond; this
    // life crashes once the applicant's outcome email is sent, before it is marked.
    await recoverUntilCrash('notify.sent.applicant');
    url = await start();
    officer = await devToken(url, 'role=officer');

    const app = await eventually(
      'the application closed',
      async () => {
        const view = await officerGet(`/applications/${applicationId}`);
        return view.status === 'APPROVED' && (await outcomeEmails(applicationId)).length >= 3
          ? view
          : undefined;
      },
      30_000,
    );
    const types = (app.timeline as { type: string }[]).map((t) => t.type);
    expect(types.filter((t) => t === 'UPGRADED')).toHaveLength(1);
    expect(types.filter((t) => t === 'ROUND_ENDED')).toHaveLength(1);
    const profile = await officerGet(`/enterprises/${enterprise.id}`);
    expect(profile.tier).toBe('REGULAR');
    expect(profile.openApplicationId).toBeUndefined();
  }, 150_000);

  it('4. notify.sent.applicant: the unmarked intent is sent again, the same; nothing marked is', async () => {
    const { enterpriseId, applicationId } = seen.upgraded!;
    // The listing change was sent and marked before the crash: not sent again.
    const changes = await listingChanges(enterpriseId);
    expect(changes.map((c) => c.changeId)).toEqual([`${applicationId}#REPAIRED`]);
    // The applicant's email was sent, not marked: sent again, the same message; the parties' once.
    const emails = await outcomeEmails(applicationId);
    const toApplicant = emails.filter((m) => m.to.some((to) => to.endsWith('.test') && to.startsWith('c@')));
    expect(toApplicant).toHaveLength(2);
    expect(toApplicant[0]!.text).toBe(toApplicant[1]!.text);
    expect(emails.length - toApplicant.length).toBe(1);
    // And the orphan claim of scenario 1 is gone for good.
    expect((await officerGet(`/enterprises/${seen.orphanEnterprise!}`)).openApplicationId).not.toBe(
      seen.orphanClaim,
    );
  });
});
