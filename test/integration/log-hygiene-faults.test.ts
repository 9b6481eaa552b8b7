import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoredState } from '../support/crash/forensics.ts';
import { eventually } from '../support/eventually.ts';
import { send } from '../support/http-client.ts';
import {
  bannerTokens,
  findSecrets,
  SECRET_KINDS,
  SecretCollector,
  splitBanner,
} from '../support/log-secrets.ts';
import { freePort, groupGone, killGroup, startNpm, type ReadyNpmStart } from '../support/npm-start.ts';
import {
  callAs,
  nonceOf,
  openPage,
  outbox,
  postForm,
  reviewLinks,
  type Caller,
} from '../support/review-flow.ts';

/**
 * Issue 13, "Logs", for the failure paths: `npm start` with transient faults armed at start
 * (LOCAL_FAULTS) on the callback tasks that carry task tokens, on the review emails, on the tally's
 * writes, on the outcome's notification and on the listing event, so failed invocations and their
 * retries are logged; one demo repair runs through them all over HTTP. Nothing printed after the
 * start banner may hold a link id, nonce, task token, JWT or presigned POST signature or policy.
 * (The crash harness, test/integration/crash-consistency.test.ts, checks the same over crashes.)
 */

const ENTERPRISE = 'DEMOTAX001';
const FAULTS = [
  { target: 'task:awaitEvidence', error: 'Lambda.ServiceException', times: 1, when: 'after' },
  { target: 'task:openReview', error: 'Lambda.TooManyRequestsException', times: 2, when: 'after' },
  { target: 'ses:SendEmail', error: 'TooManyRequestsException', times: 2, caller: 'openReview' },
  { target: 'dynamodb:UpdateItem', error: 'ThrottlingException', times: 4, caller: 'tally' },
  { target: 'task:notify', error: 'Sandbox.Timedout', times: 1, when: 'after' },
  { target: 'eventbridge:PutEvents', error: 'ThrottlingException', times: 4 },
];

let dataDir: string;
let proc: ReadyNpmStart | undefined;
const secrets = new SecretCollector();
let applicationId = '';

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'log-hygiene-faults-'));
  proc = await startNpm({
    dataDir,
    port: await freePort(),
    env: { LOCAL_FAULTS: JSON.stringify(FAULTS), SWEEP_INTERVAL_MS: '3600000' },
  });
}, 90_000);

afterAll(async () => {
  if (proc) {
    await killGroup(proc, 'SIGKILL');
    await groupGone(proc);
  }
  await rm(dataDir, { recursive: true, force: true });
});

async function uploadAll(applicant: Caller, id: string, documentTypes: readonly string[]): Promise<void> {
  for (const documentType of documentTypes) {
    const file = Buffer.from(`%PDF-1.4\n% ${documentType}\n%%EOF\n`);
    const ticket = await callAs(applicant, 'POST', `/applications/${id}/evidence`, {
      documentType,
      fileName: `${documentType.toLowerCase()}.pdf`,
      contentType: 'application/pdf',
      size: file.length,
    });
    expect(ticket.status, ticket.text).toBe(201);
    const upload = ticket.body.upload as { url: string; fields: Record<string, string> };
    secrets.addPresignedFields(upload.fields);
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', new Blob([file], { type: 'application/pdf' }), `${documentType}.pdf`);
    expect((await fetch(upload.url, { method: 'POST', body: form })).status).toBeLessThan(300);
  }
}

describe('log hygiene when transient faults are retried', () => {
  it('runs a repair through every armed fault to its outcome', async () => {
    const url = proc!.url;
    const { banners } = splitBanner(proc!.log);
    for (const banner of banners) for (const token of bannerTokens(banner)) secrets.add('jwt', token);
    const token = /APPLICANT_TOKEN_DEMOTAX001=(\S+)/.exec(banners.join('\n'))?.[1];
    expect(token).toBeDefined();
    const applicant: Caller = { baseUrl: url, token: token! };

    const created = await callAs(applicant, 'POST', '/applications', {
      enterpriseId: ENTERPRISE,
      statement: 'Taxes paid in full.',
    });
    expect(created.status, created.text).toBe(201);
    applicationId = created.body.id as string;
    await uploadAll(applicant, applicationId, created.body.requiredDocuments as string[]);
    const submitted = await eventually(
      'evidence submitted',
      async () => {
        const reply = await callAs(applicant, 'POST', `/applications/${applicationId}/evidence/submit`);
        return reply.status === 409 ? undefined : reply;
      },
      60_000,
    );
    expect(submitted.status, submitted.text).toBe(202);

    const links = await eventually(
      'review links',
      async () => reviewLinks(url, applicationId).catch(() => undefined),
      90_000,
    );
    for (const link of Object.values(links)) {
      secrets.addReviewLink(link);
      const page = await openPage(link);
      const nonce = nonceOf(page.html);
      secrets.add('nonce', nonce);
      expect((await postForm(link, { decision: 'APPROVE', nonce })).status).toBe(200);
    }
    const executions = await eventually(
      'the execution to end',
      async () => {
        const reply = await send(url, 'GET', `/_local/executions?applicationId=${applicationId}`);
        const list = reply.body.executions as { status: string }[];
        return list.length > 0 && list.every((e) => e.status !== 'RUNNING') ? list : undefined;
      },
      120_000,
    );
    expect(executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
    const faults = (await send(url, 'GET', '/_local/faults')).body.faults as { remaining: number }[];
    expect(faults.map((f) => f.remaining)).toEqual(FAULTS.map(() => 0));
    for (const message of await outbox(url)) for (const link of message.links) secrets.addReviewLink(link);
    const officer = await send(url, 'GET', '/_local/token?role=officer');
    secrets.add('jwt', officer.body.token as string);
    const application = await send(url, 'GET', `/applications/${applicationId}`, {
      token: officer.body.token as string,
    });
    expect(application.body.status).toBe('APPROVED');
  }, 240_000);

  it('prints no secret of any kind after the start banner', async () => {
    await killGroup(proc!, 'SIGTERM');
    await groupGone(proc!);
    const store = await StoredState.open(dataDir);
    try {
      for (const token of await store.taskTokens([applicationId])) secrets.add('task-token', token);
    } finally {
      await store.close();
    }
    // Every kind was met, so the search means something; the output shows the retries happened.
    for (const kind of SECRET_KINDS) expect(secrets.counts()[kind], kind).toBeGreaterThan(0);
    const { rest } = splitBanner(proc!.log);
    expect(rest).toMatch(/Injected Lambda\.|TooManyRequests|Throttling/);
    expect(findSecrets(rest, secrets).map((f) => `${f.kind} ${f.masked} in: ${f.line}`)).toEqual([]);
  }, 60_000);
});
