import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify } from '../../domain/classification.ts';
import { localDateIn } from '../../domain/dates.ts';
import { expireApplication } from '../../functions/usecases/applications/expire.ts';
import { requireApplication } from '../../functions/usecases/applications/records.ts';
import { submitApplication } from '../../functions/usecases/applications/submit.ts';
import { submitEvidence } from '../../functions/usecases/applications/evidence.ts';
import { withdrawApplication } from '../../functions/usecases/applications/withdraw.ts';
import {
  applicationView,
  loadApplicationPartition,
  type ApplicationView,
} from '../../functions/usecases/applications/view.ts';
import type { Principal } from '../../functions/auth/principal.ts';
import { createEnterprise } from '../../functions/usecases/enterprises/register.ts';
import { requireEnterprise } from '../../functions/usecases/enterprises/records.ts';
import type { OutboxEntry } from '../../functions/adapters/outbox/mailer.ts';
import { restartName } from '../../functions/usecases/sweep/restarts.ts';
import { runSweep } from '../../functions/usecases/sweep/run.ts';
import { functionNameFor } from '../../workflows/task-names.ts';
import { eventually } from '../support/eventually.ts';
import {
  applicantFor,
  decide,
  eligibleDishonestEnterprise,
  registerReviewers,
  reviewLinks,
  reviewMailsOf,
  reviewerEmail,
  startWorkflowHarness,
  uploadDocuments,
  type WorkflowHarness,
} from '../support/workflow-harness.ts';

let h: WorkflowHarness;
let enterpriseCounter = 0;

beforeAll(async () => {
  h = await startWorkflowHarness();
  await registerReviewers(h.store, h.clock.now().toISOString());
});

afterAll(async () => {
  await h.stop();
});

// ---------------------------------------------------------------------------------------------
// helpers

async function newApplication(): Promise<{
  applicationId: string;
  enterpriseId: string;
  applicant: Principal;
}> {
  enterpriseCounter += 1;
  const enterpriseId = `WF${String(enterpriseCounter).padStart(8, '0')}`;
  await eligibleDishonestEnterprise(h.store, enterpriseId, h.clock.now().toISOString());
  const applicant = applicantFor(enterpriseId);
  const record = await submitApplication(
    h.ports,
    { enterpriseId, statement: 'All arrears were paid; we ask for repair.' },
    applicant,
    h.clock.now(),
  );
  return { applicationId: record.state.id, enterpriseId, applicant };
}

async function submitRound(applicationId: string, applicant: Principal): Promise<void> {
  await uploadDocuments(h, applicationId, applicant);
  // From round 2 a resubmission answers the change requests (RULES.md §6.10).
  await submitEvidence(h.ports, applicationId, applicant, h.clock.now(), {
    response: 'Changes made as asked.',
  });
}

async function finished(applicationId: string) {
  return h.engine.waitForExecution(h.executionArn(applicationId));
}

async function view(applicationId: string): Promise<ApplicationView> {
  const partition = await loadApplicationPartition(h.store, applicationId);
  if (!partition) throw new Error(`no application ${applicationId}`);
  return applicationView(partition, partition.record.state.coveredCauseIds ?? []);
}

async function statusIs(applicationId: string, status: string, round?: number): Promise<void> {
  await eventually(`${applicationId} to be ${status}`, async () => {
    const { state } = await requireApplication(h.store, applicationId);
    return state.status === status && (round === undefined || state.round === round) ? true : undefined;
  });
}

const count = <T>(items: readonly T[], predicate: (item: T) => boolean): number =>
  items.filter(predicate).length;

// ---------------------------------------------------------------------------------------------

describe('the repair workflow through the embedded Step Functions engine', () => {
  it('refuses a second open application, an ineligible enterprise and incomplete evidence', async () => {
    const { applicationId, enterpriseId, applicant } = await newApplication();
    await expect(
      submitApplication(h.ports, { enterpriseId, statement: 'again' }, applicant, h.clock.now()),
    ).rejects.toMatchObject({ code: 'APPLICATION_OPEN', existingId: applicationId });

    await createEnterprise(
      h.store,
      { id: 'WFREGULAR1', name: 'Regular', contactEmail: 'r@r.test' },
      h.clock.now().toISOString(),
    );
    await expect(
      submitApplication(
        h.ports,
        { enterpriseId: 'WFREGULAR1', statement: 'x' },
        applicantFor('WFREGULAR1'),
        h.clock.now(),
      ),
    ).rejects.toMatchObject({ code: 'NOT_ELIGIBLE', reasons: [{ code: 'NOT_DOWNGRADED' }] });

    await expect(submitEvidence(h.ports, applicationId, applicant, h.clock.now())).rejects.toMatchObject({
      code: 'MISSING_DOCUMENTS',
      missing: [
        { documentType: 'REPAIR_APPLICATION', problem: 'NOT_UPLOADED' },
        { documentType: 'COMMITMENT_LETTER', problem: 'NOT_UPLOADED' },
        { documentType: 'TAX_PAID_PROOF', problem: 'NOT_UPLOADED' },
      ],
    });
    await uploadDocuments(h, applicationId, applicant, { contentTypeSent: 'text/plain' });
    await expect(submitEvidence(h.ports, applicationId, applicant, h.clock.now())).rejects.toMatchObject({
      code: 'EVIDENCE_INVALID',
      invalid: expect.arrayContaining([
        expect.objectContaining({ documentType: 'TAX_PAID_PROOF', problem: 'CONTENT_TYPE_MISMATCH' }),
      ]),
    });
    expect((await requireApplication(h.store, applicationId)).state.status).toBe('AWAITING_EVIDENCE');
    await withdrawApplication(h.ports, applicationId, applicant, h.clock.now());
  });

  it('approves an application both parties approve, restores the enterprise and tells everyone once', async () => {
    const { applicationId, enterpriseId, applicant } = await newApplication();
    expect((await requireEnterprise(h.store, enterpriseId)).profile.openApplicationId).toBe(applicationId);
    await statusIs(applicationId, 'AWAITING_EVIDENCE');
    await submitRound(applicationId, applicant);

    const links = await reviewLinks(h, applicationId, 1, ['CUSTOMS', 'TAX']);
    const mail = reviewMailsOf(await h.outbox(), applicationId, 1)[0];
    expect(mail?.subject).toContain('信用修复审核');
    expect(mail?.subject).toContain('Credit repair review');
    expect(mail?.text).toContain('请代表海关审核');
    expect(mail?.text).toContain('Please review it on behalf of Customs');
    expect(await decide(h, links.CUSTOMS, 'APPROVE')).toMatchObject({
      kind: 'DECIDED',
      decision: { party: 'CUSTOMS' },
    });
    expect(await decide(h, links.TAX, 'APPROVE')).toMatchObject({
      kind: 'DECIDED',
      decision: { party: 'TAX' },
    });

    const execution = await finished(applicationId);
    expect(execution.status).toBe('SUCCEEDED');
    const app = await view(applicationId);
    expect(app.status).toBe('APPROVED');
    expect(app.outcome?.reason).toBe('ALL_APPROVED');
    expect(app.reviews.map((r) => [r.party, r.status])).toEqual([
      ['CUSTOMS', 'APPROVED'],
      ['TAX', 'APPROVED'],
    ]);
    expect(app.evidence.every((e) => e.status === 'UPLOADED')).toBe(true);
    expect(app.timeline.map((t) => t.type)).toEqual([
      'SUBMITTED',
      'EVIDENCE_UPLOADED',
      'EVIDENCE_UPLOADED',
      'EVIDENCE_UPLOADED',
      'EVIDENCE_SUBMITTED',
      'REVIEW_ROUND_OPENED',
      'REVIEW_DECIDED',
      'REVIEW_DECIDED',
      'ROUND_ENDED',
      'UPGRADED',
    ]);
    expect(JSON.stringify(app)).not.toMatch(/taskToken|linkHash|s3Key/);

    const enterprise = await requireEnterprise(h.store, enterpriseId);
    const today = localDateIn(h.clock.now());
    expect(classify(enterprise.input, today).tier).toBe('REGULAR');
    expect(enterprise.profile.openApplicationId).toBeUndefined();
    expect(enterprise.profile.certificationBarUntil).toBe(
      `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`,
    );

    const listing = (await h.events()).filter(
      (e) => (e.detail as { applicationId?: string }).applicationId === applicationId,
    );
    expect(listing).toHaveLength(1);
    expect(listing[0]).toMatchObject({
      detailType: 'ListingChanged',
      detail: { toTier: 'REGULAR', reason: 'REPAIRED' },
    });

    const outcomes = (await h.outbox()).filter(
      (m) => m.subject.includes('Credit repair outcome') && m.text.includes(applicationId),
    );
    expect(outcomes.map((m) => m.to.join(','))).toEqual([
      `contact@${enterpriseId.toLowerCase()}.test`,
      `${reviewerEmail('CUSTOMS')},${reviewerEmail('TAX')}`,
    ]);

    const transitions = h.engine.transitionCount(h.executionArn(applicationId));
    console.log(`happy path state transitions: ${transitions}`);
    expect(transitions).toBeGreaterThan(0);
  });

  it('rejects at once when one party rejects, superseding the other party and its link', async () => {
    const { applicationId, applicant } = await newApplication();
    await submitRound(applicationId, applicant);
    const links = await reviewLinks(h, applicationId, 1, ['CUSTOMS', 'TAX']);

    expect(await decide(h, links.TAX, 'REJECT')).toEqual({ kind: 'COMMENT_REQUIRED', decision: 'REJECT' });
    expect(await decide(h, links.TAX, 'REJECT', 'The payment proof is forged.')).toMatchObject({
      kind: 'DECIDED',
    });
    expect((await finished(applicationId)).status).toBe('SUCCEEDED');

    const app = await view(applicationId);
    expect(app.status).toBe('REJECTED');
    expect(app.outcome?.reason).toBe('PARTY_REJECTED');
    expect(app.reviews.find((r) => r.party === 'CUSTOMS')?.status).toBe('SUPERSEDED');
    expect(app.reviews.find((r) => r.party === 'TAX')).toMatchObject({
      status: 'REJECTED',
      comment: 'The payment proof is forged.',
    });
    expect(await decide(h, links.CUSTOMS, 'APPROVE')).toEqual({ kind: 'GONE', reason: 'CLOSED' });
    expect(await decide(h, links.TAX, 'APPROVE')).toMatchObject({
      kind: 'ALREADY_USED',
      decision: { decision: 'REJECT' },
    });
  });

  it('goes back for evidence on a change request and approves in the second round', async () => {
    const { applicationId, applicant } = await newApplication();
    await submitRound(applicationId, applicant);
    const first = await reviewLinks(h, applicationId, 1, ['CUSTOMS', 'TAX']);
    await decide(h, first.CUSTOMS, 'REQUEST_CHANGES', 'Attach the bank statement.');
    await decide(h, first.TAX, 'APPROVE');
    await statusIs(applicationId, 'AWAITING_EVIDENCE', 2);
    const changes = await eventually('the change-request email', async () =>
      (await h.outbox()).find(
        (m) => m.subject.includes('Changes requested') && m.text.includes(applicationId),
      ),
    );
    expect(changes.text).toContain('Attach the bank statement.');

    await submitRound(applicationId, applicant);
    const second = await reviewLinks(h, applicationId, 2, ['CUSTOMS', 'TAX']);
    expect(second.CUSTOMS).not.toBe(first.CUSTOMS);
    expect(await decide(h, first.TAX, 'APPROVE')).toMatchObject({ kind: 'ALREADY_USED' });
    await decide(h, second.CUSTOMS, 'APPROVE');
    await decide(h, second.TAX, 'APPROVE');

    expect((await finished(applicationId)).status).toBe('SUCCEEDED');
    const app = await view(applicationId);
    expect(app).toMatchObject({ status: 'APPROVED', round: 2 });
    expect(count(app.timeline, (t) => t.type === 'ROUND_ENDED')).toBe(2);
  });

  it('rejects a change request in the third round (ROUND_LIMIT_REACHED)', async () => {
    const { applicationId, applicant } = await newApplication();
    for (const round of [1, 2]) {
      await submitRound(applicationId, applicant);
      const links = await reviewLinks(h, applicationId, round, ['CUSTOMS', 'TAX']);
      await decide(h, links.CUSTOMS, 'APPROVE');
      await decide(h, links.TAX, 'REQUEST_CHANGES', `Round ${round}: more detail please.`);
      await statusIs(applicationId, 'AWAITING_EVIDENCE', round + 1);
    }
    await submitRound(applicationId, applicant);
    const third = await reviewLinks(h, applicationId, 3, ['CUSTOMS', 'TAX']);
    await decide(h, third.TAX, 'REQUEST_CHANGES', 'Still incomplete.');

    expect((await finished(applicationId)).status).toBe('SUCCEEDED');
    const app = await view(applicationId);
    expect(app).toMatchObject({ status: 'REJECTED', round: 3, outcome: { reason: 'ROUND_LIMIT_REACHED' } });
    expect(app.reviews.find((r) => r.party === 'CUSTOMS')?.status).toBe('SUPERSEDED');
  });

  it('expires an application whose evidence deadline passed (sweep → Deadline.Expired)', async () => {
    const { applicationId, enterpriseId } = await newApplication();
    await statusIs(applicationId, 'AWAITING_EVIDENCE');
    // Wait until the execution holds the AwaitEvidence token, so the expiry has a wait to end.
    await eventually('AwaitEvidence', async () =>
      h.registry.invocationCount(functionNameFor('awaitEvidence')) > 0 ? true : undefined,
    );
    const early = await expireApplication(h.ports, applicationId, 'EVIDENCE', h.clock.now());
    expect(early).toMatchObject({ expired: false, code: 'DEADLINE_NOT_PASSED' });

    const saved = h.clock.now().toISOString();
    // Evidence is accepted through day 30; the application expires on day 31.
    h.clock.advanceDays(31);
    try {
      expect(await expireApplication(h.ports, applicationId, 'EVIDENCE', h.clock.now())).toEqual({
        expired: true,
        status: 'EXPIRED',
      });
      const execution = await finished(applicationId);
      expect(execution.status).toBe('SUCCEEDED');
      const app = await view(applicationId);
      expect(app).toMatchObject({ status: 'EXPIRED', outcome: { reason: 'EVIDENCE_TIMEOUT' } });
      expect((await requireEnterprise(h.store, enterpriseId)).profile.openApplicationId).toBeUndefined();
      // The applicant is told; the parties, never asked to review it, are not.
      const outcomes = (await h.outbox()).filter(
        (m) => m.subject.includes('Credit repair outcome') && m.text.includes(applicationId),
      );
      expect(outcomes.map((m) => m.to)).toEqual([[expect.stringContaining(enterpriseId.toLowerCase())]]);
    } finally {
      h.clock.set(saved);
    }
  });

  it('withdraws an application under review: the execution stops and its links decide nothing', async () => {
    const { applicationId, enterpriseId, applicant } = await newApplication();
    await submitRound(applicationId, applicant);
    const links = await reviewLinks(h, applicationId, 1, ['CUSTOMS', 'TAX']);
    await withdrawApplication(h.ports, applicationId, applicant, h.clock.now());

    const execution = await finished(applicationId);
    expect(execution.status).toBe('ABORTED');
    expect(await decide(h, links.CUSTOMS, 'APPROVE')).toEqual({ kind: 'GONE', reason: 'WITHDRAWN' });
    const app = await view(applicationId);
    expect(app.status).toBe('WITHDRAWN');
    expect(app.reviews.every((r) => r.status === 'SUPERSEDED')).toBe(true);
    expect((await requireEnterprise(h.store, enterpriseId)).profile.openApplicationId).toBeUndefined();
  });

  it('retries a task that failed after doing its work without writing anything twice', async () => {
    h.registry.failNextInvocation(functionNameFor('tally'), 'Lambda.ServiceException', {
      afterHandler: true,
    });
    h.registry.failNextInvocation(functionNameFor('notify'), 'Lambda.ServiceException', {
      afterHandler: true,
    });
    h.registry.failNextInvocation(functionNameFor('upgradeTier'), 'Lambda.ServiceException');
    const tallies = h.registry.invocationCount(functionNameFor('tally'));
    const notifies = h.registry.invocationCount(functionNameFor('notify'));

    const { applicationId, applicant } = await newApplication();
    await submitRound(applicationId, applicant);
    const links = await reviewLinks(h, applicationId, 1, ['CUSTOMS', 'TAX']);
    await decide(h, links.CUSTOMS, 'APPROVE');
    await decide(h, links.TAX, 'APPROVE');
    expect((await finished(applicationId)).status).toBe('SUCCEEDED');

    // Each handler ran twice (the first result was lost), yet every record exists once.
    expect(h.registry.invocationCount(functionNameFor('tally')) - tallies).toBe(2);
    expect(h.registry.invocationCount(functionNameFor('notify')) - notifies).toBe(2);
    const app = await view(applicationId);
    expect(app.status).toBe('APPROVED');
    expect(count(app.timeline, (t) => t.type === 'ROUND_ENDED')).toBe(1);
    expect(count(app.timeline, (t) => t.type === 'UPGRADED')).toBe(1);
    const outcomes = (await h.outbox()).filter(
      (m) => m.subject.includes('Credit repair outcome') && m.text.includes(applicationId),
    );
    expect(outcomes).toHaveLength(2);
    const enterprise = await requireEnterprise(h.store, app.enterpriseId);
    expect(enterprise.input.closures.filter((c) => c.applicationId === applicationId)).toHaveLength(1);
  });

  it('survives losing the engine mid-review: the restarted execution fast-forwards and keeps the decisions', async () => {
    const { applicationId, applicant } = await newApplication();
    await submitRound(applicationId, applicant);
    const links = await reviewLinks(h, applicationId, 1, ['CUSTOMS', 'TAX']);
    expect(await decide(h, links.CUSTOMS, 'APPROVE')).toMatchObject({ kind: 'DECIDED' });

    await h.restartEngine();
    // The engine is gone with its tokens: a decision now is recorded and waits for the restart.
    const restarted = await h.ports.workflow.start(applicationId);
    expect(restarted.started).toBe(true);
    await eventually('the restarted reviews', async () =>
      h.registry.invocationCount(functionNameFor('openReview')) >= 2 ? true : undefined,
    );
    expect(await decide(h, links.TAX, 'APPROVE')).toMatchObject({ kind: 'DECIDED' });

    expect((await finished(applicationId)).status).toBe('SUCCEEDED');
    const app = await view(applicationId);
    expect(app.status).toBe('APPROVED');
    expect(app.reviews.find((r) => r.party === 'CUSTOMS')?.status).toBe('APPROVED');
    // No review email was sent again, and the evidence was not asked for again.
    expect(reviewMailsOf(await h.outbox(), applicationId, 1)).toHaveLength(2);
    expect(count(app.timeline, (t) => t.type === 'EVIDENCE_SUBMITTED')).toBe(1);
    expect(count(app.timeline, (t) => t.type === 'REVIEW_ROUND_OPENED')).toBe(1);
  });
  it('keeps a decided application due until everyone is told: the sweep restarts a failed Notify', async () => {
    // A failure Step Functions does not retry (an outage of the mail service, say) ends the run in
    // RecordFailure; the application stays APPROVED and, not closed out, stays in the due index.
    h.registry.failNextInvocation(functionNameFor('notify'), 'MailServiceUnavailable');
    const { applicationId, applicant } = await newApplication();
    await submitRound(applicationId, applicant);
    const links = await reviewLinks(h, applicationId, 1, ['CUSTOMS', 'TAX']);
    await decide(h, links.CUSTOMS, 'APPROVE');
    await decide(h, links.TAX, 'APPROVE');
    expect((await finished(applicationId)).status).toBe('FAILED');
    const failed = await requireApplication(h.store, applicationId);
    expect(failed.state.status).toBe('APPROVED');
    expect(failed.closedOutAt).toBeUndefined();
    const outcomesOf = async (): Promise<OutboxEntry[]> =>
      (await h.outbox()).filter(
        (m) => m.subject.includes('Credit repair outcome') && m.text.includes(applicationId),
      );
    expect(await outcomesOf()).toHaveLength(0);

    const today = localDateIn(h.clock.now());
    const counts = await runSweep(h.ports, { today, now: h.clock.now().toISOString() });
    expect(counts.executionsRestarted).toBeGreaterThanOrEqual(1);
    expect((await h.engine.waitForExecution(h.executionArn(restartName(applicationId, today)))).status).toBe(
      'SUCCEEDED',
    );
    expect(await outcomesOf()).toHaveLength(2);
    const closed = await requireApplication(h.store, applicationId);
    expect(closed.state.status).toBe('APPROVED');
    expect(closed.closedOutAt).toBeDefined();
    // Closed out, it has left the due index: later sweeps neither read nor restart it.
    const again = await runSweep(h.ports, { today, now: h.clock.now().toISOString() });
    expect(again.executionsRestarted).toBe(0);
    expect(await outcomesOf()).toHaveLength(2);
  });
});
