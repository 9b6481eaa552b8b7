import { describe, expect, it } from 'vitest';
import { arrearsOn } from '../../../../domain/classification.ts';
import { createLogger } from '../../../../functions/observability/logger.ts';
import type { Store } from '../../../../functions/ports/store/store.ts';
import { recordFact } from '../../../../functions/usecases/enterprises/facts.ts';
import { FACT_RECORD_ITEM, loadEnterprise } from '../../../../functions/usecases/enterprises/records.ts';
import { createEnterprise } from '../../../../functions/usecases/enterprises/register.ts';
import { runSweep } from '../../../../functions/usecases/sweep/run.ts';
import { memoryPorts } from '../../../support/memory-ports.ts';

/**
 * The enterprise due index under a sweep that runs while an officer's write is half done: the
 * sweep reads the profile after the request made it due, but before the fact record landed. Every
 * date the new fact schedules must still be in the index afterwards.
 */

const log = createLogger({ logLevel: 'SILENT' });
const at = (date: string, time = '02:00:00.000Z'): string => `${date}T${time}`;

/** The store as a request sees it, with `beforeFactRecord` run just before a fact record is written. */
function withHookBeforeFactRecord(base: Store, beforeFactRecord: () => Promise<unknown>): Store {
  const putNew: Store['putNew'] = async (item) => {
    if (item['itemType'] === FACT_RECORD_ITEM) await beforeFactRecord();
    return base.putNew(item);
  };
  return new Proxy(base, {
    get: (target, property) => {
      if (property === 'putNew') return putNew;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('a sweep between the two writes of a fact record', () => {
  it('leaves the new fact’s arrears day in the due index, and the sweep determines it on that day', async () => {
    const id = 'RACEDUE001';
    const recordedOn = '2026-05-04';
    const ports = memoryPorts(at(recordedOn));
    const { store } = ports;
    await createEnterprise(
      store,
      { id, name: 'Race Trading', contactEmail: 'race@example.test' },
      at(recordedOn),
    );

    const sweepToday = (): Promise<unknown> => {
      ports.clock.set(at(recordedOn, '03:00:00.000Z'));
      return runSweep(ports, { log });
    };
    const { fact } = await recordFact(
      withHookBeforeFactRecord(store, sweepToday),
      id,
      { type: 'TAX_ASSESSMENT', amountFen: 50_000_00, dueOn: '2026-06-30' },
      { now: at(recordedOn), actor: 'officer:test' },
    );
    const arrearsDay = arrearsOn(fact)!;
    expect(arrearsDay).toBe('2026-10-01');

    const profile = (await loadEnterprise(store, id))!.profile;
    expect(profile.dueOn).toBeDefined();
    expect(profile.dueOn! <= arrearsDay).toBe(true);

    ports.clock.set(at(arrearsDay));
    expect(await runSweep(ports, { log })).toMatchObject({ arrearsDetermined: 1, failed: 0 });
    expect(ports.mailer.sent.map((m) => m.to[0])).toEqual(['race@example.test']);
  });
});
