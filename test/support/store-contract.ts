import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, InvalidPageTokenError, retryOnConflict } from '../../functions/ports/store/errors.ts';
import {
  applicationIndexAttributes,
  dueAttributes,
  dueShardOf,
  DUE_SHARDS,
  keys,
  prefixes,
} from '../../functions/ports/store/keys.ts';
import { ReadMeter } from '../../functions/ports/store/read-meter.ts';
import type { Store, StoredItem } from '../../functions/ports/store/store.ts';

/**
 * What every adapter of the store port promises (functions/ports/store/store.ts), run against the
 * DynamoDB adapter on dynalite (test/integration/dynamodb-store.test.ts) and against the in-memory
 * adapter (test/unit/adapters/memory-store.test.ts). A use-case test on the in-memory store holds
 * for DynamoDB as far as this suite reaches.
 */

export interface StoreUnderTest {
  /** A store over a table of its own, empty. */
  readonly fresh: () => Promise<Store>;
  readonly stop: () => Promise<void>;
}

export function describeStoreContract(adapter: string, start: () => Promise<StoreUnderTest>): void {
  describe(`the store contract: ${adapter}`, () => {
    let subject: StoreUnderTest;
    let store: Store;

    beforeAll(async () => {
      subject = await start();
      store = await subject.fresh();
    });

    afterAll(async () => {
      await subject.stop();
    });

    describe('get, put and putNew', () => {
      it('creates an item at version 1 and refuses a second one under the same key', async () => {
        const key = keys.enterprise('PUTNEW0001');
        const written = await store.putNew({ ...key, name: 'First' });
        expect(written.version).toBe(1);

        const second = store.putNew({ ...key, name: 'Second' });
        await expect(second).rejects.toBeInstanceOf(ConflictError);
        await expect(second).rejects.toMatchObject({ kind: 'ALREADY_EXISTS', pk: key.pk });
        expect(await store.get(key)).toMatchObject({ name: 'First', version: 1 });
      });

      it('put replaces the whole item, without any condition', async () => {
        const key = keys.reviewer('TAX');
        await store.put({ ...key, name: 'First', email: 'a@example.org' });
        await store.put({ ...key, name: 'Second' });
        const item = await store.get(key);
        expect(item).toEqual({ ...key, name: 'Second' });
      });

      it('keeps items as the document client stores them: undefined members left out, nothing shared', async () => {
        const key = keys.enterprise('SHAPE00001');
        const nested = { kept: 'yes', dropped: undefined, list: [1, undefined, 2] };
        await store.putNew({ ...key, nested, gone: undefined });
        nested.kept = 'changed after the write';
        const item = await store.get(key);
        expect(item).toEqual({ ...key, version: 1, nested: { kept: 'yes', list: [1, 2] } });
        expect(item).not.toHaveProperty('gone');
        expect(await store.get(keys.enterprise('NOSUCH0001'))).toBeUndefined();
      });
    });

    describe('updateVersioned', () => {
      it('applies changes at the expected version, bumps it, and removes undefined attributes', async () => {
        const key = keys.enterprise('UPDATE0001');
        await store.putNew({ ...key, name: 'Old', note: 'temporary' });

        const updated = await store.updateVersioned(key, 1, { name: 'New', note: undefined });
        expect(updated).toMatchObject({ name: 'New', version: 2 });
        expect(updated).not.toHaveProperty('note');
        expect(await store.get(key)).toEqual(updated);
      });

      it('rejects a stale version with a typed conflict and leaves the item unchanged', async () => {
        const key = keys.enterprise('UPDATE0002');
        await store.putNew({ ...key, name: 'Original' });
        await store.updateVersioned(key, 1, { name: 'Winner' });

        const stale = store.updateVersioned(key, 1, { name: 'Loser' });
        await expect(stale).rejects.toMatchObject({ name: 'ConflictError', kind: 'VERSION_MISMATCH' });
        expect(await store.get(key)).toMatchObject({ name: 'Winner', version: 2 });
      });

      it('lets exactly one of several concurrent writers at the same version win', async () => {
        const key = keys.enterprise('UPDATE0003');
        await store.putNew({ ...key, counter: 0 });
        const attempts = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) => store.updateVersioned(key, 1, { counter: i + 1 })),
        );
        expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
        for (const failed of attempts.filter((a) => a.status === 'rejected')) {
          expect(failed.reason).toBeInstanceOf(ConflictError);
        }
        expect(await store.get(key)).toMatchObject({ version: 2 });
      });

      it('stands for several versions when asked (a write recording several changes)', async () => {
        const key = keys.enterprise('UPDATE0005');
        await store.putNew({ ...key, name: 'Old' });
        expect(await store.updateVersioned(key, 1, { name: 'New' }, { versions: 4 })).toMatchObject({
          name: 'New',
          version: 5,
        });
        // The versions it skipped are gone: a writer that read any of them is refused.
        await expect(store.updateVersioned(key, 2, { name: 'Stale' })).rejects.toBeInstanceOf(ConflictError);
        await expect(store.updateVersioned(key, 5, { name: 'x' }, { versions: 0 })).rejects.toThrow(
          /versions/,
        );
        expect(await store.get(key)).toMatchObject({ name: 'New', version: 5 });
      });

      it('treats a missing item as a conflict rather than creating it', async () => {
        const key = keys.enterprise('NOTTHERE01');
        await expect(store.updateVersioned(key, 1, { name: 'x' })).rejects.toBeInstanceOf(ConflictError);
        expect(await store.get(key)).toBeUndefined();
      });

      it('refuses to change key or version attributes', async () => {
        const key = keys.enterprise('UPDATE0004');
        await store.putNew({ ...key });
        await expect(store.updateVersioned(key, 1, { version: 7 })).rejects.toThrow(/cannot be changed/);
        await expect(store.updateVersioned(key, 1, { pk: 'x' })).rejects.toThrow(/cannot be changed/);
      });

      it('with retryOnConflict, every one of concurrent read-modify-write loops lands once', async () => {
        const key = keys.enterprise('RETRY00001');
        await store.putNew({ ...key, counter: 0 });
        const increment = () =>
          retryOnConflict(
            20,
            async () => {
              const current = await store.get<StoredItem & { counter: number; version: number }>(key);
              if (current === undefined) throw new Error('gone');
              await store.updateVersioned(key, current.version, { counter: current.counter + 1 });
            },
            () => new Error('busy'),
          );
        await Promise.all(Array.from({ length: 5 }, increment));
        expect(await store.get(key)).toMatchObject({ counter: 5, version: 6 });
      });

      it('retryOnConflict gives up with the caller’s error when every attempt loses', async () => {
        let attempts = 0;
        const losing = retryOnConflict(
          3,
          async () => {
            attempts += 1;
            throw new ConflictError('VERSION_MISMATCH', keys.enterprise('RETRY00002'));
          },
          () => new Error('still busy'),
        );
        await expect(losing).rejects.toThrow('still busy');
        expect(attempts).toBe(3);
      });
    });

    describe('updateIf', () => {
      it('writes only while every condition holds, and answers undefined otherwise', async () => {
        const key = keys.reviewLink('contract-consume');
        await store.putNew({ ...key, nonce: 'n-1', expiresAt: '2026-07-01T00:00:00.000Z' });
        const when = {
          usedAt: { absent: true },
          nonce: { equals: 'n-1' },
          expiresAt: { after: '2026-06-01T00:00:00.000Z' },
        } as const;

        expect(
          await store.updateIf(key, { ...when, nonce: { equals: 'n-2' } }, { usedAt: 'x' }),
        ).toBeUndefined();
        expect(
          await store.updateIf(
            key,
            { ...when, expiresAt: { after: '2026-07-01T00:00:00.000Z' } },
            { usedAt: 'x' },
          ),
        ).toBeUndefined();
        const consumed = await store.updateIf(
          key,
          when,
          { usedAt: '2026-06-01T00:00:00.000Z' },
          { bumpVersion: true },
        );
        expect(consumed).toMatchObject({ usedAt: '2026-06-01T00:00:00.000Z', version: 2 });
        // Used once: the absent usedAt no longer holds.
        expect(await store.updateIf(key, when, { usedAt: 'again' }, { bumpVersion: true })).toBeUndefined();
        expect(await store.get(key)).toMatchObject({ usedAt: '2026-06-01T00:00:00.000Z', version: 2 });
      });

      it('lets exactly one of concurrent consumers win', async () => {
        const key = keys.reviewLink('contract-race');
        await store.putNew({ ...key });
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.updateIf(
              key,
              { usedAt: { absent: true } },
              { usedAt: `racer-${i}` },
              { bumpVersion: true },
            ),
          ),
        );
        expect(results.filter((r) => r !== undefined)).toHaveLength(1);
        expect(await store.get(key)).toMatchObject({ version: 2 });
      });

      it('removes attributes, keeps the version unless asked, and never creates an item', async () => {
        const key = keys.enterprise('UPDATEIF01');
        await store.putNew({ ...key, openApplicationId: 'APP-1' });
        expect(
          await store.updateIf(
            key,
            { openApplicationId: { equals: 'APP-2' } },
            { openApplicationId: undefined },
          ),
        ).toBeUndefined();
        const released = await store.updateIf(
          key,
          { openApplicationId: { equals: 'APP-1' } },
          { openApplicationId: undefined },
        );
        expect(released).toEqual({ ...key, version: 1 });
        const missing = keys.enterprise('UPDATEIF02');
        expect(await store.updateIf(missing, {}, { name: 'x' })).toBeUndefined();
        expect(await store.get(missing)).toBeUndefined();
        await expect(store.updateIf(key, { version: { equals: 1 } }, { sk: 'x' })).rejects.toThrow(
          /cannot be changed/,
        );
      });
    });

    describe('appendEvent', () => {
      const event = (detail: string) => ({
        ...keys.timeline('APPEND0001', '2026-05-01T02:00:00.000Z', 'SUBMITTED'),
        type: 'SUBMITTED',
        actor: 'applicant',
        detail,
      });

      it('writes a deterministic event once, however often a retried step appends it', async () => {
        const first = event('submitted by the applicant');
        const results = await Promise.all([1, 2, 3].map(() => store.appendEvent(first.pk, first)));
        expect(results.filter((r) => r.written)).toHaveLength(1);
        expect(await store.appendEvent(first.pk, first)).toEqual({ written: false });

        const timeline = await store.queryAll({
          partition: first.pk,
          sortKey: { beginsWith: prefixes.events() },
        });
        expect(timeline).toHaveLength(1);
      });

      it('reports a different event under the same key as a conflict', async () => {
        const original = event('submitted by the applicant');
        await store.appendEvent(original.pk, original);
        await expect(store.appendEvent(original.pk, event('something else'))).rejects.toMatchObject({
          kind: 'EVENT_DIFFERS',
        });
      });
    });

    describe('queries and page tokens', () => {
      const enterpriseId = 'PAGING0001';

      beforeAll(async () => {
        for (let i = 0; i < 7; i++) {
          await store.putNew({ ...keys.fact(enterpriseId, `F${String(i).padStart(2, '0')}`), seq: i });
        }
        await store.putNew({ ...keys.enterprise(enterpriseId), name: 'Paging Co' });
        await store.putNew({
          ...keys.enterpriseEvent(enterpriseId, '2026-01-01T00:00:00.000Z', 'e'),
          seq: -1,
        });
      });

      it('pages through a partition with opaque tokens, each item exactly once, in order', async () => {
        const spec = {
          partition: keys.enterprise(enterpriseId).pk,
          sortKey: { beginsWith: prefixes.facts() },
          limit: 3,
        };
        const seen: number[] = [];
        let token: string | undefined;
        let pages = 0;
        do {
          const page = await store.queryPage<{ pk: string; sk: string; seq: number }>(spec, token);
          seen.push(...page.items.map((item) => item.seq));
          token = page.nextToken;
          if (token) expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
          pages += 1;
        } while (token);
        expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
        expect(pages).toBeGreaterThanOrEqual(3);
      });

      it('reads newest first when descending, and a range with between', async () => {
        const items = await store.queryAll<{ pk: string; sk: string; seq: number }>({
          partition: keys.enterprise(enterpriseId).pk,
          sortKey: { beginsWith: prefixes.facts() },
          descending: true,
        });
        expect(items.map((i) => i.seq)).toEqual([6, 5, 4, 3, 2, 1, 0]);
        const profileAndFacts = await store.queryAll({
          partition: keys.enterprise(enterpriseId).pk,
          sortKey: { between: [prefixes.facts(), keys.enterprise(enterpriseId).sk] },
          consistent: true,
        });
        expect(profileAndFacts).toHaveLength(8);
        const everything = await store.queryAll({ partition: keys.enterprise(enterpriseId).pk });
        expect(everything[0]?.sk.startsWith(prefixes.events())).toBe(true);
        expect(everything).toHaveLength(9);
      });

      it('rejects forged tokens and tokens issued for another partition', async () => {
        const spec = {
          partition: keys.enterprise(enterpriseId).pk,
          sortKey: { beginsWith: prefixes.facts() },
          limit: 2,
        };
        const first = await store.queryPage(spec);
        expect(first.nextToken).toBeDefined();

        const other = { ...spec, partition: keys.enterprise('OTHERENT01').pk };
        await expect(store.queryPage(other, first.nextToken)).rejects.toBeInstanceOf(InvalidPageTokenError);
        await expect(store.queryPage(spec, 'not*base64')).rejects.toBeInstanceOf(InvalidPageTokenError);
        const wrongShape = Buffer.from(JSON.stringify({ pk: 'x' })).toString('base64url');
        await expect(store.queryPage(spec, wrongShape)).rejects.toBeInstanceOf(InvalidPageTokenError);
        // The right partition, but a sort key the query's condition excludes (DynamoDB would refuse it).
        const outside = Buffer.from(JSON.stringify({ pk: spec.partition, sk: 'ZZZ' })).toString('base64url');
        await expect(store.queryPage(spec, outside)).rejects.toBeInstanceOf(InvalidPageTokenError);
      });

      it('queries a secondary index newest first, paging with tokens over its keys', async () => {
        const submitted = ['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05'];
        for (const [i, day] of submitted.entries()) {
          const id = `INDEXAPP0${i}`;
          await store.putNew({
            ...keys.application(id),
            ...applicationIndexAttributes({
              id,
              enterpriseId: 'INDEXENT01',
              status: i === 2 ? 'REJECTED' : 'UNDER_REVIEW',
              submittedAt: `${day}T02:00:00.000Z`,
            }),
          });
        }
        const seen: string[] = [];
        let token: string | undefined;
        do {
          const page = await store.queryPage(
            { index: 'byStatus', partition: 'APPSTATUS#UNDER_REVIEW', descending: true, limit: 2 },
            token,
          );
          seen.push(...page.items.map((item) => item.pk));
          token = page.nextToken;
        } while (token);
        expect(seen).toEqual(['APP#INDEXAPP04', 'APP#INDEXAPP03', 'APP#INDEXAPP01', 'APP#INDEXAPP00']);
        const byParent = await store.queryAll({
          index: 'byParent',
          partition: 'ENT#INDEXENT01',
          sortKey: { lessOrEqual: 'APP#2026-05-02T99' },
        });
        expect(byParent.map((item) => item.pk)).toEqual(['APP#INDEXAPP00', 'APP#INDEXAPP01']);
      });
    });

    describe('the sparse due index', () => {
      it('holds an item only while it has a due date', async () => {
        const key = keys.enterprise('DUEITEM001');
        await store.putNew({ ...key, name: 'Due Co' });
        const inIndex = async () =>
          (await store.queryAll({ index: 'dueIndex', partition: `DUE#${dueShardOf(key.pk)}` })).some(
            (item) => item.pk === key.pk,
          );

        expect(await inIndex()).toBe(false);
        await store.setDue(key, '2026-06-01');
        expect(await inIndex()).toBe(true);
        await store.setDue(key, null);
        expect(await inIndex()).toBe(false);
        const item = await store.get(key);
        expect(item).not.toHaveProperty('duePk');
        expect(item).not.toHaveProperty('dueOn');
        expect(item).toMatchObject({ version: 1 });
      });

      it('moves the due date in the same versioned write as the state it follows from', async () => {
        const key = keys.enterprise('DUEITEM002');
        await store.putNew({ ...key, ...dueAttributes(key.pk, '2026-06-01') });
        await store.updateVersioned(key, 1, { listed: false, ...dueAttributes(key.pk, null) });
        expect(await store.get(key)).not.toHaveProperty('duePk');
      });

      it('does not create an item when setting the due date of a missing one', async () => {
        const key = keys.enterprise('MISSING001');
        await expect(store.setDue(key, '2026-06-01')).rejects.toBeInstanceOf(ConflictError);
        expect(await store.get(key)).toBeUndefined();
      });
    });

    describe('queryDue', () => {
      // A table of its own, so the counts below are not disturbed by the other tests' items.
      let dueStore: Store;
      const dueIds: string[] = [];

      beforeAll(async () => {
        dueStore = await subject.fresh();
        const writes: Promise<unknown>[] = [];
        for (let i = 0; i < 120; i++) {
          const id = `E${String(i).padStart(9, '0')}`;
          const key = keys.enterprise(id);
          // 12 due on or before the day, 8 due later, the rest with nothing due.
          const dueOn =
            i < 12 ? `2026-06-${String(1 + (i % 10)).padStart(2, '0')}` : i < 20 ? '2026-07-15' : null;
          if (i < 12) dueIds.push(key.pk);
          writes.push(
            dueStore.putNew({
              ...key,
              filler: 'x'.repeat(200),
              ...(dueOn ? dueAttributes(key.pk, dueOn) : {}),
            }),
          );
        }
        await Promise.all(writes);
      });

      it('spreads items over the shards', () => {
        const shards = new Set(dueIds.map(dueShardOf));
        expect(shards.size).toBeGreaterThan(1);
        for (const shard of shards) expect(shard).toBeLessThan(DUE_SHARDS);
      });

      it('returns exactly the items due on or before today, from every shard', async () => {
        const page = await dueStore.queryDue('2026-06-30');
        expect(page.nextToken).toBeUndefined();
        expect(page.items.map((i) => i.pk).sort()).toEqual([...dueIds].sort());
      });

      it('includes an item due today and excludes one due tomorrow', async () => {
        const onTheDay = await dueStore.queryDue('2026-06-01');
        const dueThatDay = onTheDay.items.map((i) => i.dueOn);
        expect(dueThatDay.length).toBeGreaterThan(0);
        expect(dueThatDay.every((d) => d === '2026-06-01')).toBe(true);
        expect((await dueStore.queryDue('2026-05-31')).items).toHaveLength(0);
      });

      it('counts the read units of each request on the store’s meter, by index', async () => {
        dueStore.meter.reset();
        const page = await dueStore.queryDue('2026-06-30');
        expect(page.readUnits).toBeGreaterThan(0);
        expect(dueStore.meter.readUnits).toBe(page.readUnits);
        expect(dueStore.meter.readRequests).toBe(DUE_SHARDS);
        expect(Object.keys(dueStore.meter.breakdown())).toContain('index:dueIndex');
      });

      it('keeps the reads of a store with a meter of its own apart, on the same items', async () => {
        dueStore.meter.reset();
        const own = new ReadMeter();
        const metered = dueStore.withMeter(own);
        expect((await metered.queryDue('2026-06-30')).items).toHaveLength(dueIds.length);
        await metered.get(keys.enterprise('E000000000'));
        expect(own.readRequests).toBe(DUE_SHARDS + 1);
        expect(dueStore.meter.readRequests).toBe(0);
      });

      it('paginates across shards with a resumable token', async () => {
        const seen: string[] = [];
        let token: string | undefined;
        let calls = 0;
        do {
          const page = await dueStore.queryDue('2026-06-30', token, { limit: 5 });
          expect(page.items.length).toBeLessThanOrEqual(5);
          seen.push(...page.items.map((i) => i.pk));
          token = page.nextToken;
          calls += 1;
        } while (token && calls < 20);
        expect(token).toBeUndefined();
        expect(seen.sort()).toEqual([...dueIds].sort());
      });

      it('rejects a token that is not a due cursor', async () => {
        const bogus = Buffer.from(JSON.stringify({ shard: 99 })).toString('base64url');
        await expect(dueStore.queryDue('2026-06-30', bogus)).rejects.toBeInstanceOf(InvalidPageTokenError);
        await expect(dueStore.queryDue('30/06/2026')).rejects.toThrow(RangeError);
      });
    });

    describe('memoizedStep', () => {
      it('runs the step once and returns the recorded result afterwards', async () => {
        let runs = 0;
        const step = () =>
          store.memoizedStep('MEMO000001', 'CheckEligibility', 1, async () => ({
            eligible: true,
            run: ++runs,
          }));
        expect(await step()).toEqual({ eligible: true, run: 1 });
        expect(await step()).toEqual({ eligible: true, run: 1 });
        expect(runs).toBe(1);
        expect(await store.recordedStep('MEMO000001', 'CheckEligibility', 1)).toEqual({
          eligible: true,
          run: 1,
        });
        expect(await store.recordedStep('MEMO000001', 'CheckEligibility', 2)).toBeUndefined();
      });

      it('keeps rounds apart', async () => {
        const r1 = await store.memoizedStep('MEMO000002', 'Tally', 1, async () => 'CHANGES_REQUESTED');
        const r2 = await store.memoizedStep('MEMO000002', 'Tally', 2, async () => 'APPROVED');
        expect([r1, r2]).toEqual(['CHANGES_REQUESTED', 'APPROVED']);
      });

      it('records one winner when concurrent first runs race, and every caller gets it', async () => {
        let runs = 0;
        const racers = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            store.memoizedStep('MEMO000003', 'OpenReview', 1, async () => {
              runs += 1;
              return { racer: i };
            }),
          ),
        );
        const winner = racers[0];
        expect(racers.every((r) => JSON.stringify(r) === JSON.stringify(winner))).toBe(true);
        expect(await store.recordedStep('MEMO000003', 'OpenReview', 1)).toEqual(winner);
        expect(runs).toBeGreaterThanOrEqual(1);
        expect(runs).toBeLessThanOrEqual(6);
      });

      it('records nothing when the step fails, so a retry runs it again', async () => {
        await expect(
          store.memoizedStep('MEMO000004', 'Notify', 1, async () => {
            throw new Error('mail server down');
          }),
        ).rejects.toThrow('mail server down');
        expect(await store.memoizedStep('MEMO000004', 'Notify', 1, async () => ({ sent: 2 }))).toEqual({
          sent: 2,
        });
      });
    });
  });
}
