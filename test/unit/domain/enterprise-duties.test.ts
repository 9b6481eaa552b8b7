import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify } from '../../../domain/classification.ts';
import type { ClassificationInput } from '../../../domain/classification.ts';
import { addDays, startOfLocalDay } from '../../../domain/dates.ts';
import type { LocalDate } from '../../../domain/dates.ts';
import { enterpriseDutiesOn } from '../../../domain/enterprise-duties.ts';
import type { Fact } from '../../../domain/facts.ts';
import { POLICY } from '../../../domain/policy.ts';

const meta = (id: string, on: LocalDate) => ({ id, recordedAt: startOfLocalDay(on), policyId: POLICY.id });
const tax = (id: string, dueOn: LocalDate, paidOn?: LocalDate): Fact => ({
  type: 'TAX_ASSESSMENT',
  amountFen: 100_00,
  dueOn,
  ...(paidOn ? { paidOn } : {}),
  ...meta(id, dueOn),
});
const bribery = (id: string, on: LocalDate): Fact => ({ type: 'BRIBERY', occurredOn: on, ...meta(id, on) });
const enterprise = (facts: Fact[], extra: Partial<ClassificationInput> = {}): ClassificationInput => ({
  registeredTier: 'REGULAR',
  restorations: [],
  ...extra,
  facts,
});
const none = new Set<string>();
const keysOn = (input: ClassificationInput, today: LocalDate, recorded: ReadonlySet<string> = none) =>
  enterpriseDutiesOn(input, today, recorded).map((d) => d.key);

describe('ARREARS_DETERMINED', () => {
  const input = enterprise([tax('t', '2026-05-31')]);

  it('is due on the arrears day, not the day before', () => {
    expect(keysOn(input, '2026-08-30')).toEqual([]);
    expect(enterpriseDutiesOn(input, '2026-08-31', none)).toMatchObject([
      {
        kind: 'ARREARS_DETERMINED',
        key: 'ARREARS#t',
        on: '2026-08-31',
        cause: { code: 'TAX_ARREARS', factIds: ['t'] },
      },
    ]);
  });

  it('stays due after the day until recorded, then never again', () => {
    expect(keysOn(input, '2026-09-05')).toEqual(['ARREARS#t']);
    expect(keysOn(input, '2026-09-05', new Set(['ARREARS#t']))).toEqual([]);
  });
});

describe('ELIGIBILITY_NOTICE', () => {
  const input = enterprise([bribery('b', '2026-06-10')]);

  it('is due once earliestApplicationOn has come, once per clock start', () => {
    expect(keysOn(input, '2027-06-09')).toEqual([]);
    expect(enterpriseDutiesOn(input, '2027-06-10', none)).toEqual([
      { kind: 'ELIGIBILITY_NOTICE', key: 'ELIGIBLE#2026-06-10', on: '2027-06-10', clockStart: '2026-06-10' },
    ]);
    expect(keysOn(input, '2027-06-11', new Set(['ELIGIBLE#2026-06-10']))).toEqual([]);
  });

  it('is due again after a new fact restarts the clock', () => {
    const restarted = enterprise([bribery('b', '2026-06-10'), bribery('c', '2026-09-01')]);
    expect(keysOn(restarted, '2027-09-01', new Set(['ELIGIBLE#2026-06-10']))).toEqual([
      'ELIGIBLE#2026-09-01',
    ]);
  });

  it('is not due while obligations are outstanding', () => {
    expect(keysOn(enterprise([tax('t', '2026-05-31')]), '2027-06-01', new Set(['ARREARS#t']))).toEqual([]);
  });
});

describe('LISTING_RESTORED', () => {
  const recorded = new Set(['ELIGIBLE#2026-06-10']);

  it('is due at the listing end (3 years for SERIOUSLY_DISHONEST), with the restoration to record', () => {
    const input = enterprise([bribery('b', '2026-06-10')]);
    expect(keysOn(input, '2029-06-09', recorded)).toEqual([]);
    const [duty] = enterpriseDutiesOn(input, '2029-06-10', recorded);
    expect(duty).toEqual({
      kind: 'LISTING_RESTORED',
      key: 'RESTORE#1#2029-06-10',
      on: '2029-06-10',
      listingUntil: '2029-06-10',
      restoration: { on: '2029-06-10', kind: 'LISTING_EXPIRED' },
    });
    if (duty?.kind !== 'LISTING_RESTORED') throw new Error('expected a listing restoration');
    const restored = { ...input, restorations: [duty.restoration] };
    expect(classify(restored, '2029-06-11')).toMatchObject({ tier: 'REGULAR', listing: null });
    expect(keysOn(restored, '2029-06-11')).toEqual([]);
  });

  it('with obligations outstanding at the end, is due on the day they are met', () => {
    const ack = new Set(['ARREARS#t']);
    expect(keysOn(enterprise([tax('t', '2026-05-31')]), '2027-08-31', ack)).toEqual([]);
    const paidLate = enterprise([tax('t', '2026-05-31', '2027-10-05')]);
    expect(keysOn(paidLate, '2027-10-04', ack)).toEqual([]);
    expect(enterpriseDutiesOn(paidLate, '2027-10-05', ack)).toMatchObject([
      { kind: 'LISTING_RESTORED', key: 'RESTORE#1#2027-08-31', on: '2027-10-05', listingUntil: '2027-08-31' },
    ]);
  });
});

describe('LISTING_RESTORED after an earlier restoration', () => {
  it('is due for a later listing that ends on the same day as the one already restored', () => {
    // Bribery on 2026-06-10, listed until 2029-06-10 and restored then. In 2029 an officer records
    // an obstruction of that same day: it stays active (recorded after the restoration) and makes
    // a new listing ending on the same day, which must be restored in its turn.
    const restoredOnce = enterprise([bribery('b', '2026-06-10')], {
      restorations: [{ on: '2029-06-10', kind: 'LISTING_EXPIRED' }],
    });
    const late: Fact = {
      type: 'OBSTRUCTION',
      occurredOn: '2026-06-10',
      id: 'o',
      recordedAt: startOfLocalDay('2029-07-01'),
      policyId: POLICY.id,
    };
    const input = { ...restoredOnce, facts: [...restoredOnce.facts, late] };
    expect(classify(input, '2029-07-01').listing).toMatchObject({ until: '2029-06-10' });
    const done = new Set(['ELIGIBLE#2026-06-10', 'RESTORE#1#2029-06-10']);
    expect(keysOn(input, '2029-07-01', done)).toContain('RESTORE#2#2029-06-10');
  });
});

describe('certification reviews', () => {
  it.each([
    ['CERTIFIED', '2029-01-15', '2028-12-16'],
    ['ADVANCED_CERTIFIED', '2031-01-15', '2030-12-16'],
  ] as const)('%s: notice 30 days before %s, overdue on the day', (registeredTier, dueOn, noticeOn) => {
    const input = enterprise([], { registeredTier, certifiedOn: '2026-01-15' });
    expect(keysOn(input, addDays(noticeOn, -1))).toEqual([]);
    expect(enterpriseDutiesOn(input, noticeOn, none)).toEqual([
      { kind: 'CERTIFICATION_NOTICE', key: `CERT_NOTICE#${dueOn}`, on: noticeOn, reviewDueOn: dueOn },
    ]);
    expect(keysOn(input, addDays(dueOn, -1))).toEqual([`CERT_NOTICE#${dueOn}`]);
    expect(keysOn(input, addDays(dueOn, -1), new Set([`CERT_NOTICE#${dueOn}`]))).toEqual([]);
    expect(enterpriseDutiesOn(input, dueOn, none)).toEqual([
      { kind: 'CERTIFICATION_OVERDUE', key: `CERT_OVERDUE#${dueOn}`, on: dueOn, reviewDueOn: dueOn },
    ]);
    expect(keysOn(input, addDays(dueOn, 1), new Set([`CERT_OVERDUE#${dueOn}`]))).toEqual([]);
  });

  it('a downgraded enterprise has no certification duties', () => {
    const input = enterprise([bribery('b', '2028-12-20')], {
      registeredTier: 'CERTIFIED',
      certifiedOn: '2026-01-15',
    });
    expect(keysOn(input, '2029-01-15')).toEqual([]);
  });
});

describe('exactly once', () => {
  const dayArb = fc.integer({ min: 0, max: 2000 }).map((n) => addDays('2026-01-01', n));
  const factArb = fc.oneof(
    fc
      .record({
        id: fc.constantFrom('a', 'b', 'c'),
        on: dayArb,
        paidIn: fc.option(fc.nat(400), { nil: undefined }),
      })
      .map(({ id, on, paidIn }) => tax(id, on, paidIn === undefined ? undefined : addDays(on, paidIn))),
    fc.record({ id: fc.constantFrom('x', 'y'), on: dayArb }).map(({ id, on }) => bribery(id, on)),
  );
  const inputArb = fc
    .record({
      registeredTier: fc.constantFrom('REGULAR', 'CERTIFIED', 'ADVANCED_CERTIFIED'),
      certifiedOn: dayArb,
      facts: fc.uniqueArray(factArb, { selector: (f) => f.id, maxLength: 4 }),
    })
    .map((r): ClassificationInput => ({ ...r, restorations: [] }));

  it('keys are unique, and recording them leaves nothing to do that day', () => {
    fc.assert(
      fc.property(inputArb, dayArb, (input, today) => {
        const keys = keysOn(input, today);
        expect(new Set(keys).size).toBe(keys.length);
        expect(keysOn(input, today, new Set(keys))).toEqual([]);
      }),
    );
  });
});
