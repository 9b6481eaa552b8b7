import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import type { Principal } from '../../functions/auth/principal.ts';
import { decideReview, type DecideResult } from '../../functions/usecases/reviews/decide.ts';
import { reviewPage } from '../../functions/usecases/reviews/page.ts';
import { requestEvidenceUpload } from '../../functions/usecases/applications/evidence.ts';
import { requireApplication } from '../../functions/usecases/applications/records.ts';
import { s3Client } from '../../functions/adapters/s3/client.ts';
import { installPorts } from '../../functions/composition/installed.ts';
import { evidenceStore } from '../../functions/composition/evidence.ts';
import { listingEvents } from '../../functions/composition/events.ts';
import { linkSecret } from '../../functions/composition/link-secret.ts';
import { mailer } from '../../functions/composition/mailer.ts';
import { workflow } from '../../functions/composition/workflow.ts';
import type { SfnWorkflowClient } from '../../functions/adapters/sfn/workflow-client.ts';
import type { Ports } from '../../functions/ports/ports.ts';
import { ManualClock } from '../../functions/adapters/memory/clock.ts';
import { seedReviewer } from '../../functions/usecases/directory/reviewers.ts';
import { createEnterprise } from '../../functions/usecases/enterprises/register.ts';
import { recordFact, recordPayment } from '../../functions/usecases/enterprises/facts.ts';
import { OutboxMailer, listOutbox, type OutboxEntry } from '../../functions/adapters/outbox/mailer.ts';
import type { Store } from '../../functions/ports/store/store.ts';
import { store as storePort } from '../../functions/composition/store.ts';
import { PARTIES, type Decision, type Party } from '../../domain/vocabulary.ts';
import { LambdaRegistry } from '../../local/lambda-registry.ts';
import { LocalEventBridge, type RecordedEvent } from '../../local/eventbridge-endpoint.ts';
import { LocalStepFunctions } from '../../local/stepfunctions/engine.ts';
import { LocalStepFunctionsEndpoint } from '../../local/stepfunctions/endpoint.ts';
import { renderedAsl } from '../../workflows/rendered-asl.ts';
import { REPAIR_APPLICATION_STATE_MACHINE_ID } from '../../workflows/state-machine-names.ts';
import { HANDLER_EXPORT, TASK_NAMES, WORKFLOW_TASKS, functionNameFor } from '../../workflows/task-names.ts';
import { useAwsEnv } from './aws-env.ts';
import { startDynalite, type RunningDynalite } from './dynalite.ts';
import { eventually } from './eventually.ts';

/**
 * The repair workflow on one machine, for tests: dynalite (in memory), s3rver, the local
 * EventBridge, the embedded Step Functions engine running the ASL rendered from the CDK
 * definition, with every task handler registered in-process under its deployed function name,
 * and the SFN endpoint the handlers reach through AWS_ENDPOINT_URL_SFN. Time is a controllable
 * clock installed as the handlers' clock port (and given to the engine); email goes to an outbox folder.
 */

// s3rver is CommonJS without type declarations.
const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
};

export const EVIDENCE_BUCKET = 'evidence-test';
export const REVIEW_BASE_URL = 'http://review.test';

interface EngineParts {
  readonly registry: LambdaRegistry;
  readonly engine: LocalStepFunctions;
  readonly endpoint: LocalStepFunctionsEndpoint;
  readonly stateMachineArn: string;
}

export interface WorkflowHarness {
  /** The ports the handlers use, as they see them: for calling use cases as a handler would. */
  readonly ports: Ports & { readonly reviewBaseUrl: string };
  readonly store: Store;
  readonly clock: ManualClock;
  readonly outboxDir: string;
  readonly registry: LambdaRegistry;
  readonly engine: LocalStepFunctions;
  readonly stateMachineArn: string;
  /** The ARN of the execution `name` (what the handlers' workflow client names it). */
  executionArn(name: string): string;
  /** Drops the engine (its executions stop, as in a crash of the process) and starts a new one on the same data. */
  restartEngine(): Promise<void>;
  outbox(): Promise<OutboxEntry[]>;
  events(): Promise<RecordedEvent[]>;
  stop(): Promise<void>;
}

async function startEngine(clock: ManualClock, port?: number): Promise<EngineParts & { url: string }> {
  const registry = new LambdaRegistry();
  for (const task of TASK_NAMES) {
    const module = (await import(
      new URL(`../../${WORKFLOW_TASKS[task].module}`, import.meta.url).href
    )) as Record<string, (event: never) => Promise<unknown>>;
    const handler = module[HANDLER_EXPORT];
    if (typeof handler !== 'function') throw new Error(`${WORKFLOW_TASKS[task].module} exports no handler`);
    registry.register(functionNameFor(task), handler);
  }
  const engine = new LocalStepFunctions({ lambda: registry, now: clock.now, retryPauseMs: 1 });
  const { stateMachineArn } = engine.createStateMachine({
    name: REPAIR_APPLICATION_STATE_MACHINE_ID,
    definition: renderedAsl('repairApplication'),
  });
  const endpoint = new LocalStepFunctionsEndpoint(engine);
  const url = await endpoint.start(port === undefined ? {} : { port });
  return { registry, engine, endpoint, stateMachineArn, url };
}

export async function startWorkflowHarness(options: { now?: string } = {}): Promise<WorkflowHarness> {
  const clock = new ManualClock(options.now ?? '2026-05-04T02:00:00.000Z');
  const uninstallClock = installPorts({ clock });
  const dir = await mkdtemp(join(tmpdir(), 'workflow-harness-'));
  const outboxDir = join(dir, 'outbox');
  const dynalite: RunningDynalite = await startDynalite();
  const s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: join(dir, 's3') });
  const s3Address = await s3.run();
  const eventBridge = new LocalEventBridge({ file: join(dir, 'events.jsonl'), now: clock.now });
  const eventsUrl = await eventBridge.start();
  let parts = await startEngine(clock);
  const port = Number(new URL(parts.url).port);

  const restoreEnv = useAwsEnv({
    // s3rver checks signatures against its one built-in key pair; the other emulators accept any.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
    AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${s3Address.port}`,
    AWS_ENDPOINT_URL_SFN: parts.url,
    AWS_ENDPOINT_URL_EVENTBRIDGE: eventsUrl,
    TABLE_NAME: dynalite.tableName,
    EVIDENCE_BUCKET,
    EVENT_BUS_NAME: 'credit-repair-test',
    STATE_MACHINE_ARN: parts.stateMachineArn,
    REVIEW_BASE_URL,
  });
  const uninstallMailer = installPorts({
    mailer: new OutboxMailer({ dir: outboxDir, from: 'credit-repair@harness.test', clock }),
  });
  await s3Client().send(new CreateBucketCommand({ Bucket: EVIDENCE_BUCKET }));

  const ports: Ports & { readonly reviewBaseUrl: string } = {
    store: storePort(),
    clock,
    mailer: mailer(),
    evidence: evidenceStore(),
    workflow: workflow(),
    events: listingEvents(),
    idempotency: { once: () => Promise.reject(new Error('the harness calls use cases, not the HTTP edge')) },
    linkSecret: linkSecret(),
    reviewBaseUrl: REVIEW_BASE_URL,
  };
  const harness = {
    ports,
    store: ports.store,
    clock,
    outboxDir,
    get registry() {
      return parts.registry;
    },
    get engine() {
      return parts.engine;
    },
    get stateMachineArn() {
      return parts.stateMachineArn;
    },
    executionArn: (name: string) => (workflow() as SfnWorkflowClient).executionArnFor(name),
    async restartEngine() {
      await parts.engine.dispose();
      await parts.endpoint.close();
      // Same port, so the handlers' SFN client finds the new engine without a new environment.
      parts = await startEngine(clock, port);
    },
    outbox: () => listOutbox(outboxDir),
    events: () => eventBridge.readEvents(),
    async stop() {
      await parts.engine.dispose();
      // A stopped execution's task may still be running its handler: let it finish before its
      // services close under it.
      await parts.registry.drain();
      await parts.endpoint.close();
      await eventBridge.close();
      restoreEnv();
      uninstallMailer();
      uninstallClock();
      await s3.close();
      await dynalite.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

// ---------------------------------------------------------------------------------------------
// fixtures

export const OFFICER: Principal = { subject: 'officer-1', role: 'officer', enterprises: [] };
export const applicantFor = (enterpriseId: string): Principal => ({
  subject: `applicant-${enterpriseId}`,
  role: 'applicant',
  enterprises: [enterpriseId],
});

export const reviewerEmail = (party: Party): string => `${party.toLowerCase()}@agency.test`;

/** Every party's reviewer in the directory. */
export async function registerReviewers(store: Store, now: string): Promise<void> {
  for (const party of PARTIES) {
    await seedReviewer(
      store,
      party,
      {
        name: `${party} reviewer`,
        email: reviewerEmail(party),
        escalationEmail: `boss-${reviewerEmail(party)}`,
      },
      now,
    );
  }
}

/**
 * A DISHONEST enterprise (tax arrears, paid) whose rectification period has passed on the harness
 * clock's default date: documents REPAIR_APPLICATION, COMMITMENT_LETTER, TAX_PAID_PROOF; parties
 * CUSTOMS and TAX.
 */
export async function eligibleDishonestEnterprise(store: Store, id: string, now: string): Promise<void> {
  const who = { now, actor: 'officer:officer-1' };
  await createEnterprise(
    store,
    { id, name: `Enterprise ${id}`, contactEmail: `contact@${id.toLowerCase()}.test` },
    now,
  );
  const { fact } = await recordFact(
    store,
    id,
    { type: 'TAX_ASSESSMENT', amountFen: 50_000_00, dueOn: '2025-01-10' },
    who,
  );
  await recordPayment(store, id, fact.id, { paidOn: '2025-06-01' }, who);
}

// ---------------------------------------------------------------------------------------------
// flows: what an applicant and the reviewers do, through the library calls the handlers make

/**
 * Announces every required document of the application's current round and uploads it through
 * the presigned POST; `contentTypeSent` overrides the type the form declares (s3rver keeps it).
 */
export async function uploadDocuments(
  h: WorkflowHarness,
  applicationId: string,
  applicant: Principal,
  options: { contentTypeSent?: string } = {},
): Promise<void> {
  const { state } = await requireApplication(h.store, applicationId);
  for (const documentType of state.requiredDocuments) {
    const content = Buffer.from(`%PDF-1.7\n% ${documentType} of ${applicationId}\n`);
    const ticket = await requestEvidenceUpload(
      h.ports,
      applicationId,
      { documentType, fileName: `${documentType}.pdf`, contentType: 'application/pdf', size: content.length },
      applicant,
      h.clock.now(),
    );
    const form = new FormData();
    for (const [name, value] of Object.entries(ticket.upload.fields)) {
      form.append(name, name === 'Content-Type' ? (options.contentTypeSent ?? value) : value);
    }
    form.append('file', new Blob([content], { type: 'application/pdf' }), `${documentType}.pdf`);
    const response = await fetch(ticket.upload.url, { method: 'POST', body: form });
    if (!response.ok) throw new Error(`upload of ${documentType} failed: ${response.status}`);
  }
}

/** The review emails of the application's `round`. */
export const reviewMailsOf = (mails: OutboxEntry[], applicationId: string, round: number): OutboxEntry[] =>
  mails.filter((m) => m.text.includes(applicationId) && m.subject.includes(`round ${round})`));

/** The review link each party was sent for the round, once every party's email is out. */
export async function reviewLinks(
  h: WorkflowHarness,
  applicationId: string,
  round: number,
  parties: readonly Party[],
): Promise<Record<Party, string>> {
  return eventually(`round ${round} review emails of ${applicationId}`, async () => {
    const mails = reviewMailsOf(await h.outbox(), applicationId, round);
    const links: Partial<Record<Party, string>> = {};
    for (const party of parties) {
      const mail = mails.find((m) => m.to.includes(reviewerEmail(party)));
      const link = mail?.links.find((l) => l.startsWith(`${REVIEW_BASE_URL}/review/`));
      if (link === undefined) return undefined;
      links[party] = link;
    }
    return links as Record<Party, string>;
  });
}

/** What a reviewer does: open the page (GET), then post the form with its nonce. */
export async function decide(
  h: WorkflowHarness,
  url: string,
  decision: Decision,
  comment?: string,
): Promise<DecideResult> {
  const linkId = url.slice(`${REVIEW_BASE_URL}/review/`.length);
  const page = await reviewPage(h.ports, linkId, h.clock.now());
  // A link that shows no form has no nonce: a made-up one lets the decision say why it fails.
  const nonce = page?.kind === 'OPEN' ? page.page.nonce : 'x'.repeat(22);
  return decideReview(
    h.ports,
    linkId,
    { decision, nonce, ...(comment === undefined ? {} : { comment }) },
    h.clock.now(),
  );
}
