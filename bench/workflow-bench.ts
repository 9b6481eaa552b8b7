import { POLICY } from '../domain/policy.ts';
import type { Party } from '../domain/vocabulary.ts';
import { requireApplication } from '../functions/usecases/applications/records.ts';
import { submitApplication } from '../functions/usecases/applications/submit.ts';
import { submitEvidence } from '../functions/usecases/applications/evidence.ts';
import { createEnterprise } from '../functions/usecases/enterprises/register.ts';
import { recordFact } from '../functions/usecases/enterprises/facts.ts';
import { eventually } from '../test/support/eventually.ts';
import {
  applicantFor,
  decide,
  eligibleDishonestEnterprise,
  registerReviewers,
  reviewLinks,
  startWorkflowHarness,
  uploadDocuments,
  type WorkflowHarness,
} from '../test/support/workflow-harness.ts';
import { dynamoClient } from '../functions/adapters/dynamodb/client.ts';
import { AwsCallRecorder } from '../test/support/aws-call-recorder.ts';
import type { BenchLine } from './line.ts';

/**
 * What one approved application costs the state machine: the state transitions a Standard workflow
 * is billed for, from submission through review, upgrade, listing change and notices, counted by
 * the embedded engine running the deployed ASL. Measured for both party sets of RULES.md §4,
 * because the review Map runs one branch per party. With it, the DynamoDB requests the same
 * application makes (its use cases and every workflow task; the HTTP layer's idempotency record
 * aside), the other cost docs/deploy.md prices.
 */

type FromTier = 'DISHONEST' | 'SERIOUSLY_DISHONEST';

/** An enterprise of `tier` that may apply on the harness clock's day. */
async function eligibleEnterprise(h: WorkflowHarness, id: string, tier: FromTier): Promise<void> {
  const now = h.clock.now().toISOString();
  if (tier === 'DISHONEST') {
    await eligibleDishonestEnterprise(h.store, id, now);
    return;
  }
  // A bribery thirteen months before (the caller moves the clock to 2027-05-04): SERIOUSLY_DISHONEST
  // under GAC-282-2026, in force since 2026-04-01, its 12 months of rectification served.
  await createEnterprise(h.store, { id, name: `Enterprise ${id}`, contactEmail: `contact@${id}.test` }, now);
  await recordFact(
    h.store,
    id,
    { type: 'BRIBERY', occurredOn: '2026-04-04' },
    { now, actor: 'officer:bench' },
  );
}

async function uploadAndSubmit(
  h: WorkflowHarness,
  applicationId: string,
  enterpriseId: string,
): Promise<void> {
  const applicant = applicantFor(enterpriseId);
  await uploadDocuments(h, applicationId, applicant);
  // The execution may not have reached its evidence wait yet.
  await eventually('the evidence wait', async () => {
    const { state: current } = await requireApplication(h.store, applicationId);
    return current.status === 'AWAITING_EVIDENCE' ? true : undefined;
  });
  await submitEvidence(h.ports, applicationId, applicant, h.clock.now());
}

/** Each party's reviewer opens the link in its email and approves. */
async function approveEveryParty(
  h: WorkflowHarness,
  applicationId: string,
  parties: readonly Party[],
): Promise<void> {
  const links = await reviewLinks(h, applicationId, 1, parties);
  for (const party of parties) {
    const result = await decide(h, links[party], 'APPROVE');
    if (result.kind !== 'DECIDED') throw new Error(`approving as ${party} failed: ${JSON.stringify(result)}`);
  }
}

const WRITES = new Set([
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
]);
const READS = new Set(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem']);

async function* happyPath(
  h: WorkflowHarness,
  recorder: AwsCallRecorder,
  enterpriseId: string,
  tier: FromTier,
): AsyncIterable<BenchLine> {
  await eligibleEnterprise(h, enterpriseId, tier);
  const firstCall = recorder.calls.length;
  const record = await submitApplication(
    h.ports,
    { enterpriseId, statement: 'Every obligation is met; we ask for repair.' },
    applicantFor(enterpriseId),
    h.clock.now(),
  );
  const applicationId = record.state.id;
  if (record.state.fromTier !== tier)
    throw new Error(`${enterpriseId} applied from ${record.state.fromTier}`);
  await uploadAndSubmit(h, applicationId, enterpriseId);
  await approveEveryParty(h, applicationId, record.state.parties);

  const executionArn = h.executionArn(applicationId);
  const execution = await h.engine.waitForExecution(executionArn);
  const { state } = await requireApplication(h.store, applicationId);
  if (execution.status !== 'SUCCEEDED' || state.status !== 'APPROVED') {
    throw new Error(`the happy path ended ${execution.status} / ${state.status}`);
  }
  const params = { parties: record.state.parties.length, fromTier: tier, policyId: POLICY.id };
  yield {
    name: 'workflow.happy_path.transitions',
    value: h.engine.transitionCount(executionArn),
    unit: 'transitions',
    params: {
      ...params,
      historyEvents: h.engine.getExecutionHistory({ executionArn, maxResults: 1000 }).events.length,
    },
  };
  const count = (kinds: Set<string>): number =>
    recorder.calls.slice(firstCall).filter((call) => call.actions.some((action) => kinds.has(action))).length;
  yield { name: 'workflow.happy_path.dynamodb.writes', value: count(WRITES), unit: 'requests', params };
  yield { name: 'workflow.happy_path.dynamodb.reads', value: count(READS), unit: 'requests', params };
}

export async function* workflowBench(): AsyncIterable<BenchLine> {
  const h = await startWorkflowHarness();
  try {
    await registerReviewers(h.store, h.clock.now().toISOString());
    // Every request the application's code sends to the table (DocumentClient calls included).
    const recorder = new AwsCallRecorder();
    recorder.install(dynamoClient());
    yield* happyPath(h, recorder, 'BENCHDIS01', 'DISHONEST');
    // No enterprise can be SERIOUSLY_DISHONEST with its rectification served before 2027-04-01.
    h.clock.set('2027-05-04T02:00:00.000Z');
    yield* happyPath(h, recorder, 'BENCHSDS01', 'SERIOUSLY_DISHONEST');
  } finally {
    await h.stop();
  }
}
