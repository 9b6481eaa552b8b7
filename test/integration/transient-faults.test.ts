import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../local/main.ts';
import { INVOKE_RETRY } from '../../workflows/repair-application.ts';
import { isFinalStatus, type ApplicationStatus } from '../../domain/vocabulary.ts';
import { DATA_LAYOUT, startRuntime, type Runtime } from '../../local/runtime.ts';
import { eventually } from '../support/eventually.ts';
import { expectProblem, send } from '../support/http-client.ts';
import { decideWithLink, outbox, ReviewFlow } from '../support/review-flow.ts';

/**
 * Issue 13, "Transient faults, retried not fatal": through the embedded runtime's fault seam
 * (`/_local/faults`), workflow tasks fail as Lambda fails (service errors, throttling, timeouts,
 * before the handler ran or after it did its work) and the handlers' AWS calls fail as the services
 * do when they throttle (DynamoDB, SES, EventBridge, S3), each more often than the SDK's own retries
 * absorb. The application still ends APPROVED, with the same timeline, emails and listing change as
 * one that met no fault. The state machine's Retry waits are shortened (retryPauseMs); which errors
 * are retried and how often is the definition's own.
 */

let runtime: Runtime;
let dataDir: string;
let flow: ReviewFlow;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'transient-faults-'));
  runtime = await startRuntime({
    dataDir,
    port: 0,
    quiet: true,
    sweepIntervalMs: 3_600_000,
    retryPauseMs: 20,
  });
  flow = new ReviewFlow(runtime, { prefix: 'TFLT' });
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const local = (method: string, path: string, json?: unknown) => send(runtime.url, method, path, { json });

interface TimelineEntry {
  readonly type: string;
  readonly actor: string;
  readonly detail?: unknown;
}

/** One application from application to outcome over HTTP, and what it left behind. */
async function repairOnce(): Promise<{
  id: string;
  enterpriseId: string;
  application: Record<string, unknown>;
  timeline: string[];
  emails: string[];
  listingEvents: number;
}> {
  const { id, links } = await flow.applicationUnderReview();
  for (const link of [links.CUSTOMS, links.TAX]) {
    const page = await decideWithLink(link, { decision: 'APPROVE' });
    expect(page.status).toBe(200);
  }
  const execution = await eventually(
    `the execution of ${id} to end`,
    async () => {
      const reply = await local('GET', `/_local/executions?applicationId=${id}`);
      const executions = reply.body.executions as { status: string; name: string }[];
      return executions.length > 0 && executions.every((e) => e.status !== 'RUNNING')
        ? executions
        : undefined;
    },
    60_000,
  );
  expect(execution.map((e) => e.status)).toEqual(['SUCCEEDED']);
  const application = await flow.application(id);
  const enterpriseId = application.enterpriseId as string;
  const timeline = (application.timeline as TimelineEntry[]).map(
    (entry) => `${entry.type} ${entry.actor} ${JSON.stringify(entry.detail ?? {})}`,
  );
  const emails = (await outbox(runtime.url))
    .filter((m) => m.text.includes(id) || m.subject.includes(id))
    .map((m) => `${m.to.join(',')} ${m.subject}`);
  const events = (await readFile(join(dataDir, DATA_LAYOUT.events), 'utf8').catch(() => ''))
    .split('\n')
    .filter((line) => line.includes(enterpriseId));
  return { id, enterpriseId, application, timeline, emails, listingEvents: events.length };
}

/** The timeline with this application's own ids and dates blanked, to compare two applications. */
const shape = (lines: readonly string[], id: string, enterpriseId: string): string[] =>
  lines
    .map((line) =>
      line
        .replaceAll(id, '<application>')
        .replaceAll(enterpriseId, '<enterprise>')
        .replaceAll(enterpriseId.toLowerCase(), '<enterprise>')
        .replace(/"[A-Za-z0-9_-]{20,}"/g, '"<id>"'),
    )
    .sort();

describe('transient faults on the path of an application', () => {
  it('are retried: the application is approved once, as one that met no fault', async () => {
    const control = await repairOnce();
    expect(control.application.status).toBe('APPROVED');

    const faults = [
      { target: 'task:checkEligibility', error: 'Lambda.ServiceException', times: 2 },
      { target: 'task:openReview', error: 'Lambda.TooManyRequestsException', times: 2 },
      { target: 'task:tally', error: 'Sandbox.Timedout', times: 1, when: 'after' },
      // A plain invoke that timed out after its function did the work: the step runs again.
      { target: 'task:upgradeTier', error: 'States.Timeout', times: 1, when: 'after' },
      // The outcome emails went out and the answer was lost: sent again would be twice.
      { target: 'task:notify', error: 'Lambda.ServiceException', times: 2, when: 'after' },
      // More than the SDK's three attempts: the handler meets the error, the state machine retries.
      {
        target: 'dynamodb:PutItem',
        error: 'ProvisionedThroughputExceededException',
        times: 4,
        caller: 'tally',
      },
      { target: 'dynamodb:GetItem', error: 'ThrottlingException', times: 4, caller: 'upgradeTier' },
      { target: 'ses:SendEmail', error: 'TooManyRequestsException', times: 2, caller: 'openReview' },
      { target: 'ses:SendEmail', error: 'TooManyRequestsException', times: 1, caller: 'notify' },
      { target: 'eventbridge:PutEvents', error: 'ThrottlingException', times: 4 },
      // Within the SDK's own retries: the applicant's submit never sees it.
      { target: 's3:CopyObject', error: 'SlowDown', times: 2, caller: 'submitEvidence' },
    ];
    for (const fault of faults) {
      const armed = await local('POST', '/_local/faults', fault);
      expect(armed.status, armed.text).toBe(201);
    }

    const faulty = await repairOnce();
    const left = (await local('GET', '/_local/faults')).body.faults as {
      target: string;
      remaining: number;
      injected: number;
      times: number;
    }[];
    // Every fault met its calls (else the test proved nothing about it).
    expect(left.map((f) => `${f.target} ${f.injected}/${f.times}`)).toEqual(
      faults.map((f) => `${f.target} ${f.times}/${f.times}`),
    );

    expect(faulty.application.status).toBe('APPROVED');
    const { decidedAt: _at, ...outcome } = faulty.application.outcome as Record<string, unknown>;
    const { decidedAt: _controlAt, ...controlOutcome } = control.application.outcome as Record<
      string,
      unknown
    >;
    expect(outcome).toEqual(controlOutcome);
    expect(shape(faulty.timeline, faulty.id, faulty.enterpriseId)).toEqual(
      shape(control.timeline, control.id, control.enterpriseId),
    );
    expect(shape(faulty.emails, faulty.id, faulty.enterpriseId)).toEqual(
      shape(control.emails, control.id, control.enterpriseId),
    );
    expect(faulty.listingEvents).toBe(control.listingEvents);
    expect(control.listingEvents).toBeGreaterThan(0);
    const enterprise = await flow.api('GET', `/enterprises/${faulty.enterpriseId}`, runtime.tokens.officer);
    expect(enterprise.body.tier).toBe(
      (await flow.api('GET', `/enterprises/${control.enterpriseId}`, runtime.tokens.officer)).body.tier,
    );
    expect((await local('DELETE', '/_local/faults')).body).toEqual({ cleared: 0 });
  }, 180_000);
});

describe('a fault that outlasts every retry', () => {
  it('ends the application as WORKFLOW_FAILED, as a permanent error does', async () => {
    await local('DELETE', '/_local/faults');
    const attempts = 1 + INVOKE_RETRY.maxAttempts;
    const armed = await local('POST', '/_local/faults', {
      target: 'task:checkEligibility',
      error: 'Lambda.ServiceException',
      times: attempts,
    });
    expect(armed.status).toBe(201);
    const enterprise = await flow.eligibleEnterprise();
    const created = await flow.api('POST', '/applications', enterprise.token, {
      enterpriseId: enterprise.id,
      statement: 'Taxes paid in full.',
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const application = await eventually(
      'the application to end',
      async () => {
        const state = await flow.application(id);
        return isFinalStatus(state.status as ApplicationStatus) ? state : undefined;
      },
      60_000,
    );
    expect(application.outcome).toMatchObject({ status: 'EXPIRED', reason: 'WORKFLOW_FAILED' });
    expect((await local('GET', '/_local/faults')).body.faults).toEqual([
      expect.objectContaining({ injected: attempts, remaining: 0 }),
    ]);
  }, 90_000);
});

describe('the /_local/faults control', () => {
  it('arms, lists and clears faults, and refuses ones that are not transient for their target', async () => {
    await local('DELETE', '/_local/faults');
    const armed = await local('POST', '/_local/faults', {
      target: 'dynamodb:Query',
      error: 'ThrottlingException',
      times: 3,
      caller: 'listApplications',
    });
    expect(armed.status).toBe(201);
    expect(armed.body.fault).toMatchObject({ target: 'dynamodb:Query', remaining: 3, injected: 0 });
    expect((await local('GET', '/_local/faults')).body.faults).toHaveLength(1);

    const refusals = [
      // A callback task's States.Timeout is its wait's deadline: the application would expire.
      { target: 'task:awaitEvidence', error: 'States.Timeout', times: 1 },
      { target: 'task:openReview', error: 'States.Timeout', times: 1 },
      { target: 'dynamodb:GetItem', error: 'SlowDown', times: 1 },
      { target: 'task:notify', error: 'Lambda.ServiceException', times: 1, caller: 'notify' },
      { target: 'ses:SendEmail', error: 'TooManyRequestsException', times: 1, when: 'after' },
      { target: 'dynamodb:Scan', error: 'ThrottlingException', times: 1 },
      { target: 'task:notify', error: 'Lambda.ServiceException', times: 0 },
      { target: 'task:notify', error: 'Lambda.ServiceException', times: 1, extra: true },
    ];
    for (const body of refusals) {
      const reply = await local('POST', '/_local/faults', body);
      expect({ body, status: reply.status }).toEqual({ body, status: 400 });
      expectProblem(reply, 400, reply.body.code as string);
    }
    expect((await local('GET', '/_local/faults')).body.faults).toHaveLength(1);
    expect((await local('DELETE', '/_local/faults')).body).toEqual({ cleared: 1 });
    expect((await local('GET', '/_local/faults')).body.faults).toEqual([]);
  });

  it('takes faults from LOCAL_FAULTS at start, and refuses a malformed one before starting', () => {
    const faults = [{ target: 'task:notify', error: 'Lambda.ServiceException', times: 2 }];
    expect(parseConfig({ LOCAL_FAULTS: JSON.stringify(faults) }, []).faults).toEqual(faults);
    expect(parseConfig({}, []).faults).toBeUndefined();
    expect(() => parseConfig({ LOCAL_FAULTS: '{' }, [])).toThrow(/LOCAL_FAULTS/);
    expect(() =>
      parseConfig({ LOCAL_FAULTS: JSON.stringify([{ target: 'task:nobody', error: 'x', times: 1 }]) }, []),
    ).toThrow(/LOCAL_FAULTS/);
  });
});

describe('GET /_local/executions', () => {
  it("shows an application's executions with the state a running one is in", async () => {
    const { id } = await flow.applicationUnderReview();
    const reply = await eventually('both review tasks open', async () => {
      const r = await local('GET', `/_local/executions?applicationId=${id}`);
      const [first] = r.body.executions as { openStates: string[] }[];
      return first?.openStates.length === 2 ? r : undefined;
    });
    expect(reply.body.executions).toEqual([
      expect.objectContaining({
        name: expect.stringContaining(id),
        status: 'RUNNING',
        currentState: 'OpenReview',
        openStates: ['Review', 'OpenReview'],
      }),
    ]);
    expect((await local('GET', '/_local/executions?applicationId=NOSUCHAPPLICATION')).body).toEqual({
      executions: [],
    });
    expectProblem(await local('GET', '/_local/executions?applicationId=a%20b'), 400, 'VALIDATION_FAILED');
    const all = (await local('GET', '/_local/executions')).body.executions as { name: string }[];
    expect(all.some((e) => e.name.includes(id))).toBe(true);
  });
});
