import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify } from '../../domain/classification.ts';
import { localDateIn } from '../../domain/dates.ts';
import { changeApplication, requireApplication } from '../../functions/usecases/applications/records.ts';
import { submitApplication } from '../../functions/usecases/applications/submit.ts';
import { submitEvidence } from '../../functions/usecases/applications/evidence.ts';
import { requireEnterprise } from '../../functions/usecases/enterprises/records.ts';
import type { OutboxEntry } from '../../functions/adapters/outbox/mailer.ts';
import { restartName } from '../../functions/usecases/sweep/restarts.ts';
import { runSweep } from '../../functions/usecases/sweep/run.ts';
import { functionNameFor } from '../../workflows/task-names.ts';
import {
  applicantFor,
  decide,
  eligibleDishonestEnterprise,
  registerReviewers,
  reviewLinks,
  startWorkflowHarness,
  uploadDocuments,
  type WorkflowHarness,
} from '../support/workflow-harness.ts';

/**
 * A task that fails for good after every party has decided must not turn the decision into
 * EXPIRED (WORKFLOW_FAILED): RULES.md §4 says all approvals make APPROVED and a rejection makes
 * REJECTED. The failed run leaves the decision in place and the sweep's restart finishes the steps
 * still owed (docs/architecture.md, "Nothing owed is forgotten").
 */

let h: WorkflowHarness;
let counter = 0;

beforeAll(async () => {
  h = await startWorkflowHarness();
  await registerReviewers(h.store, h.clock.now().toISOString());
});

afterAll(async () => {
  await h.stop();
});

async function underReview(): Promise<{ applicationId: string; enterpriseId: string }> {
  counter += 1;
  const enterpriseId = `WD${String(counter).padStart(8, '0')}`;
  await eligibleDishonestEnterprise(h.store, enterpriseId, h.clock.now().toISOString());
  const applicant = applicantFor(enterpriseId);
  const { state } = await submitApplication(
    h.ports,
    { enterpriseId, statement: 'Paid in full.' },
    applicant,
    h.clock.now(),
  );
  await uploadDocuments(h, state.id, applicant);
  await submitEvidence(h.ports, state.id, applicant, h.clock.now());
  return { applicationId: state.id, enterpriseId };
}

const outcomeMails = async (applicationId: string): Promise<OutboxEntry[]> =>
  (await h.outbox()).filter(
    (m) => m.subject.includes('Credit repair outcome') && m.text.includes(applicationId),
  );

async function sweepRestarts(applicationId: string): Promise<void> {
  const today = localDateIn(h.clock.now());
  const counts = await runSweep(h.ports, { today, now: h.clock.now().toISOString() });
  expect(counts.executionsRestarted).toBeGreaterThanOrEqual(1);
  const restarted = await h.engine.waitForExecution(h.executionArn(restartName(applicationId, today)));
  expect(restarted.status).toBe('SUCCEEDED');
}

describe('a task failing for good after the parties decided', () => {
  it('keeps an approval: a failed UpgradeTier is finished by the restart, not expired', async () => {
    const { applicationId, enterpriseId } = await underReview();
    // A failure Step Functions does not retry: the run goes to RecordFailure.
    h.registry.failNextInvocation(functionNameFor('upgradeTier'), 'Runtime.ImportModuleError');
    const links = await reviewLinks(h, applicationId, 1, ['CUSTOMS', 'TAX']);
    await decide(h, links.CUSTOMS, 'APPROVE');
    await decide(h, links.TAX, 'APPROVE');
    expect((await h.engine.waitForExecution(h.executionArn(applicationId))).status).toBe('FAILED');

    const failed = await requireApplication(h.store, applicationId);
    expect(failed.state.status).not.toBe('EXPIRED');
    expect(failed.state.approvedAt).toBeDefined();
    expect(failed.closedOutAt).toBeUndefined();
    // The claim stays: the approved application is still being carried out.
    expect((await requireEnterprise(h.store, enterpriseId)).profile.openApplicationId).toBe(applicationId);

    await sweepRestarts(applicationId);
    const done = await requireApplication(h.store, applicationId);
    expect(done.state).toMatchObject({ status: 'APPROVED', outcome: { reason: 'ALL_APPROVED' } });
    expect(done.closedOutAt).toBeDefined();
    const enterprise = await requireEnterprise(h.store, enterpriseId);
    expect(classify(enterprise.input, localDateIn(h.clock.now())).tier).toBe('REGULAR');
    expect(enterprise.profile.openApplicationId).toBeUndefined();
    const listing = (await h.events()).filter(
      (e) => (e.detail as { applicationId?: string }).applicationId === applicationId,
    );
    expect(listing).toHaveLength(1);
    expect(await outcomeMails(applicationId)).toHaveLength(2);
  });

  it('keeps a rejection: a failed Tally after a REJECT records REJECTED, and the restart tells everyone', async () => {
    const { applicationId, enterpriseId } = await underReview();
    h.registry.failNextInvocation(functionNameFor('tally'), 'Runtime.ImportModuleError');
    const links = await reviewLinks(h, applicationId, 1, ['CUSTOMS', 'TAX']);
    await decide(h, links.TAX, 'REJECT', 'The payment proof is forged.');
    expect((await h.engine.waitForExecution(h.executionArn(applicationId))).status).toBe('FAILED');

    const failed = await requireApplication(h.store, applicationId);
    expect(failed.state).toMatchObject({ status: 'REJECTED', outcome: { reason: 'PARTY_REJECTED' } });
    expect(failed.closedOutAt).toBeUndefined();
    expect((await requireEnterprise(h.store, enterpriseId)).profile.openApplicationId).toBeUndefined();

    await sweepRestarts(applicationId);
    const done = await requireApplication(h.store, applicationId);
    expect(done.state).toMatchObject({ status: 'REJECTED', outcome: { reason: 'PARTY_REJECTED' } });
    expect(done.closedOutAt).toBeDefined();
    expect(await outcomeMails(applicationId)).toHaveLength(2);
  });
});

describe('a withdrawal cut short by a crash', () => {
  it('is closed out by the restarted run, which tells nobody, so later sweeps leave it alone', async () => {
    const { applicationId, enterpriseId } = await underReview();
    await reviewLinks(h, applicationId, 1, ['CUSTOMS', 'TAX']);
    // The process dies right after withdraw's state write: no release, no stop, no close-out.
    await changeApplication(
      h.ports,
      applicationId,
      () => ({ type: 'WITHDRAWN', at: h.clock.now().toISOString() }),
      `applicant:applicant-${enterpriseId}`,
    );
    await h.restartEngine();

    await runSweep(h.ports, { today: localDateIn(h.clock.now()), now: h.clock.now().toISOString() });
    // The new engine knows no execution by the first name, so the sweep starts one under it again.
    const { executionName } = await requireApplication(h.store, applicationId);
    await h.engine.waitForExecution(h.executionArn(executionName ?? applicationId));

    const after = await requireApplication(h.store, applicationId);
    expect(after.state.status).toBe('WITHDRAWN');
    expect(after.closedOutAt).toBeDefined();
    expect((await requireEnterprise(h.store, enterpriseId)).profile.openApplicationId).toBeUndefined();
    expect(await outcomeMails(applicationId)).toHaveLength(0);

    // Closed out, it is no longer restarted on the following days.
    h.clock.advanceDays(1);
    const next = await runSweep(h.ports, {
      today: localDateIn(h.clock.now()),
      now: h.clock.now().toISOString(),
    });
    expect(next.executionsRestarted).toBe(0);
  });
});
