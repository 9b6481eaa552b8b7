import { beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationEvent } from '../../../../domain/lifecycle.ts';
import { POLICY } from '../../../../domain/policy.ts';
import { createLogger } from '../../../../functions/observability/logger.ts';
import {
  changeApplication,
  closeOutApplication,
  createApplication,
  loadApplication,
} from '../../../../functions/usecases/applications/records.ts';
import { loadApplicationPartition } from '../../../../functions/usecases/applications/view.ts';
import { seedReviewer } from '../../../../functions/usecases/directory/reviewers.ts';
import { createEnterprise } from '../../../../functions/usecases/enterprises/register.ts';
import type { SweepCounts } from '../../../../functions/usecases/sweep/counts.ts';
import { runSweep } from '../../../../functions/usecases/sweep/run.ts';
import { memoryPorts } from '../../../support/memory-ports.ts';

/**
 * Review reminders (day 11), escalations (day 14 on) and the review timeout (day 60), each the day
 * before, of and after, for an application whose review round opened on 2026-05-10. The application
 * is brought under review with its lifecycle events (no workflow is needed to chase reviewers), on
 * the in-memory ports.
 */

const ports = memoryPorts('2026-05-10T02:00:00.000Z');
const { store, mailer } = ports;
const log = createLogger({ logLevel: 'SILENT' });
const APP = 'REVIEWAPP0000000000000001';
const listOutbox = async () => mailer.sent;

async function sweepOn(date: string): Promise<SweepCounts> {
  ports.clock.set(`${date}T02:00:00.000Z`);
  // No workflow runs behind these ports: restarts are the harness test's business.
  return runSweep(ports, { log, restartExecutions: false });
}

beforeAll(async () => {
  for (const party of ['CUSTOMS', 'TAX'] as const) {
    await seedReviewer(
      store,
      party,
      {
        name: `${party} reviewer`,
        email: `${party.toLowerCase()}@agency.test`,
        escalationEmail: `boss-${party.toLowerCase()}@agency.test`,
      },
      '2026-05-01T00:00:00.000Z',
    );
  }
  // Reminders name the enterprise.
  await createEnterprise(
    store,
    { id: 'REVIEWENT1', name: 'Review Enterprise Co.', contactEmail: 'contact@review.test' },
    '2026-05-01T00:00:00.000Z',
  );
  const documents = ['REPAIR_APPLICATION', 'COMMITMENT_LETTER', 'TAX_PAID_PROOF'] as const;
  await createApplication(ports, {
    event: {
      type: 'SUBMITTED',
      at: '2026-05-09T02:00:00.000Z',
      applicationId: APP,
      enterpriseId: 'REVIEWENT1',
      fromTier: 'DISHONEST',
      parties: ['CUSTOMS', 'TAX'],
      requiredDocuments: [...documents],
      policyId: POLICY.id,
      coveredCauseIds: ['TAX_ARREARS-fact-1'],
    },
    statement: 'Paid in full.',
    submittedBy: 'applicant:test',
    actor: 'applicant:test',
  });
  const events: ApplicationEvent[] = [
    ...documents.map((documentType, i): ApplicationEvent => ({
      type: 'EVIDENCE_UPLOADED',
      at: '2026-05-10T01:00:00.000Z',
      documentType,
      evidenceId: `EV${i}`,
    })),
    { type: 'EVIDENCE_SUBMITTED', at: '2026-05-10T01:30:00.000Z' },
    { type: 'REVIEW_ROUND_OPENED', at: '2026-05-10T02:00:00.000Z', round: 1 },
  ];
  for (const event of events) await changeApplication(ports, APP, () => event, 'test');
});

describe('chasing reviewers', () => {
  it('reminds each pending reviewer on day 11, once', async () => {
    expect(await sweepOn('2026-05-20')).toMatchObject({ reviewReminders: 0 });
    expect(await sweepOn('2026-05-21')).toMatchObject({ reviewReminders: 2, failed: 0 });
    expect(await sweepOn('2026-05-22')).toMatchObject({ reviewReminders: 0 });
    const mail = await listOutbox();
    expect(mail.map((m) => m.to[0]).sort()).toEqual(['customs@agency.test', 'tax@agency.test']);
    expect(mail[0]?.subject).toContain('审核提醒');
    expect(mail[0]?.text).toContain('2026-05-24');
    expect(mail[0]?.text).toMatch(/https:\/\/review\.test\/review\/[A-Za-z0-9_-]{43}/);
  });

  it("emails each party's escalation contact once the review is overdue, once", async () => {
    // Due by the end of 2026-05-24 (day 14): the first overdue day, 2026-05-25, escalates.
    expect(await sweepOn('2026-05-24')).toMatchObject({ reviewEscalations: 0 });
    expect(await sweepOn('2026-05-25')).toMatchObject({ reviewEscalations: 2, failed: 0 });
    expect(await sweepOn('2026-05-26')).toMatchObject({ reviewEscalations: 0 });
    const escalations = (await listOutbox()).filter((m) => m.to[0]?.startsWith('boss-'));
    expect(escalations).toHaveLength(2);
    const timeline = (await loadApplicationPartition(store, APP))!.timeline.map((e) => e.type);
    expect(timeline.filter((t) => t === 'REVIEW_REMINDER_SENT')).toHaveLength(2);
    expect(timeline.filter((t) => t === 'REVIEW_ESCALATED')).toHaveLength(2);
  });

  it('expires the application when the review times out on day 60', async () => {
    expect(await sweepOn('2026-07-08')).toMatchObject({ reviewTimeouts: 0 });
    expect((await loadApplication(store, APP))!.state.status).toBe('UNDER_REVIEW');
    expect(await sweepOn('2026-07-09')).toMatchObject({ reviewTimeouts: 1, failed: 0 });
    expect((await loadApplication(store, APP))!.state).toMatchObject({
      status: 'EXPIRED',
      outcome: { reason: 'REVIEW_TIMEOUT' },
    });
    // Expired, it stays due until its workflow tells everyone and closes it out (no workflow runs
    // behind this table): the next sweep reads it again but does nothing twice.
    expect(await sweepOn('2026-07-10')).toMatchObject({ reviewTimeouts: 0, itemsRead: 1, failed: 0 });
    expect(await listOutbox()).toHaveLength(4);
    await closeOutApplication(store, APP, '2026-07-10T01:00:00.000Z');
    expect(await sweepOn('2026-07-11')).toMatchObject({ itemsRead: 0 });
  });
});
