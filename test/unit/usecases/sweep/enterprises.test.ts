import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { classify } from '../../../../domain/classification.ts';
import { addDays, addYears } from '../../../../domain/dates.ts';
import { POLICY } from '../../../../domain/policy.ts';
import { MemoryMailer } from '../../../../functions/adapters/memory/mailer.ts';
import { createLogger } from '../../../../functions/observability/logger.ts';
import type { Mailer } from '../../../../functions/ports/mailer.ts';
import { enterprisePartition, keys, prefixes } from '../../../../functions/ports/store/keys.ts';
import type { Store } from '../../../../functions/ports/store/store.ts';
import { recordFact, recordPayment } from '../../../../functions/usecases/enterprises/facts.ts';
import { loadEnterprise } from '../../../../functions/usecases/enterprises/records.ts';
import { createEnterprise } from '../../../../functions/usecases/enterprises/register.ts';
import { claimDuty } from '../../../../functions/usecases/sweep/claims.ts';
import type { SweepCounts } from '../../../../functions/usecases/sweep/counts.ts';
import { runSweep } from '../../../../functions/usecases/sweep/run.ts';
import { memoryPorts, type MemoryPorts } from '../../../support/memory-ports.ts';

/**
 * RULES.md §5.1–§5.4 through the sweep, each duty the day before, the day of and the day after, on
 * a clock the test moves, on the in-memory ports. Data is made with the enterprise use cases, as
 * officers would make it.
 */

/** The ports of the running scenario: each gets its own, so one's later duties never leak into another's sweep. */
let ports: MemoryPorts;
let store: Store;
const log = createLogger({ logLevel: 'SILENT' });

function useFreshTable(): void {
  ports = memoryPorts();
  store = ports.store;
}

/** An instant on `date` (02:00 UTC is 10:00 in Shanghai, the same calendar day). */
const at = (date: string, time = '02:00:00.000Z'): string => `${date}T${time}`;

/** A mailer of its own per scenario, and what it sent. */
function newOutbox(): { mailer: MemoryMailer; dir: MemoryMailer } {
  const mailer = new MemoryMailer();
  return { mailer, dir: mailer };
}
const listOutbox = async (mailer: MemoryMailer) => mailer.sent;

async function sweepOn(date: string, mailer: Mailer, time?: string): Promise<SweepCounts> {
  ports.clock.set(at(date, time));
  return runSweep({ ...ports, mailer }, { log });
}

async function eventTypes(enterpriseId: string): Promise<string[]> {
  const events = await store.queryAll({
    partition: enterprisePartition(enterpriseId),
    sortKey: { beginsWith: prefixes.events() },
    consistent: true,
  });
  return events.map((e) => String(e.type));
}

const officer = (date: string) => ({ now: at(date, '01:00:00.000Z'), actor: 'officer:test' });

describe('arrears, eligibility and listing expiry', () => {
  const id = 'ARREARS001';
  const { mailer, dir: outbox } = newOutbox();

  beforeAll(async () => {
    useFreshTable();
    await createEnterprise(
      store,
      { id, name: 'Arrears Trading', contactEmail: 'arrears@example.test' },
      at('2026-05-01'),
    );
    // Due 2026-05-10: the last day to pay is 2026-08-10, tax arrears on 2026-08-11 if still unpaid.
    await recordFact(
      store,
      id,
      { type: 'TAX_ASSESSMENT', amountFen: 20_000_00, dueOn: '2026-05-10' },
      officer('2026-05-01'),
    );
  });

  it('determines tax arrears on the day they arise, not the day before, and once', async () => {
    // Recording the fact put the enterprise on the index for its day; the sweep finds nothing yet
    // and moves it to the arrears day.
    expect(await sweepOn('2026-08-10', mailer)).toMatchObject({ arrearsDetermined: 0, itemsRead: 1 });
    expect((await loadEnterprise(store, id))!.profile.dueOn).toBe('2026-08-11');
    expect(await listOutbox(outbox)).toHaveLength(0);

    const dayOf = await sweepOn('2026-08-11', mailer);
    expect(dayOf).toMatchObject({ arrearsDetermined: 1, itemsRead: 1, failed: 0 });
    const mail = await listOutbox(outbox);
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ to: ['arrears@example.test'] });
    expect(mail[0]?.subject).toContain('欠缴税款');
    expect(mail[0]?.subject).toContain('tax arrears');
    expect(await eventTypes(id)).toContain('ARREARS_DETERMINED');

    const enterprise = await loadEnterprise(store, id);
    expect(classify(enterprise!.input, '2026-08-11').tier).toBe('DISHONEST');

    expect(await sweepOn('2026-08-12', mailer)).toMatchObject({ arrearsDetermined: 0, itemsRead: 0 });
    expect(await listOutbox(outbox)).toHaveLength(1);
  });

  it('sends one eligibility notice when the rectification period has passed', async () => {
    await recordPayment(
      store,
      id,
      (await loadEnterprise(store, id))!.facts[0]!.id,
      { paidOn: '2026-10-01' },
      officer('2026-10-01'),
    );
    // Paid 2026-10-01: clock start; TAX_ARREARS needs 3 months, so eligible from 2027-01-01.
    expect(await sweepOn('2026-12-31', mailer)).toMatchObject({ eligibilityNotices: 0 });
    expect(await sweepOn('2027-01-01', mailer)).toMatchObject({ eligibilityNotices: 1, failed: 0 });
    expect(await sweepOn('2027-01-02', mailer)).toMatchObject({ eligibilityNotices: 0 });
    const notices = (await listOutbox(outbox)).filter((m) => m.subject.includes('apply for credit repair'));
    expect(notices).toHaveLength(1);
    expect(notices[0]?.text).toContain('2027-01-01');
    expect(await eventTypes(id)).toContain('ELIGIBILITY_NOTICE');
  });

  it('announces the end of the listing once, the day it closes with every obligation met', async () => {
    // Determined 2026-08-11 under GAC-282-2026: a DISHONEST-grade cause lists for 1 year.
    expect(await sweepOn('2027-08-10', mailer)).toMatchObject({ listingChanges: 0 });
    expect(classify((await loadEnterprise(store, id))!.input, '2027-08-10').tier).toBe('DISHONEST');

    expect(await sweepOn('2027-08-11', mailer)).toMatchObject({ listingChanges: 1, failed: 0 });
    const restored = await loadEnterprise(store, id);
    // The closure is computed from dates: nothing is stored for it.
    expect(restored!.profile.closures).toEqual([]);
    expect(classify(restored!.input, '2027-08-11')).toMatchObject({ tier: 'REGULAR', listing: null });
    expect(classify(restored!.input, '2027-08-11').determined[0]?.closed).toMatchObject({
      kind: 'LISTING_EXPIRED',
      on: '2027-08-11',
    });
    expect(await eventTypes(id)).toContain('LISTING_CHANGED');

    expect(await sweepOn('2027-08-11', mailer, '09:00:00.000Z')).toMatchObject({ listingChanges: 0 });
    expect(await sweepOn('2027-08-12', mailer)).toMatchObject({ listingChanges: 0, itemsRead: 0 });
    const restorations = (await listOutbox(outbox)).filter((m) => m.subject.includes('Listing ended'));
    expect(restorations).toHaveLength(1);
    // The other agencies hear of the ended listing once, as they do of an approved repair.
    expect(ports.events.published).toEqual([
      {
        enterpriseId: id,
        fromTier: 'DISHONEST',
        toTier: 'REGULAR',
        reason: 'LISTING_EXPIRED',
        effectiveOn: '2027-08-11',
        policyId: POLICY.id,
        changeId: `${id}#LISTING_EXPIRED#2027-08-11#REGULAR`,
      },
    ]);
    // Nothing is scheduled any more: the enterprise has left the due index.
    expect((await loadEnterprise(store, id))!.profile.dueOn).toBeUndefined();
  });
});

describe('certification re-review', () => {
  const id = 'CERTIFIED1';
  const { mailer, dir: outbox } = newOutbox();

  beforeAll(async () => {
    useFreshTable();
    // CE every 3 years: due 2026-05-20, notice 30 days before (2026-04-20).
    await createEnterprise(
      store,
      {
        id,
        name: 'Certified Logistics',
        contactEmail: 'cert@example.test',
        tier: 'CERTIFIED',
        certifiedOn: '2023-05-20',
      },
      at('2026-04-01'),
    );
  });

  it('sends the notice 30 days before, once', async () => {
    expect(await sweepOn('2026-04-19', mailer)).toMatchObject({ certificationNotices: 0 });
    expect(await sweepOn('2026-04-20', mailer)).toMatchObject({ certificationNotices: 1, failed: 0 });
    expect(await sweepOn('2026-04-21', mailer)).toMatchObject({ certificationNotices: 0 });
    const mail = await listOutbox(outbox);
    expect(mail).toHaveLength(1);
    expect(mail[0]?.text).toContain('2026-05-20');
  });

  it('marks the review overdue on the day, on the profile, once', async () => {
    expect(await sweepOn('2026-05-19', mailer)).toMatchObject({ certificationOverdue: 0 });
    expect((await loadEnterprise(store, id))!.profile['certificationReviewOverdueSince']).toBeUndefined();
    expect(await sweepOn('2026-05-20', mailer)).toMatchObject({ certificationOverdue: 1, failed: 0 });
    expect((await loadEnterprise(store, id))!.profile['certificationReviewOverdueSince']).toBe('2026-05-20');
    expect(await sweepOn('2026-05-21', mailer)).toMatchObject({ certificationOverdue: 0 });
    expect(await listOutbox(outbox)).toHaveLength(2);
    expect(await eventTypes(id)).toEqual(
      expect.arrayContaining(['CERTIFICATION_REVIEW_NOTICE', 'CERTIFICATION_REVIEW_OVERDUE']),
    );
  });
});

describe('exactly once', () => {
  beforeEach(useFreshTable);

  async function certifiedDueOn(id: string, noticeOn: string): Promise<void> {
    // A CE re-review falls due 3 years after certification, its notice 30 days before that;
    // registered the day before the notice, so the registration's due date is the notice day.
    const reviewDueOn = addDays(noticeOn, 30);
    const certified = addYears(reviewDueOn, -3);
    const dayBefore = addDays(noticeOn, -1);
    await createEnterprise(
      store,
      {
        id,
        name: `Enterprise ${id}`,
        contactEmail: `${id.toLowerCase()}@example.test`,
        tier: 'CERTIFIED',
        certifiedOn: certified,
      },
      at(dayBefore),
    );
  }

  it('running the sweep twice on a day changes nothing the second time', async () => {
    const { mailer, dir: outbox } = newOutbox();
    await certifiedDueOn('TWICE00001', '2027-03-10');
    const first = await sweepOn('2027-03-10', mailer);
    expect(first.certificationNotices).toBe(1);
    const before = await store.queryAll({ partition: enterprisePartition('TWICE00001'), consistent: true });

    const second = await sweepOn('2027-03-10', mailer, '09:00:00.000Z');
    expect(second).toMatchObject({ certificationNotices: 0, failed: 0 });
    expect(await listOutbox(outbox)).toHaveLength(1);
    const after = await store.queryAll({ partition: enterprisePartition('TWICE00001'), consistent: true });
    expect(after).toEqual(before);
  });

  it('two concurrent runs send each notice once', async () => {
    const { mailer, dir: outbox } = newOutbox();
    const ids = ['CONCUR0001', 'CONCUR0002', 'CONCUR0003'];
    for (const id of ids) await certifiedDueOn(id, '2027-06-15');
    ports.clock.set(at('2027-06-15'));
    const runs = await Promise.all([
      runSweep({ ...ports, mailer }, { log }),
      runSweep({ ...ports, mailer }, { log }),
    ]);
    expect(runs[0]!.certificationNotices + runs[1]!.certificationNotices).toBe(3);
    expect(runs.every((r) => r.failed === 0)).toBe(true);
    const mail = await listOutbox(outbox);
    expect(mail.map((m) => m.to[0]).sort()).toEqual(ids.map((id) => `${id.toLowerCase()}@example.test`));
    // The day is finished: a third run does nothing.
    expect(await sweepOn('2027-06-15', mailer, '05:00:00.000Z')).toMatchObject({ certificationNotices: 0 });
    expect(await listOutbox(outbox)).toHaveLength(3);
  });

  it('redoes a duty a crashed run claimed, once its lease has run out', async () => {
    const { mailer, dir: outbox } = newOutbox();
    const id = 'CRASHED001';
    await certifiedDueOn(id, '2027-09-01');
    const enterprise = await loadEnterprise(store, id);
    const reviewDueOn = '2027-10-01';
    // A run claimed the notice at 02:00 and died before sending it.
    const crashed = await claimDuty(
      store,
      keys.enterprise(id),
      { key: `CERT_NOTICE#${reviewDueOn}`, kind: 'CERTIFICATION_NOTICE', on: '2027-09-01', payload: {} },
      at('2027-09-01'),
    );
    expect(crashed.kind).toBe('CLAIMED');
    expect(enterprise!.profile.dueOn).toBe('2027-09-01');

    // Within the lease the claim may belong to a run still at work: leave it.
    expect(await sweepOn('2027-09-01', mailer, '02:05:00.000Z')).toMatchObject({ certificationNotices: 0 });
    expect(await listOutbox(outbox)).toHaveLength(0);

    expect(await sweepOn('2027-09-01', mailer, '03:00:00.000Z')).toMatchObject({ certificationNotices: 1 });
    expect(await listOutbox(outbox)).toHaveLength(1);
    expect(await sweepOn('2027-09-01', mailer, '04:00:00.000Z')).toMatchObject({ certificationNotices: 0 });
    expect(await listOutbox(outbox)).toHaveLength(1);
  });
});

describe('partial failure', () => {
  beforeEach(useFreshTable);

  it('counts a failing item, goes on with the rest, and retries it on the next run', async () => {
    const { mailer, dir: outbox } = newOutbox();
    const ids = ['FAILING001', 'HEALTHY001'];
    for (const id of ids) {
      await createEnterprise(
        store,
        {
          id,
          name: id,
          contactEmail: `${id.toLowerCase()}@example.test`,
          tier: 'CERTIFIED',
          certifiedOn: '2025-12-01',
        },
        at('2028-10-31'),
      );
    }
    // Certified 2025-12-01: review due 2028-12-01, notice on 2028-11-01.
    const flaky: Mailer = {
      send: (message) =>
        message.to.includes('failing001@example.test')
          ? Promise.reject(new Error('mail server refused the message'))
          : mailer.send(message),
    };
    expect(await sweepOn('2028-11-01', flaky)).toMatchObject({ certificationNotices: 1, failed: 1 });
    expect((await loadEnterprise(store, 'FAILING001'))!.profile.dueOn).toBe('2028-11-01');
    expect((await loadEnterprise(store, 'HEALTHY001'))!.profile.dueOn).toBe('2028-12-01');

    // The failed claim stays CLAIMED; once its lease is over the next run sends the notice.
    expect(await sweepOn('2028-11-01', mailer, '08:00:00.000Z')).toMatchObject({
      certificationNotices: 1,
      failed: 0,
      itemsRead: 1,
    });
    expect((await listOutbox(outbox)).map((m) => m.to[0]).sort()).toEqual([
      'failing001@example.test',
      'healthy001@example.test',
    ]);
  });
});
