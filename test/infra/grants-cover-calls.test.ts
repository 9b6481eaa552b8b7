import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, localDateIn } from '../../domain/dates.ts';
import { ROUTE, ROUTES } from '../../functions/api/routes.ts';
import { MAIL_ENV, LINK_SECRET_ARN_ENV } from '../../functions/composition/environment.ts';
import { installPorts } from '../../functions/composition/installed.ts';
import { secretsManagerClient } from '../../functions/adapters/secrets-manager/secret-value.ts';
import { clock } from '../../functions/composition/clock.ts';
import { TABLE_SCHEMA } from '../../functions/ports/store/schema.ts';
import { grantedActions } from '../../infra/constructs/grant-access.ts';
import { EVIDENCE_KEY_PREFIX, FROZEN_KEY_PREFIX } from '../../functions/ports/evidence-store.ts';
import {
  API_HANDLER_ACCESS,
  SWEEP_ACCESS,
  WORKFLOW_TASK_ACCESS,
  type FunctionAccess,
} from '../../infra/function-access.ts';
import { AwsJsonServer } from '../../local/aws-json-server.ts';
import { SWEEP_FUNCTION_KEY } from '../../local/call-attribution.ts';
import { DATA_LAYOUT, LOCAL_EVIDENCE_BUCKET, LOCAL_TABLE_NAME, type Runtime } from '../../local/runtime.ts';
import { TASK_NAMES } from '../../workflows/task-names.ts';
import { AwsCallRecorder, recordHandlerClients } from '../support/aws-call-recorder.ts';
import { startEmbeddedRuntime, type EmbeddedRuntime } from '../support/embedded-runtime.ts';
import { eventually } from '../support/eventually.ts';
import { send, type Reply, type SendOptions } from '../support/http-client.ts';
import { startRecordingEndpoint, type RecordingEndpoint } from '../support/recording-endpoint.ts';
import {
  applicantToken,
  applyAndSubmit,
  callAs,
  decideWithLink,
  nonceOf,
  openPage,
  outbox,
  postForm,
  reviewLinks,
  submitEvidence,
  uploadDocuments,
  type Caller,
} from '../support/review-flow.ts';
import { SesAndOutboxMailer } from '../support/ses-and-outbox-mailer.ts';

/**
 * The deployed functions' IAM grants (infra/function-access.ts, turned into statements by
 * grantAccess) cover every AWS call their handlers really make. The embedded runtime runs each
 * handler as its function (local/call-attribution.ts); a middleware on the shared SDK clients
 * records each command with its function and IAM actions while a broad flow runs over HTTP and the
 * sweep runs on later days. A call its function is not granted fails here instead of as
 * AccessDenied after a deploy.
 *
 * Two services the runtime does not use are put on the deployed path for this test: mail goes
 * through SES v2 (to a recording endpoint, with a copy in the outbox for the review links), and
 * the link secret is read from Secrets Manager (a loopback JSON server) as LINK_SECRET_ARN makes it.
 *
 * The flow also takes the paths only a lost execution takes (a restarted run that finds a review
 * decided or the application expired), so a grant kept for them is seen used. What no flow here
 * can exercise is listed in UNEXERCISED_GRANTS with its reason; any other granted action the flow
 * does not use fails the test, so a grant added without a use is caught.
 */

const LINK_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:credit-repair-link-AbCdEf';
const LINK_SECRET_VALUE = `link-secret-${randomUUID()}`;
/** Review link items are keyed by the link id's HMAC under the secret (functions/ports/store/keys.ts). */
const LINK_PARTITION_PREFIX = 'LINK#';
/**
 * Every ARN the link secret has been named by. The secret is cached per process by ARN
 * (functions/adapters/secrets-manager/link-secret.ts), so a new ARN for the same value
 * makes the next function read it as a cold container on AWS would.
 */
const secretArns = new Set<string>([LINK_SECRET_ARN]);

/**
 * Granted actions no flow on the embedded runtime can use, by `<function>: <action>`, each with
 * the path that needs it. Keep it short: an entry here is a grant this test cannot vouch for.
 */
const UNEXERCISED_GRANTS: Readonly<Record<string, string>> = {
  'requestUpload: s3:PutObject':
    "the presigned POST is signed without a call; S3 checks the signer's s3:PutObject when the browser uploads",
  'createApplication: dynamodb:DeleteItem':
    'Powertools frees a key whose request failed with a 5xx or a 429 (finished refusals are stored); no flow here fails POST /applications that way',
  'awaitEvidence: states:StopExecution':
    "an execution that is not the application's current one stops itself at its wait (test/integration/duplicate-executions.test.ts)",
  'openReview: states:StopExecution':
    "an execution that is not the application's current one stops itself at its wait (test/integration/duplicate-executions.test.ts)",
  'submitEvidence: dynamodb:GetItem':
    'a submission that loses the version race re-reads the application, an outbox entry another writer appended meanwhile is read back to compare, and a wait with no mirrored token reads its token item (test/integration/concurrency.test.ts, crash-consistency.test.ts)',
  'withdrawApplication: dynamodb:GetItem':
    'a withdrawal that loses the version race (the last approval) re-reads the application, and an outbox entry another writer appended meanwhile is read back to compare (test/integration/concurrency.test.ts)',
};

const FUNCTION_ACCESS: ReadonlyMap<string, FunctionAccess> = new Map([
  ...TASK_NAMES.map((task) => [task, WORKFLOW_TASK_ACCESS[task]] as const),
  ...Object.entries(API_HANDLER_ACCESS),
  [SWEEP_FUNCTION_KEY, SWEEP_ACCESS],
]);

let embedded: EmbeddedRuntime | undefined;
let runtime: Runtime;
let sesEndpoint: RecordingEndpoint | undefined;
let secretsServer: AwsJsonServer | undefined;
const recorder = new AwsCallRecorder();
const previousEnv = new Map<string, string | undefined>();
let officer: Caller;

function setEnv(name: string, value: string): void {
  if (!previousEnv.has(name)) previousEnv.set(name, process.env[name]);
  process.env[name] = value;
}

const api = (method: string, path: string, options: SendOptions = {}): Promise<Reply> =>
  send(runtime.url, method, path, options);

/** The next function that hashes a link id reads the secret from Secrets Manager, as after a cold start. */
function coldLinkSecret(): void {
  const arn = LINK_SECRET_ARN.replace(/-\w{6}$/, `-Cold${String(secretArns.size).padStart(2, '0')}`);
  secretArns.add(arn);
  setEnv(LINK_SECRET_ARN_ENV, arn);
}

/** Stops the application's running execution behind the workflow's back, as a lost execution. */
function loseExecution(applicationId: string): void {
  const running = runtime.engine
    .listExecutions()
    .executions.find(
      (execution) => execution.name.startsWith(applicationId) && execution.status === 'RUNNING',
    );
  if (running === undefined) throw new Error(`no running execution of ${applicationId}`);
  runtime.engine.stopExecution({ executionArn: running.executionArn, cause: 'lost, as after a restart' });
}

async function expectStatus(reply: Promise<Reply>, status: number): Promise<Reply> {
  const answered = await reply;
  expect(answered.status, answered.text).toBe(status);
  return answered;
}

async function applicationStatus(id: string): Promise<string> {
  const reply = await expectStatus(callAs(officer, 'GET', `/applications/${id}`), 200);
  return reply.body.status as string;
}

const reaches = (id: string, status: string): Promise<string> =>
  eventually(`${id} ${status}`, async () => ((await applicationStatus(id)) === status ? status : undefined));

/** DISHONEST for tax arrears paid eight months ago: may apply today, parties CUSTOMS and TAX. */
async function eligibleEnterprise(id: string): Promise<void> {
  const today = localDateIn(runtime.clock.now());
  await expectStatus(
    callAs(officer, 'POST', '/enterprises', {
      id,
      name: `Grants ${id}`,
      contactEmail: `ops@${id.toLowerCase()}.test`,
    }),
    201,
  );
  const fact = await expectStatus(
    callAs(officer, 'POST', `/enterprises/${id}/facts`, {
      type: 'TAX_ASSESSMENT',
      amount: 80_000,
      dueOn: addMonths(today, -12),
    }),
    201,
  );
  const factId = (fact.body.fact as { id: string }).id;
  await expectStatus(
    callAs(officer, 'POST', `/enterprises/${id}/facts/${factId}/payment`, { paidOn: addMonths(today, -8) }),
    200,
  );
}

/** Moves the simulated clock to 10:00 in Shanghai `days` after today and runs the sweep as its function. */
async function sweepAfter(days: number): Promise<Record<string, unknown>> {
  const on = addDays(localDateIn(runtime.clock.now()), days);
  await expectStatus(api('POST', '/_local/clock', { json: { now: `${on}T02:00:00.000Z` } }), 200);
  const counts = await runtime.runSweep();
  expect(counts['failed'], JSON.stringify(counts)).toBe(0);
  return counts;
}

beforeAll(async () => {
  // A dozen sweeps would print their metrics and log lines; the report below is what matters here.
  setEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  setEnv('POWERTOOLS_LOG_LEVEL', 'WARN');
  sesEndpoint = await startRecordingEndpoint();
  sesEndpoint.reply(() => ({ status: 200, body: { MessageId: randomUUID() } }));
  secretsServer = new AwsJsonServer({
    targetPrefix: 'secretsmanager',
    protocolVersion: '1.1',
    operations: {
      GetSecretValue: (request) => {
        const arn = String(request['SecretId']);
        expect(secretArns).toContain(arn);
        return { ARN: arn, Name: 'credit-repair-link', SecretString: LINK_SECRET_VALUE };
      },
    },
  });
  setEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', await secretsServer.start());
  setEnv('AWS_ENDPOINT_URL_SESV2', sesEndpoint.url);

  embedded = await startEmbeddedRuntime('grants-cover-calls');
  runtime = embedded.runtime;
  officer = { baseUrl: runtime.url, token: runtime.tokens.officer };

  // From here on every handler finds the secret by ARN, as on AWS; set after the demo data, so
  // no link hash is computed before the recorder is in place.
  setEnv(LINK_SECRET_ARN_ENV, LINK_SECRET_ARN);
  recorder.install(await secretsManagerClient());
  recordHandlerClients(recorder);
  const sender = process.env[MAIL_ENV.sender];
  if (!sender) throw new Error(`${MAIL_ENV.sender} is not set by the runtime`);
  installPorts({
    mailer: new SesAndOutboxMailer(join(runtime.dataDir, DATA_LAYOUT.outbox), sender, clock()),
  });
});

afterAll(async () => {
  await embedded?.stop();
  await secretsServer?.close();
  await sesEndpoint?.stop();
  for (const [name, value] of previousEnv) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('every AWS call a function makes is granted to it', () => {
  it('drives the API, the workflow and the sweep', async () => {
    await expectStatus(api('GET', '/health'), 200);
    await expectStatus(api('GET', '/openapi.json'), 200);

    // The officer's side: enterprises, facts, a payment, a void, the reviewer directory.
    const [approved, rejected, withdrawn, reworked, refused, timedOut, decidedWhileLost, newCause, voided] = [
      'IAMG000001',
      'IAMG000002',
      'IAMG000003',
      'IAMG000004',
      'IAMG000005',
      'IAMG000006',
      'IAMG000007',
      'IAMG000008',
      'IAMG000009',
    ];
    for (const id of [
      approved,
      rejected,
      withdrawn,
      reworked,
      timedOut,
      decidedWhileLost,
      newCause,
      voided,
    ]) {
      await eligibleEnterprise(id);
    }
    await expectStatus(
      callAs(officer, 'POST', '/enterprises', {
        id: refused,
        name: 'Regular Co',
        contactEmail: 'ops@regular.test',
      }),
      201,
    );
    const today = localDateIn(runtime.clock.now());
    const fine = await expectStatus(
      callAs(officer, 'POST', `/enterprises/${refused}/facts`, {
        type: 'FINE',
        amount: 500,
        imposedOn: addDays(today, -20),
        dueOn: addDays(today, 10),
      }),
      201,
    );
    const fineId = (fine.body.fact as { id: string }).id;
    await expectStatus(
      callAs(officer, 'POST', `/enterprises/${refused}/facts/${fineId}/void`, {
        reason: 'recorded in error',
      }),
      200,
    );
    await expectStatus(callAs(officer, 'GET', `/enterprises/${approved}`), 200);
    // Four eyes: one officer proposes, another confirms; a third proposal is cancelled.
    const proposed = await expectStatus(
      callAs(officer, 'PUT', '/reviewers/TAX', {
        name: 'Tax Reviewer',
        email: 'tax.reviewer@example.org',
        escalationEmail: 'tax.lead@example.org',
      }),
      202,
    );
    const secondOfficer: Caller = {
      baseUrl: runtime.url,
      token: (await api('GET', '/_local/token?role=officer&sub=second-officer')).body.token as string,
    };
    const taxChange = (proposed.body.change as { id: string }).id;
    await expectStatus(callAs(secondOfficer, 'POST', `/reviewers/TAX/changes/${taxChange}/confirm`), 200);
    const withdrawnChange = await expectStatus(
      callAs(officer, 'PUT', '/reviewers/CUSTOMS', {
        name: 'Customs Desk',
        email: 'customs.reviewer@example.org',
        escalationEmail: 'customs.lead@example.org',
      }),
      202,
    );
    await expectStatus(
      callAs(
        officer,
        'POST',
        `/reviewers/CUSTOMS/changes/${(withdrawnChange.body.change as { id: string }).id}/cancel`,
      ),
      200,
    );
    await expectStatus(callAs(officer, 'GET', '/reviewers/TAX/history'), 200);
    await expectStatus(callAs(officer, 'GET', '/reviewers'), 200);
    await expectStatus(api('GET', `/public/credit/${approved}`), 200);

    const applicant: Caller = {
      baseUrl: runtime.url,
      token: await applicantToken(
        runtime.url,
        approved,
        rejected,
        withdrawn,
        reworked,
        refused,
        timedOut,
        decidedWhileLost,
        newCause,
        voided,
      ),
    };

    // Refused inside the idempotent call: Powertools deletes its in-progress record.
    const refusal = await callAs(applicant, 'POST', '/applications', {
      enterpriseId: refused,
      statement: 'Regular.',
    });
    expect(refusal.status, refusal.text).toBe(422);

    // Approved by both parties: the tier is restored, the listing change announced, everyone told.
    const first = await applyAndSubmit(applicant, approved, 'Taxes paid in full.');
    // A reviewer opens a document from the page (a presigned GET of its frozen copy), in a cold container.
    const firstPage = await openPage(first.links.CUSTOMS);
    const documentPath = /<a href="([^"]+\/documents\/[^"]+)"/.exec(firstPage.html)?.[1];
    expect(documentPath).toBeDefined();
    coldLinkSecret();
    const document = await fetch(new URL(documentPath ?? '', first.links.CUSTOMS), { redirect: 'manual' });
    expect(document.status).toBe(302);
    // Eligibility reads the open application to tell it apart from a claim left by an ended one.
    await expectStatus(callAs(applicant, 'GET', `/enterprises/${approved}/eligibility`), 200);
    const again = await send(runtime.url, 'POST', '/applications', {
      token: applicant.token,
      headers: { 'idempotency-key': 'grants-replayed' },
      json: { enterpriseId: withdrawn, statement: 'First.' },
    });
    expect(again.status, again.text).toBe(201);
    const replay = await send(runtime.url, 'POST', '/applications', {
      token: applicant.token,
      headers: { 'idempotency-key': 'grants-replayed' },
      json: { enterpriseId: withdrawn, statement: 'First.' },
    });
    expect(replay.body.id).toBe(again.body.id);
    for (const link of Object.values(first.links)) {
      expect((await decideWithLink(link, { decision: 'APPROVE' })).status).toBe(200);
    }
    await reaches(first.id, 'APPROVED');

    // Rejected by one party in another application.
    const second = await applyAndSubmit(applicant, rejected, 'Taxes paid.');
    expect(
      (await decideWithLink(second.links.TAX, { decision: 'REJECT', comment: 'Proof is not legible.' }))
        .status,
    ).toBe(200);
    await reaches(second.id, 'REJECTED');

    // Withdrawn with its documents uploaded, before submitting them (seen landing first).
    const thirdId = again.body.id as string;
    await uploadDocuments(applicant, thirdId);
    await expectStatus(callAs(applicant, 'GET', `/applications/${thirdId}`), 200);
    await expectStatus(callAs(applicant, 'POST', `/applications/${thirdId}/withdraw`), 200);

    // A change request: the evidence wait mails the request, a second round opens after resubmission.
    const fourth = await applyAndSubmit(applicant, reworked, 'Taxes paid.');
    expect(
      (
        await decideWithLink(fourth.links.CUSTOMS, {
          decision: 'REQUEST_CHANGES',
          comment: 'Add the receipt.',
        })
      ).status,
    ).toBe(200);
    expect((await decideWithLink(fourth.links.TAX, { decision: 'APPROVE' })).status).toBe(200);
    await reaches(fourth.id, 'AWAITING_EVIDENCE');
    // The round-2 evidence wait mails the request only if it runs before the resubmission (after
    // it, the applicant has answered already): wait for the email, so that its send is seen.
    await eventually('the changes-requested email', async () =>
      (await outbox(runtime.url)).find(
        (m) => m.subject.includes(`Changes requested`) && m.text.includes(fourth.id),
      ),
    );
    await submitEvidence(applicant, fourth.id, 'The receipt is attached.');
    await reviewLinks(runtime.url, fourth.id, 2);

    // Never gets its evidence in: its execution is lost before the evidence deadline (below).
    const waiting = await expectStatus(
      callAs(applicant, 'POST', '/applications', { enterpriseId: timedOut, statement: 'Taxes paid.' }),
      201,
    );
    const timedOutId = waiting.body.id as string;

    // Decided while its execution is lost; each link route reads the secret as a cold container.
    // The day-11 sweep restarts the execution, whose OpenReview finds the reviews decided and
    // resumes its own wait.
    const fifth = await applyAndSubmit(applicant, decidedWhileLost, 'Taxes paid.');
    loseExecution(fifth.id);
    coldLinkSecret();
    const opened = await openPage(fifth.links.CUSTOMS);
    expect(opened.status).toBe(200);
    coldLinkSecret();
    const decided = await postForm(fifth.links.CUSTOMS, { decision: 'APPROVE', nonce: nonceOf(opened.html) });
    expect(decided.status).toBe(200);
    expect((await decideWithLink(fifth.links.TAX, { decision: 'APPROVE' })).status).toBe(200);

    await expectStatus(callAs(applicant, 'GET', `/applications/${first.id}`), 200);
    await expectStatus(callAs(applicant, 'GET', `/applications?enterpriseId=${approved}`), 200);
    await expectStatus(callAs(officer, 'GET', '/applications?limit=5'), 200);
    await expectStatus(callAs(officer, 'GET', '/enterprises?tier=DISHONEST'), 200);
    await expectStatus(callAs(officer, 'GET', '/enterprises?name=a&limit=3'), 200);
    await expectStatus(callAs(applicant, 'GET', `/enterprises/${approved}/events`), 200);
    await expectStatus(callAs(applicant, 'GET', `/applications/${first.id}/workflow`), 200);
    await expectStatus(api('GET', `/public/credit/${approved}`), 200);

    // Time alone: the review reminder (day 11) and escalation (day 14) of round 2, a stalled
    // execution restarted, the review timeout (day 60), and demo listings and certifications
    // that come due over the following year.
    // The causes change under two open applications (RULES.md §6.1): a small fine and its payment
    // leave one open, a bribery then ends it; voiding the fact the other's cause rests on leaves
    // nothing to repair. Each fact route fails the waiting task of the application it ends.
    const changed = await applyAndSubmit(applicant, newCause, 'Taxes paid.');
    const changeDay = localDateIn(runtime.clock.now());
    const smallFine = await expectStatus(
      callAs(officer, 'POST', `/enterprises/${newCause}/facts`, {
        type: 'FINE',
        amount: 200,
        imposedOn: changeDay,
        dueOn: addDays(changeDay, 30),
      }),
      201,
    );
    await expectStatus(
      callAs(
        officer,
        'POST',
        `/enterprises/${newCause}/facts/${(smallFine.body.fact as { id: string }).id}/payment`,
        {
          paidOn: changeDay,
        },
      ),
      200,
    );
    expect(await applicationStatus(changed.id)).toBe('UNDER_REVIEW');
    await expectStatus(
      callAs(officer, 'POST', `/enterprises/${newCause}/facts`, { type: 'BRIBERY', occurredOn: changeDay }),
      201,
    );
    await reaches(changed.id, 'REJECTED');
    const ended = await applyAndSubmit(applicant, voided, 'Taxes paid.');
    const voidedFacts = (await expectStatus(callAs(officer, 'GET', `/enterprises/${voided}`), 200)).body
      .facts as { id: string; type: string }[];
    const taxFact = voidedFacts.find((f) => f.type === 'TAX_ASSESSMENT');
    if (taxFact === undefined) throw new Error(`${voided} has no tax assessment`);
    await expectStatus(
      callAs(officer, 'POST', `/enterprises/${voided}/facts/${taxFact.id}/void`, {
        reason: 'recorded in error',
      }),
      200,
    );
    await reaches(ended.id, 'EXPIRED');

    // The day-11 reminder mails a fresh review link: the sweep reads the secret as a cold container.
    coldLinkSecret();
    await sweepAfter(11);
    await reaches(fifth.id, 'APPROVED');
    await sweepAfter(3);
    loseExecution(fourth.id);
    const restartedOn = await sweepAfter(1);
    expect(restartedOn['executionsRestarted']).toBe(1);
    // Both lost again before their deadlines: the day-65 sweep expires them, and their executions
    // are restarted (by that sweep's second pass over the due index, which finds them decided but
    // not closed out, or else by the next sweep); the restarted waits find the application expired
    // and fail themselves.
    loseExecution(fourth.id);
    loseExecution(timedOutId);
    const expiring = await sweepAfter(50);
    await reaches(fourth.id, 'EXPIRED');
    await reaches(timedOutId, 'EXPIRED');
    const restartedExpired = await sweepAfter(60);
    expect(Number(expiring['executionsRestarted']) + Number(restartedExpired['executionsRestarted'])).toBe(2);
    for (let day = 60; day < 400; day += 60) await sweepAfter(60);
  }, 180_000);

  it('grants each function every IAM action of the calls it made', () => {
    expect(recorder.unmapped).toEqual([]);
    // Every call came from a function: the test itself drives only HTTP and the sweep.
    expect(recorder.unattributed()).toEqual([]);

    const seen = recorder.actionsByFunction();
    expect([...seen.keys()].filter((key) => !FUNCTION_ACCESS.has(key))).toEqual([]);

    const report: string[] = [];
    const missing: string[] = [];
    const unused: string[] = [];
    for (const [functionKey, access] of FUNCTION_ACCESS) {
      const granted = grantedActions(access);
      const used = seen.get(functionKey) ?? [];
      for (const action of used) if (!granted.has(action)) missing.push(`${functionKey}: ${action}`);
      const unusedHere = [...granted].filter((action) => !used.includes(action)).sort();
      unused.push(...unusedHere.map((action) => `${functionKey}: ${action}`));
      report.push(
        `${functionKey.padEnd(22)} seen [${used.join(', ')}]` +
          (unusedHere.length > 0 ? ` unused grants [${unusedHere.join(', ')}]` : ''),
      );
    }
    const justified = unused.filter((grant) => UNEXERCISED_GRANTS[grant] !== undefined);
    console.log(
      `IAM actions seen vs granted, per function:\n${report.join('\n')}\n` +
        `Granted but unused (${unused.length}), justified:\n` +
        justified.map((grant) => `  ${grant}: ${UNEXERCISED_GRANTS[grant]}`).join('\n'),
    );
    expect(missing).toEqual([]);
    // A grant nobody uses is removed, or driven here, or justified in UNEXERCISED_GRANTS.
    expect(unused.filter((grant) => UNEXERCISED_GRANTS[grant] === undefined)).toEqual([]);
    // And a justification whose grant is now used (or gone) is stale.
    expect(Object.keys(UNEXERCISED_GRANTS).filter((grant) => !unused.includes(grant))).toEqual([]);
  });

  it('calls stay on the resources the grants name', () => {
    const indexes = new Set(TABLE_SCHEMA.globalSecondaryIndexes.map((index) => index.indexName));
    for (const call of recorder.calls) {
      if (call.table !== undefined) expect(call.table).toBe(LOCAL_TABLE_NAME);
      // Index ARNs are granted by name (bind-table.ts), and only with Query.
      if (call.index !== undefined) {
        expect(indexes).toContain(call.index);
        expect(call.actions).toEqual(['dynamodb:Query']);
      }
      if (call.bucket !== undefined) {
        expect(call.bucket).toBe(LOCAL_EVIDENCE_BUCKET);
        // Uploads are read under their prefix; copies are written (and read back) under the frozen one.
        const prefix = call.objectKey?.startsWith(FROZEN_KEY_PREFIX)
          ? FROZEN_KEY_PREFIX
          : EVIDENCE_KEY_PREFIX;
        expect(call.objectKey?.startsWith(prefix), call.objectKey).toBe(true);
        if (prefix === FROZEN_KEY_PREFIX) {
          expect(['submitEvidence', ROUTE.openReviewDocument.exportName]).toContain(call.functionKey);
        }
      }
      if (call.fromAddress !== undefined) expect(call.fromAddress).toBe(process.env[MAIL_ENV.sender]);
    }
    // The idempotency grant is DeleteItem on the handler's own partition only (LeadingKeys); the
    // flow may make none (UNEXERCISED_GRANTS), but any it makes stays there.
    const deletes = recorder.calls.filter((call) => call.actions.includes('dynamodb:DeleteItem'));
    for (const call of deletes) {
      const partition =
        call.functionKey === undefined
          ? undefined
          : FUNCTION_ACCESS.get(call.functionKey)?.idempotencyPartition;
      expect(partition, `${call.functionKey} deletes in ${call.partition}`).toBeDefined();
      expect(call.partition).toBe(partition);
    }
  });

  it('what per-container caches and client-side signing hide is granted too', () => {
    // The link secret is fetched once per process here but once per container on AWS: every
    // function that reads or writes a review link by its hash computes that hash with the secret.
    const hashesLinks = new Set(
      recorder.calls
        .filter((call) => call.partition?.startsWith(LINK_PARTITION_PREFIX) && call.functionKey !== undefined)
        .map((call) => call.functionKey as string),
    );
    expect(hashesLinks.size).toBeGreaterThan(0);
    for (const functionKey of hashesLinks) {
      const access = FUNCTION_ACCESS.get(functionKey);
      expect(access && grantedActions(access).has('secretsmanager:GetSecretValue'), functionKey).toBe(true);
    }
    // And the first of them really read it through Secrets Manager.
    expect(recorder.calls.some((call) => call.actions.includes('secretsmanager:GetSecretValue'))).toBe(true);

    // A presigned POST is signed without a call; S3 checks the signer's s3:PutObject at upload.
    const presigning = ROUTES.filter(
      (route) => route.method === 'POST' && route.path === '/applications/{id}/evidence',
    );
    expect(presigning).toHaveLength(1);
    for (const route of presigning) {
      const access = FUNCTION_ACCESS.get(route.exportName);
      expect(access && grantedActions(access).has('s3:PutObject'), route.exportName).toBe(true);
    }
  });
});
