import { describe, expect, it } from 'vitest';
import { classify } from '../../../../domain/classification.ts';
import type { ApplicationEvent } from '../../../../domain/lifecycle.ts';
import { POLICY } from '../../../../domain/policy.ts';
import { settleOpenApplication } from '../../../../functions/usecases/applications/causes-changed.ts';
import {
  changeApplication,
  createApplication,
  requireApplication,
} from '../../../../functions/usecases/applications/records.ts';
import { recordFact, recordPayment } from '../../../../functions/usecases/enterprises/facts.ts';
import { claimOpenApplication } from '../../../../functions/usecases/enterprises/open-claim.ts';
import { requireEnterprise } from '../../../../functions/usecases/enterprises/records.ts';
import { createEnterprise } from '../../../../functions/usecases/enterprises/register.ts';
import { upgradeTierStep } from '../../../../functions/usecases/steps/upgrade-tier.ts';
import { memoryPorts } from '../../../support/memory-ports.ts';

/**
 * RULES.md §6.1 at the upgrade (functions/usecases/steps/upgrade-tier.ts): before the tier changes
 * the step checks again that the enterprise's active causes are exactly the covered ones, all
 * rectified, and records the repair and the release of the claim in one conditional write. The
 * applications here were approved by their reviews; the step is called as the workflow would, on
 * the in-memory ports.
 */

const NOW = '2026-12-10T02:00:00.000Z';
const TODAY = '2026-12-10';
const officer = { now: '2026-12-01T02:00:00.000Z', actor: 'officer:test' };
const ports = memoryPorts(NOW);
const { store } = ports;

let counter = 0;

/** DISHONEST for tax arrears determined 2026-04-02 and paid 2026-05-01; an application approved on 2026-12-09. */
async function approvedApplication(
  options: { covered?: (causeId: string) => string[]; legacy?: boolean } = {},
) {
  counter += 1;
  const enterpriseId = `UPGR${String(counter).padStart(6, '0')}`;
  const applicationId = `app-upgrade-${counter}`;
  await createEnterprise(
    store,
    { id: enterpriseId, name: 'Upgrade Co', contactEmail: 'u@example.test' },
    officer.now,
  );
  const { fact } = await recordFact(
    store,
    enterpriseId,
    { type: 'TAX_ASSESSMENT', amountFen: 1_000_00, dueOn: '2026-01-01' },
    officer,
  );
  await recordPayment(store, enterpriseId, fact.id, { paidOn: '2026-05-01' }, officer);
  const causeId = `TAX_ARREARS-${fact.id}`;
  const at = (day: string) => `${day}T02:00:00.000Z`;
  const submitted: Extract<ApplicationEvent, { type: 'SUBMITTED' }> = {
    type: 'SUBMITTED',
    at: at('2026-12-02'),
    applicationId,
    enterpriseId,
    fromTier: 'DISHONEST',
    parties: [...POLICY.review.parties.DISHONEST],
    requiredDocuments: ['REPAIR_APPLICATION'],
    policyId: POLICY.id,
    coveredCauseIds: options.covered?.(causeId) ?? [causeId],
  };
  await claimOpenApplication(store, enterpriseId, applicationId, new Date().toISOString());
  await createApplication(ports, {
    event: submitted,
    statement: 'paid',
    submittedBy: 'a',
    actor: 'applicant:a',
  });
  const events: ApplicationEvent[] = [
    { type: 'EVIDENCE_UPLOADED', at: at('2026-12-03'), documentType: 'REPAIR_APPLICATION', evidenceId: 'e1' },
    { type: 'EVIDENCE_SUBMITTED', at: at('2026-12-03') },
    { type: 'REVIEW_ROUND_OPENED', at: at('2026-12-03'), round: 1 },
    { type: 'REVIEW_DECIDED', at: at('2026-12-09'), round: 1, party: 'CUSTOMS', decision: 'APPROVE' },
    { type: 'REVIEW_DECIDED', at: at('2026-12-09'), round: 1, party: 'TAX', decision: 'APPROVE' },
    { type: 'ROUND_ENDED', at: at('2026-12-09'), round: 1, result: 'APPROVED' },
  ];
  for (const event of events) await changeApplication(ports, applicationId, () => event, 'test');
  if (options.legacy === true) {
    // As revision 1 stored it: no coveredCauseIds on the state.
    const record = await requireApplication(store, applicationId);
    const { coveredCauseIds: _dropped, ...legacyState } = record.state;
    await store.updateVersioned({ pk: `APP#${applicationId}`, sk: 'APP' }, record.version, {
      state: legacyState,
    });
  }
  return { enterpriseId, applicationId, causeId };
}

describe('UpgradeTier checks the causes again before the tier changes', () => {
  it('repairs exactly the covered causes, releasing the claim in the same write, then approves', async () => {
    const { enterpriseId, applicationId, causeId } = await approvedApplication();
    expect(await upgradeTierStep(ports, applicationId)).toEqual({ tier: 'REGULAR' });
    const enterprise = await requireEnterprise(store, enterpriseId);
    expect(enterprise.profile.openApplicationId).toBeUndefined();
    expect(enterprise.input.closures).toEqual([
      { causeId, kind: 'REPAIRED', on: '2026-12-09', recordedAt: NOW, applicationId },
    ]);
    expect(classify(enterprise.input, TODAY).tier).toBe('REGULAR');
    expect((await requireApplication(store, applicationId)).state.status).toBe('APPROVED');
    // Run again (a retried task): nothing more happens.
    expect(await upgradeTierStep(ports, applicationId)).toEqual({ tier: 'REGULAR' });
    expect((await requireEnterprise(store, enterpriseId)).input.closures).toHaveLength(1);
  });

  it('rejects the application when a cause it does not cover arose, and repairs nothing', async () => {
    const { enterpriseId, applicationId } = await approvedApplication();
    // Recorded straight to the store: the fact route would have ended the application itself.
    await recordFact(
      store,
      enterpriseId,
      { type: 'BRIBERY', occurredOn: '2026-12-09' },
      { now: NOW, actor: 'officer:test' },
    );
    expect(await upgradeTierStep(ports, applicationId)).toEqual({ tier: 'DISHONEST' });
    expect((await requireApplication(store, applicationId)).state.outcome).toMatchObject({
      status: 'REJECTED',
      reason: 'NEW_CAUSE_DETERMINED',
    });
    const enterprise = await requireEnterprise(store, enterpriseId);
    expect(enterprise.input.closures).toEqual([]);
    expect(enterprise.profile.openApplicationId).toBeUndefined();
    expect(classify(enterprise.input, TODAY).tier).toBe('SERIOUSLY_DISHONEST');
  });

  it('approves when a covered cause has closed meanwhile, and rejects when a new debt is unpaid', async () => {
    // A covered id with no active cause behind it (closed, or voided away) counts as met.
    const { applicationId } = await approvedApplication({ covered: (id) => [id, 'EXCESSIVE_FINES-none'] });
    expect(await upgradeTierStep(ports, applicationId)).toEqual({ tier: 'REGULAR' });
    const other = await approvedApplication();
    await recordFact(
      store,
      other.enterpriseId,
      { type: 'TAX_ASSESSMENT', amountFen: 1_00, dueOn: '2026-08-01' },
      { now: NOW, actor: 'officer:test' },
    );
    expect(await upgradeTierStep(ports, other.applicationId)).toEqual({ tier: 'DISHONEST' });
    expect((await requireApplication(store, other.applicationId)).state.outcome?.reason).toBe(
      'NEW_CAUSE_DETERMINED',
    );
  });

  it('covers, for an application stored before revision 2, the causes active when it was submitted', async () => {
    const { enterpriseId, applicationId, causeId } = await approvedApplication({ legacy: true });
    expect((await requireApplication(store, applicationId)).state.coveredCauseIds).toBeUndefined();
    expect(await upgradeTierStep(ports, applicationId)).toEqual({ tier: 'REGULAR' });
    expect((await requireEnterprise(store, enterpriseId)).input.closures.map((c) => c.causeId)).toEqual([
      causeId,
    ]);
  });

  it('a fact route that comes after the repair finds the claim released and ends nothing', async () => {
    const { enterpriseId, applicationId } = await approvedApplication();
    await upgradeTierStep(ports, applicationId);
    const { enterprise } = await recordFact(
      store,
      enterpriseId,
      { type: 'BRIBERY', occurredOn: TODAY },
      { now: NOW, actor: 'officer:test' },
    );
    const settled = await settleOpenApplication(ports, enterprise, new Date(NOW), 'officer:test');
    expect(settled.ended).toBeUndefined();
    expect((await requireApplication(store, applicationId)).state.status).toBe('APPROVED');
    expect(classify(settled.enterprise.input, TODAY).tier).toBe('SERIOUSLY_DISHONEST');
  });
});
