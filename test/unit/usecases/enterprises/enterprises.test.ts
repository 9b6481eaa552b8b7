import { describe, expect, it } from 'vitest';
import { classify } from '../../../../domain/classification.ts';
import { FactHistoryError } from '../../../../domain/facts.ts';
import {
  getReviewer,
  listReviewers,
  seedReviewer,
} from '../../../../functions/usecases/directory/reviewers.ts';
import {
  ApplicationOpenError,
  EnterpriseExistsError,
  EnterpriseNotFoundError,
} from '../../../../functions/usecases/enterprises/errors.ts';
import {
  claimOpenApplication,
  releaseOpenApplication,
} from '../../../../functions/usecases/enterprises/open-claim.ts';
import { loadEnterprise, refreshEnterprise } from '../../../../functions/usecases/enterprises/records.ts';
import { recordRepair } from '../../../../functions/usecases/enterprises/repair.ts';
import { createEnterprise } from '../../../../functions/usecases/enterprises/register.ts';
import { enterpriseView, publicCreditView } from '../../../../functions/usecases/enterprises/view.ts';
import { recordFact, recordPayment, voidFact } from '../../../../functions/usecases/enterprises/facts.ts';
import { keys, prefixes } from '../../../../functions/ports/store/keys.ts';
import type { StoredItem } from '../../../../functions/ports/store/store.ts';
import { memoryPorts } from '../../../support/memory-ports.ts';

/** The enterprise use cases and the reviewer directory, on the in-memory store. */

const { store } = memoryPorts('2026-06-15T02:00:00.000Z');

// 10:00 in Asia/Shanghai: "today" is 2026-06-15.
const NOW = '2026-06-15T02:00:00.000Z';
const TODAY = '2026-06-15';
const officer = { now: NOW, actor: 'officer:alice' };

let counter = 0;
/** A fresh 10-character customs code per test, so tests share one table without colliding. */
const nextId = (): string => `E${String(++counter).padStart(9, '0')}`;

async function registered(): Promise<string> {
  const id = nextId();
  await createEnterprise(store, { id, name: `Enterprise ${id}`, contactEmail: 'ops@example.com' }, NOW);
  return id;
}

const profileOf = (id: string) => store.get(keys.enterprise(id));

async function eventsOf(id: string) {
  return store.queryAll({ partition: keys.enterprise(id).pk, sortKey: { beginsWith: prefixes.events() } });
}

describe('createEnterprise', () => {
  it('registers a REGULAR enterprise at version 1 with nothing due, and refuses a duplicate id', async () => {
    const id = nextId();
    const created = await createEnterprise(store, { id, name: 'Acme', contactEmail: 'a@example.com' }, NOW);
    expect(created.profile).toMatchObject({ id, registeredTier: 'REGULAR', version: 1, closures: [] });
    expect(await profileOf(id)).not.toHaveProperty('dueOn');

    await expect(
      createEnterprise(store, { id, name: 'Other', contactEmail: 'b@example.com' }, NOW),
    ).rejects.toBeInstanceOf(EnterpriseExistsError);
    expect(await profileOf(id)).toMatchObject({ name: 'Acme', version: 1 });
  });

  it('dates a certified tier today by default and schedules its review notice on the due index', async () => {
    const id = nextId();
    await createEnterprise(
      store,
      { id, name: 'Cert', contactEmail: 'c@example.com', tier: 'CERTIFIED' },
      NOW,
    );
    const profile = await profileOf(id);
    // CE is re-reviewed every 3 years; the notice goes 30 days before.
    expect(profile).toMatchObject({ certifiedOn: TODAY, dueOn: '2029-05-16' });
    expect(profile?.duePk).toMatch(/^DUE#\d$/);
  });

  it('refuses a downgraded tier and a certification date after today', async () => {
    await expect(
      createEnterprise(
        store,
        { id: nextId(), name: 'X', contactEmail: 'x@example.com', tier: 'DISHONEST' },
        NOW,
      ),
    ).rejects.toMatchObject({ code: 'TIER_NOT_REGISTRABLE' });
    await expect(
      createEnterprise(
        store,
        {
          id: nextId(),
          name: 'X',
          contactEmail: 'x@example.com',
          tier: 'ADVANCED_CERTIFIED',
          certifiedOn: '2026-06-16',
        },
        NOW,
      ),
    ).rejects.toMatchObject({ code: 'DATE_IN_FUTURE' });
  });
});

describe('loadEnterprise', () => {
  it('reads the profile and every fact record in one query, and null for an unknown id', async () => {
    const id = await registered();
    await recordFact(store, id, { type: 'BRIBERY', occurredOn: '2026-01-05' }, officer);
    await recordFact(store, id, { type: 'MAJOR_INFRACTION', occurredOn: '2026-02-05' }, officer);

    const before = store.meter.readRequests;
    const loaded = await loadEnterprise(store, id);
    expect(store.meter.readRequests - before).toBe(1);
    expect(loaded?.records).toHaveLength(2);
    expect(loaded?.facts.map((f) => f.type)).toEqual(['BRIBERY', 'MAJOR_INFRACTION']);
    expect(loaded?.input.registeredTier).toBe('REGULAR');

    expect(await loadEnterprise(store, 'ZZZZZZZZZZ')).toBeNull();
  });
});

describe('claimOpenApplication', () => {
  it('lets exactly one of 20 concurrent claims win; the others learn the winner', async () => {
    const id = await registered();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        claimOpenApplication(store, id, `app-${i}`, new Date().toISOString()),
      ),
    );
    const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [`app-${i}`] : []));
    expect(winners).toHaveLength(1);
    const losers = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(losers).toHaveLength(19);
    for (const loser of losers) {
      expect(loser.reason).toBeInstanceOf(ApplicationOpenError);
      expect((loser.reason as ApplicationOpenError).existingId).toBe(winners[0]);
    }
    expect(await profileOf(id)).toMatchObject({ openApplicationId: winners[0] });
  });

  it('is idempotent for the holder, released only by the holder, then free for the next', async () => {
    const id = await registered();
    await claimOpenApplication(store, id, 'first', new Date().toISOString());
    await claimOpenApplication(store, id, 'first', new Date().toISOString());

    expect(await releaseOpenApplication(store, id, 'someone-else')).toEqual({ released: false });
    await expect(claimOpenApplication(store, id, 'second', new Date().toISOString())).rejects.toMatchObject({
      code: 'APPLICATION_OPEN',
      existingId: 'first',
    });

    expect(await releaseOpenApplication(store, id, 'first')).toEqual({ released: true });
    expect(await releaseOpenApplication(store, id, 'first')).toEqual({ released: false });
    await claimOpenApplication(store, id, 'second', new Date().toISOString());
    expect(await profileOf(id)).toMatchObject({ openApplicationId: 'second' });
  });

  it('reports an unknown enterprise instead of creating half a profile', async () => {
    await expect(
      claimOpenApplication(store, 'NOSUCHENT1', 'app', new Date().toISOString()),
    ).rejects.toBeInstanceOf(EnterpriseNotFoundError);
    expect(await profileOf('NOSUCHENT1')).toBeUndefined();
  });
});

describe('facts, payments and corrections', () => {
  it('determines historical arrears at once, then moves and clears the due date as facts change', async () => {
    const id = await registered();
    // Due on 1 Jan 2026, unpaid at the end of 1 Apr: tax arrears determined on 2 Apr 2026.
    const recorded = await recordFact(
      store,
      id,
      { type: 'TAX_ASSESSMENT', amountFen: 5_000_00, dueOn: '2026-01-01' },
      officer,
    );
    const view = enterpriseView(recorded.enterprise, TODAY);
    expect(view.tier).toBe('DISHONEST');
    expect(view.causes).toEqual([
      expect.objectContaining({
        code: 'TAX_ARREARS',
        determinedOn: '2026-04-02',
        rectified: false,
        policyId: 'GAC-282-2026',
        listingUntil: '2027-04-02',
        factIds: [recorded.fact.id],
      }),
    ]);
    expect(view.rectification).toMatchObject({
      clockStart: null,
      earliestApplicationOn: null,
      outstanding: [{ factId: recorded.fact.id, type: 'TAX_ASSESSMENT', amount: 5000, dueOn: '2026-01-01' }],
    });
    expect(view.listing).toEqual({ label: 'Dishonest Listing', since: '2026-04-02', until: '2027-04-02' });
    // A fact change makes the enterprise due today (the sweep tells it of the arrears); once
    // settled, nothing is due before the listing ends while the tax is unpaid.
    expect(await profileOf(id)).toMatchObject({ dueOn: TODAY });
    await refreshEnterprise(store, id, TODAY);
    expect(await profileOf(id)).toMatchObject({ dueOn: '2027-04-02' });
    expect(await eventsOf(id)).toEqual([
      expect.objectContaining({ type: 'TIER_CHANGED', actor: 'officer:alice', at: NOW }),
    ]);

    const paid = await recordPayment(store, id, recorded.fact.id, { paidOn: '2026-06-10' }, officer);
    expect(paid.fact.paidOn).toBe('2026-06-10');
    expect(enterpriseView(paid.enterprise, TODAY).rectification).toMatchObject({
      clockStart: '2026-06-10',
      earliestApplicationOn: '2026-09-10',
      outstanding: [],
    });
    expect(await profileOf(id)).toMatchObject({ dueOn: TODAY });
    await refreshEnterprise(store, id, TODAY);
    expect(await profileOf(id)).toMatchObject({ dueOn: '2026-09-10' });

    const voided = await voidFact(store, id, recorded.fact.id, { reason: 'assessed in error' }, officer);
    expect(voided.fact.voided).toMatchObject({ reason: 'assessed in error' });
    expect(classify(voided.enterprise.input, TODAY).tier).toBe('REGULAR');
    await refreshEnterprise(store, id, TODAY);
    const profile = await profileOf(id);
    expect(profile).not.toHaveProperty('dueOn');
    expect(profile).not.toHaveProperty('duePk');
    expect((await eventsOf(id)).map((e) => e.detail)).toEqual([
      expect.objectContaining({ from: 'REGULAR', to: 'DISHONEST' }),
      expect.objectContaining({ from: 'DISHONEST', to: 'REGULAR' }),
    ]);
  });

  it('records one payment when two race, and refuses what the rules refuse with their codes', async () => {
    const id = await registered();
    const { fact } = await recordFact(
      store,
      id,
      { type: 'FINE', amountFen: 20_000_00, imposedOn: '2026-05-01', dueOn: '2026-06-01' },
      officer,
    );
    const race = await Promise.allSettled([
      recordPayment(store, id, fact.id, { paidOn: '2026-06-10' }, officer),
      recordPayment(store, id, fact.id, { paidOn: '2026-06-11' }, officer),
    ]);
    expect(race.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = race.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused?.reason).toBeInstanceOf(FactHistoryError);
    expect(refused?.reason).toMatchObject({ code: 'ALREADY_PAID' });

    const bribery = await recordFact(store, id, { type: 'BRIBERY', occurredOn: '2026-06-01' }, officer);
    await expect(recordPayment(store, id, bribery.fact.id, { paidOn: TODAY }, officer)).rejects.toMatchObject(
      { code: 'NOT_PAYABLE' },
    );
    await expect(recordPayment(store, id, 'no-such-fact', { paidOn: TODAY }, officer)).rejects.toMatchObject({
      code: 'UNKNOWN_FACT',
    });
    await expect(
      recordFact(store, id, { type: 'OBSTRUCTION', occurredOn: '2026-06-16' }, officer),
    ).rejects.toMatchObject({ code: 'DATE_IN_FUTURE' });
    await voidFact(store, id, bribery.fact.id, { reason: 'wrong enterprise' }, officer);
    await expect(voidFact(store, id, bribery.fact.id, { reason: 'again' }, officer)).rejects.toMatchObject({
      code: 'ALREADY_VOIDED',
    });
    await expect(
      recordFact(store, 'NOSUCHENT2', { type: 'BRIBERY', occurredOn: '2026-01-01' }, officer),
    ).rejects.toBeInstanceOf(EnterpriseNotFoundError);
  });
});

describe('recordRepair', () => {
  it('closes the covered causes by id once however often it is recorded, and sets the certification bar', async () => {
    const id = await registered();
    const { fact } = await recordFact(store, id, { type: 'BRIBERY', occurredOn: '2025-01-10' }, officer);
    const causeId = `BRIBERY-${fact.id}`;
    const repair = {
      applicationId: 'app-1',
      on: TODAY,
      causeIds: [causeId],
      certificationBarUntil: '2027-06-15',
    };
    const first = await recordRepair(store, id, repair, { now: NOW, today: TODAY });
    const again = await recordRepair(store, id, repair, { now: '2026-06-15T03:00:00.000Z', today: TODAY });
    expect(first.added).toBe(true);
    expect(again.added).toBe(false);
    expect(again.closures).toEqual([
      { causeId, kind: 'REPAIRED', on: TODAY, recordedAt: NOW, applicationId: 'app-1' },
    ]);
    expect(again.enterprise.profile.certificationBarUntil).toBe('2027-06-15');
    expect(publicCreditView(again.enterprise, TODAY)).toEqual({
      enterpriseId: id,
      name: `Enterprise ${id}`,
      tier: 'REGULAR',
      label: 'Neutral Listing',
      listing: null,
    });
    expect(await profileOf(id)).not.toHaveProperty('dueOn');
  });

  it('closes nothing it does not cover', async () => {
    const id = await registered();
    await recordFact(store, id, { type: 'BRIBERY', occurredOn: '2025-01-10' }, officer);
    const { enterprise } = await recordRepair(
      store,
      id,
      { applicationId: 'app-2', on: TODAY, causeIds: ['BRIBERY-other'], certificationBarUntil: '2027-06-15' },
      { now: NOW, today: TODAY },
    );
    expect(classify(enterprise.input, TODAY).tier).toBe('DISHONEST');
    expect(enterprise.input.closures).toEqual([]);
  });
});

describe('profiles written before revision 2 (restorations[])', () => {
  it('are read as closures of the causes each restoration closed, and migrated by the next write', async () => {
    const id = await registered();
    const { fact: bribery } = await recordFact(
      store,
      id,
      { type: 'BRIBERY', occurredOn: '2026-04-10' },
      officer,
    );
    // Revision 1 wrote restorations[] instead of closures[] (and an older profile has no closures at all).
    const profile = (await profileOf(id)) as Record<string, unknown>;
    const { closures: _none, ...legacy } = profile;
    await store.put({
      ...(legacy as StoredItem),
      restorations: [{ on: TODAY, kind: 'REPAIRED', applicationId: 'app-old', recordedAt: NOW }],
    });
    const loaded = await loadEnterprise(store, id);
    expect(loaded?.input.closures).toEqual([
      {
        causeId: `BRIBERY-${bribery.id}`,
        kind: 'REPAIRED',
        on: TODAY,
        recordedAt: NOW,
        applicationId: 'app-old',
      },
    ]);
    expect(classify(loaded!.input, TODAY).tier).toBe('REGULAR');

    // A fact recorded later, dated before the restoration, was not known to it: still a cause.
    const later = { now: '2026-06-16T02:00:00.000Z', actor: 'officer:alice' };
    await recordFact(store, id, { type: 'OBSTRUCTION', occurredOn: '2026-06-01' }, later);
    const migrated = (await profileOf(id)) as Record<string, unknown>;
    expect(migrated).not.toHaveProperty('restorations');
    expect(migrated.closures).toEqual(loaded?.input.closures);
    const after = await loadEnterprise(store, id);
    expect(classify(after!.input, '2026-06-16').causes.map((c) => c.code)).toEqual(['OBSTRUCTION']);
  });
});

describe('reviewer directory', () => {
  it('keeps one reviewer per party, replaced by a later seed', async () => {
    await seedReviewer(
      store,
      'TAX',
      { name: 'Tang', email: 't@tax.example', escalationEmail: 'boss@tax.example' },
      NOW,
    );
    await seedReviewer(
      store,
      'CUSTOMS',
      { name: 'Chen', email: 'c@customs.example', escalationEmail: 'e@customs.example' },
      NOW,
    );
    const later = '2026-06-16T02:00:00.000Z';
    await seedReviewer(
      store,
      'TAX',
      { name: 'Tian', email: 'tian@tax.example', escalationEmail: 'boss@tax.example' },
      later,
    );

    expect(await getReviewer(store, 'TAX')).toEqual({
      party: 'TAX',
      name: 'Tian',
      email: 'tian@tax.example',
      escalationEmail: 'boss@tax.example',
      updatedAt: later,
    });
    expect(await getReviewer(store, 'MARKET_REGULATION')).toBeUndefined();
    expect((await listReviewers(store)).map((r) => [r.party, r.name])).toEqual([
      ['CUSTOMS', 'Chen'],
      ['TAX', 'Tian'],
    ]);
  });
});
