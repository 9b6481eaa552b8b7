import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ENTERPRISES } from '../../local/demo-data.ts';
import { eventually } from '../support/eventually.ts';
import { send, type Reply, type SendOptions } from '../support/http-client.ts';
import {
  apply,
  decideWithLink,
  devToken,
  outbox,
  reviewLinks as reviewLinksOf,
  submitEvidence,
  uploadDocuments,
  type Caller,
} from '../support/review-flow.ts';

/**
 * `npm start` as a user runs it: a child process on a fresh DATA_DIR, the README's walkthrough
 * over HTTP (apply, upload evidence with the presigned POST, submit, approve every review link
 * from the outbox), then SIGKILL and a restart on the same folder that finds everything intact.
 */

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTERPRISE = DEMO_ENTERPRISES.eligible;

let dataDir: string;
let port: number;
let child: ChildProcess | undefined;
let base = '';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Starts `npm start` in its own process group (npm, tsx and node: a kill must reach them all). */
async function start(): Promise<{
  process: ChildProcess;
  url: string;
  nextLine: string;
  output: () => string;
}> {
  const proc = spawn('npm', ['start'], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, HOST: '127.0.0.1', SMTP_URL: '' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let nextLine = '';
  proc.stderr?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`no ready line; output:\n${stdout}\n${output}`)), 45_000);
    proc.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /ready at (http:\/\/\S+)\n(.*)\n/.exec(stdout);
      if (match?.[1]) {
        nextLine = match[2] ?? '';
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${stdout}\n${output}`));
    });
  });
  return { process: proc, url, nextLine, output: () => output };
}

async function killGroup(proc: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (proc.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  process.kill(-proc.pid, signal);
  await exited;
}

const api = (method: string, path: string, options: SendOptions = {}): Promise<Reply> =>
  send(base, method, path, options);

const tokenFor = (query: string): Promise<string> => devToken(base, query);

interface Application {
  id: string;
  status: string;
  requiredDocuments: string[];
  reviews: { party: string; status: string }[];
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'npm-start-'));
  port = await freePort();
});

afterAll(async () => {
  if (child) await killGroup(child, 'SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  let applicationId = '';
  let outboxCount = 0;

  it('walks an application from submission to an upgraded enterprise', async () => {
    const started = await start();
    child = started.process;
    base = started.url;
    expect(base).toBe(`http://127.0.0.1:${port}`);
    // The console's address is on the line after the ready line (CONTRACT.md, Revision 2).
    expect(started.nextLine.trim()).toBe(`console       ${base}/`);
    expect((await fetch(`${base}/`)).headers.get('content-type')).toBe('text/html; charset=utf-8');

    const officer = await tokenFor('role=officer');
    const applicantToken = await tokenFor(`role=applicant&enterprise=${ENTERPRISE}`);
    const before = await api('GET', `/enterprises/${ENTERPRISE}`, { token: officer });
    expect((before.body as { tier: string }).tier).toBe('DISHONEST');

    const applicant: Caller = { baseUrl: base, token: applicantToken };
    const created = await apply(applicant, ENTERPRISE, 'Arrears paid in full; controls improved.');
    expect(created.status).toBe(201);
    const application = created.body as unknown as Application;
    applicationId = application.id;
    expect(application.requiredDocuments.length).toBeGreaterThan(0);

    await eventually('AWAITING_EVIDENCE', async () => {
      const current = (await api('GET', `/applications/${applicationId}`, { token: applicantToken }))
        .body as unknown as Application;
      return current.status === 'AWAITING_EVIDENCE' ? current : undefined;
    });

    await uploadDocuments(applicant, applicationId, application.requiredDocuments);
    await submitEvidence(applicant, applicationId);

    const reviewLinks = Object.values(await reviewLinksOf(base, applicationId));
    expect(new Set(reviewLinks).size).toBe(2);
    expect(reviewLinks).toHaveLength(2);
    for (const link of reviewLinks) expect(link.startsWith(`${base}/review/`)).toBe(true);

    for (const link of reviewLinks) {
      const decided = await decideWithLink(link, { decision: 'APPROVE', comment: 'Documents in order.' });
      expect(decided.status).toBe(200);
    }

    const approved = await eventually('APPROVED', async () => {
      const current = (await api('GET', `/applications/${applicationId}`, { token: officer }))
        .body as unknown as Application;
      return current.status === 'APPROVED' ? current : undefined;
    });
    expect(approved.reviews.every((r) => r.status === 'APPROVED')).toBe(true);
    const after = await eventually('REGULAR', async () => {
      const enterprise = (await api('GET', `/enterprises/${ENTERPRISE}`, { token: officer })).body as {
        tier: string;
      };
      return enterprise.tier === 'REGULAR' ? enterprise : undefined;
    });
    expect(after.tier).toBe('REGULAR');
    // The workflow's last step tells the applicant and the parties the outcome.
    const sent = await eventually('the outcome emails', async () => {
      const messages = await outbox(base);
      const outcomes = messages.filter((m) => m.subject.includes('Credit repair outcome'));
      return outcomes.length === 2 ? messages : undefined;
    });
    outboxCount = sent.length;
    expect(outboxCount).toBe(4);
  }, 60_000);

  it('loses nothing acknowledged when killed with SIGKILL, and restarts on the same data', async () => {
    if (!child) throw new Error('the walkthrough did not start npm start');
    await killGroup(child, 'SIGKILL');
    child = undefined;

    const restarted = await start();
    child = restarted.process;
    base = restarted.url;
    const officer = await tokenFor('role=officer');
    const enterprise = (await api('GET', `/enterprises/${ENTERPRISE}`, { token: officer })).body as {
      tier: string;
    };
    expect(enterprise.tier).toBe('REGULAR');
    const application = (await api('GET', `/applications/${applicationId}`, { token: officer }))
      .body as unknown as Application;
    expect(application.status).toBe('APPROVED');
    expect(await outbox(base)).toHaveLength(outboxCount);
    // A second start does not load the demo data again over the existing folder.
    expect((await api('GET', `/enterprises/${DEMO_ENTERPRISES.regular}`, { token: officer })).status).toBe(
      200,
    );

    // npm itself dies of the signal; the runtime under it reports a clean stop.
    await killGroup(restarted.process, 'SIGTERM');
    child = undefined;
    expect(restarted.output()).toContain('SIGTERM: stopping');
    expect(restarted.output()).not.toContain('stop failed');
  }, 60_000);
});
