import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../functions/auth/principal.ts';
import { submitEvidence } from '../../functions/usecases/applications/evidence.ts';
import { loadApplication } from '../../functions/usecases/applications/records.ts';
import { submitApplication } from '../../functions/usecases/applications/submit.ts';
import { readTaskToken } from '../../functions/usecases/applications/task-tokens.ts';
import { requireEnterprise } from '../../functions/usecases/enterprises/records.ts';
import { eventually } from '../support/eventually.ts';
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
 * Issue 18 defects 2 and 4 at their cause: a second execution of one application (a restart that
 * raced another, as a sweep in the moment between a restart's listen and its restart loop did).
 * Before, the second execution's callback steps took the task-token slots ("newest wins"), the
 * decisions resumed it, and the application's recorded execution waited for ever: the sweep saw it
 * RUNNING and never restarted anything, and both executions ran the steps after the wait. Now a
 * callback step of an execution that is not the application's current one stops that execution,
 * and only the current one's tokens are kept.
 */

let h: WorkflowHarness;

beforeAll(async () => {
  h = await startWorkflowHarness();
  await registerReviewers(h.store, h.clock.now().toISOString());
});

afterAll(async () => {
  await h.stop();
});

async function underReview(enterpriseId: string): Promise<{ applicationId: string; applicant: Principal }> {
  await eligibleDishonestEnterprise(h.store, enterpriseId, h.clock.now().toISOString());
  const applicant = applicantFor(enterpriseId);
  const { state } = await submitApplication(
    h.ports,
    { enterpriseId, statement: 'All arrears were paid.' },
    applicant,
    h.clock.now(),
  );
  await eventually('waiting for evidence', async () =>
    (await readTaskToken(h.store, state.id, { task: 'AwaitEvidence' }, 1)) ? true : undefined,
  );
  await uploadDocuments(h, state.id, applicant);
  await submitEvidence(h.ports, state.id, applicant, h.clock.now());
  return { applicationId: state.id, applicant };
}

describe('a second execution of one application', () => {
  it('stops itself at its first wait; the current one is resumed and the outcome is told once', async () => {
    const { applicationId } = await underReview('DUPEXEC001');
    const links = await reviewLinks(h, applicationId, 1, ['CUSTOMS', 'TAX']);
    const tokens = async () => [
      await readTaskToken(h.store, applicationId, { task: 'OpenReview', party: 'CUSTOMS' }, 1),
      await readTaskToken(h.store, applicationId, { task: 'OpenReview', party: 'TAX' }, 1),
    ];
    const before = await tokens();

    // A second execution, not the one the application records, reaches the same waits.
    const stale = `${applicationId}-r-duplicate`;
    expect((await h.ports.workflow.start(applicationId, { name: stale })).started).toBe(true);
    await eventually(
      'the second execution reached its waits',
      async () => {
        const status = await h.ports.workflow.status(stale);
        const now = await tokens();
        return status !== 'RUNNING' || now.some((t, i) => t !== before[i]) ? true : undefined;
      },
      10_000,
    );

    expect(await decide(h, links.CUSTOMS, 'APPROVE')).toMatchObject({ kind: 'DECIDED' });
    expect(await decide(h, links.TAX, 'APPROVE')).toMatchObject({ kind: 'DECIDED' });

    // The application's own execution finishes the repair: nothing of it is left waiting.
    const current = (await loadApplication(h.store, applicationId))!.executionName ?? applicationId;
    expect(current).toBe(applicationId);
    await eventually(
      'the current execution finished',
      async () => ((await h.ports.workflow.status(current)) === 'SUCCEEDED' ? true : undefined),
      15_000,
    );
    expect(await h.ports.workflow.status(stale)).not.toBe('RUNNING');
    const record = await loadApplication(h.store, applicationId);
    expect(record?.state.status).toBe('APPROVED');
    expect(record?.closedOutAt).toBeDefined();
    const enterprise = await requireEnterprise(h.store, 'DUPEXEC001');
    expect(enterprise.profile.openApplicationId).toBeUndefined();

    // Each outcome email once, one listing change.
    const outcomes = (await h.outbox()).filter(
      (m) => /Credit repair outcome/.test(m.subject) && m.text.includes(applicationId),
    );
    expect(outcomes).toHaveLength(2);
    const changes = (await h.events()).filter(
      (e) =>
        e.detailType === 'ListingChanged' &&
        (e.detail as { applicationId?: string }).applicationId === applicationId,
    );
    expect(changes).toHaveLength(1);
  }, 40_000);
});
