import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDateIn } from '../../domain/dates.ts';
import { DEMO_ENTERPRISES } from '../../local/demo-data.ts';
import { startRuntime, type Runtime } from '../../local/runtime.ts';

/** The embedded runtime started in-process on a temporary data folder, over real HTTP. */

let dataDir: string;
let runtime: Runtime | undefined;

const running = (): Runtime => {
  if (!runtime) throw new Error('runtime not started');
  return runtime;
};

async function get(path: string, token?: string): Promise<Response> {
  return fetch(running().url + path, token ? { headers: { authorization: `Bearer ${token}` } } : {});
}

async function postJson(path: string, body: unknown): Promise<Response> {
  return fetch(running().url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const EXPECTED_TIERS = {
  [DEMO_ENTERPRISES.eligible]: 'DISHONEST',
  [DEMO_ENTERPRISES.rectifying]: 'DISHONEST',
  [DEMO_ENTERPRISES.seriouslyDishonest]: 'SERIOUSLY_DISHONEST',
  [DEMO_ENTERPRISES.certified]: 'CERTIFIED',
  [DEMO_ENTERPRISES.advancedCertified]: 'ADVANCED_CERTIFIED',
  [DEMO_ENTERPRISES.regular]: 'REGULAR',
} as const;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'runtime-test-'));
  runtime = await startRuntime({ dataDir, port: 0, quiet: true, sweepIntervalMs: 3_600_000 });
});

afterAll(async () => {
  await runtime?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the embedded runtime', () => {
  it('answers /health on the gateway', async () => {
    const response = await get('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('mints dev tokens the gateway accepts, and refuses a malformed request for one', async () => {
    const officer = (await (await get('/_local/token?role=officer')).json()) as { token: string };
    expect(officer.token.split('.')).toHaveLength(3);
    const enterprise = await get(`/enterprises/${DEMO_ENTERPRISES.regular}`, officer.token);
    expect(enterprise.status).toBe(200);

    const applicantResponse = await get(
      `/_local/token?role=applicant&enterprise=${DEMO_ENTERPRISES.eligible}`,
    );
    const applicant = (await applicantResponse.json()) as { token: string };
    expect((await get(`/enterprises/${DEMO_ENTERPRISES.eligible}`, applicant.token)).status).toBe(200);
    expect((await get(`/enterprises/${DEMO_ENTERPRISES.regular}`, applicant.token)).status).toBe(403);

    const noEnterprise = await get('/_local/token?role=applicant');
    expect(noEnterprise.status).toBe(400);
    expect(((await noEnterprise.json()) as { code: string }).code).toBe('VALIDATION_FAILED');
    expect((await get('/_local/token?role=admin')).status).toBe(400);
    expect((await get('/enterprises/DEMOREG001', 'not-a-token')).status).toBe(401);
  });

  it('moves the simulated clock forward only, and persists it', async () => {
    const before = (await (await get('/_local/clock')).json()) as { now: string };
    const target = new Date(Date.parse(before.now) + 3 * 86_400_000).toISOString();

    const moved = await postJson('/_local/clock', { now: target });
    expect(moved.status).toBe(200);
    const after = (await moved.json()) as { now: string };
    expect(Date.parse(after.now)).toBeGreaterThanOrEqual(Date.parse(target));
    const persisted = JSON.parse(await readFile(join(dataDir, 'clock.json'), 'utf8')) as { now: string };
    expect(Date.parse(persisted.now)).toBeGreaterThanOrEqual(Date.parse(target));

    const backwards = await postJson('/_local/clock', { now: before.now });
    expect(backwards.status).toBe(422);
    expect(backwards.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await backwards.json()) as { code: string; now: string };
    expect(problem.code).toBe('CLOCK_BACKWARDS');
    expect(Date.parse(problem.now)).toBeGreaterThanOrEqual(Date.parse(target));

    const notATime = await postJson('/_local/clock', { now: 'tomorrow' });
    expect(notATime.status).toBe(400);
    expect(
      Date.parse(((await (await get('/_local/clock')).json()) as { now: string }).now),
    ).toBeGreaterThanOrEqual(Date.parse(target));
  });

  it('starts with an empty outbox and serves the dev inbox page', async () => {
    const outbox = await get('/_local/outbox');
    expect(outbox.status).toBe(200);
    expect(await outbox.json()).toEqual([]);

    const inbox = await get('/_local/inbox');
    expect(inbox.status).toBe(200);
    expect(inbox.headers.get('content-type')).toContain('text/html');
    expect(inbox.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await inbox.text();
    expect(page).toContain('<h1>Dev inbox</h1>');
    expect(page).toContain('No messages yet');

    const missing = await get('/_local/inbox/20260101T000000000Z-000001-deadbeef');
    expect(missing.status).toBe(404);
  });

  it('loads demo data in every tier through the use cases, with a reviewer directory', async () => {
    const { officer } = running().tokens;
    for (const [id, tier] of Object.entries(EXPECTED_TIERS)) {
      const response = await get(`/enterprises/${id}`, officer);
      expect(response.status).toBe(200);
      const enterprise = (await response.json()) as { id: string; tier: string; facts: unknown[] };
      expect(enterprise.tier).toBe(tier);
    }
    expect(
      running()
        .demo.map((d) => d.id)
        .sort(),
    ).toEqual(Object.keys(EXPECTED_TIERS).sort());
    expect(running().tokens.applicants).toHaveLength(Object.keys(EXPECTED_TIERS).length);

    const eligible = (await (await get(`/enterprises/${DEMO_ENTERPRISES.eligible}`, officer)).json()) as {
      rectification: { earliestApplicationOn: string; outstanding: unknown[] } | null;
    };
    const today = localDateIn(running().clock.now());
    expect(eligible.rectification?.outstanding).toEqual([]);
    expect(eligible.rectification?.earliestApplicationOn ?? '9999-12-31').toSatisfy(
      (d: string) => d <= today,
    );

    const rectifying = (await (await get(`/enterprises/${DEMO_ENTERPRISES.rectifying}`, officer)).json()) as {
      rectification: { earliestApplicationOn: string } | null;
    };
    expect(rectifying.rectification?.earliestApplicationOn ?? '0000-01-01').toSatisfy(
      (d: string) => d > today,
    );

    const reviewers = await get('/reviewers', officer);
    expect(reviewers.status).toBe(200);
    const directory = (await reviewers.json()) as { items: { party: string; email: string }[] };
    expect(directory.items.map((r) => r.party).sort()).toEqual([
      'CUSTOMS',
      'FINANCIAL_REGULATION',
      'MARKET_REGULATION',
      'TAX',
    ]);
    expect(directory.items.every((r) => r.email.endsWith('@example.org'))).toBe(true);
  });

  it('runs the daily sweep on demand and answers with counts per duty', async () => {
    const response = await fetch(running().url + '/_local/sweep', { method: 'POST' });
    expect(response.status).toBe(200);
    const counts = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(counts).length).toBeGreaterThan(0);
    expect(Object.values(counts).some((value) => typeof value === 'number')).toBe(true);
  });

  it('keeps its data across a stop and start on the same folder, without loading the demo again', async () => {
    const clockBefore = running().clock.now();
    await running().stop();
    runtime = await startRuntime({ dataDir, port: 0, quiet: true, sweepIntervalMs: 3_600_000 });
    expect(running().fresh).toBe(false);
    expect(
      running()
        .demo.map((d) => d.id)
        .sort(),
    ).toEqual(Object.keys(EXPECTED_TIERS).sort());
    expect(running().clock.now().getTime()).toBeGreaterThanOrEqual(clockBefore.getTime());
    const response = await get(`/enterprises/${DEMO_ENTERPRISES.certified}`, running().tokens.officer);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { tier: string }).tier).toBe('CERTIFIED');
  });
});
