import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
const recordedOn = (fact: Fact, day: LocalDate): Fact => ({ ...fact, recordedAt: startOfLocalDay(day) });
const enterprise = (facts: Fact[], extra: Partial<ClassificationInput> = {}): ClassificationInput => ({
  registeredTier: 'REGULAR',
  closures: [],
  ...extra,
  facts,
});
const none = new Set<string>();
const keysOn = (input: ClassificationInput, today: LocalDate, recorded: ReadonlySet<string> = none) =>
  enterpriseDutiesOn(input, today, recorded).map((d) => d.key);

describe('ARREARS_DETERMINED', () => {
  const input = enterprise([tax('t', '2026-05-31')]);

  it('is due on the arrears day (the day after the last day to pay), not before', () => {
    expect(keysOn(input, '2026-08-31')).toEqual([]);
    expect(enterpriseDutiesOn(input, '2026-09-01', none)).toMatchObject([
      {
        kind: 'ARREARS_DETERMINED',
        key: 'ARREARS#t',
        on: '2026-09-01',
        cause: { id: 'TAX_ARREARS-t', code: 'TAX_ARREARS', factIds: ['t'] },
      },
    ]);
  });

  it('stays due after the day until recorded, then never again', () => {
    expect(keysOn(input, '2026-09-05')).toEqual(['ARREARS#t']);
    expect(keysOn(input, '2026-09-05', new Set(['ARREARS#t']))).toEqual([]);
  });

  it('is due for an old unpaid debt recorded long after it arose', () => {
    const old = enterprise([recordedOn(tax('t', '2025-05-31'), '2026-12-01')]);
    expect(keysOn(old, '2026-11-30')).toEqual([]);
    expect(enterpriseDutiesOn(old, '2026-12-01', none)).toMatchObject([
      { kind: 'ARREARS_DETERMINED', on: '2025-09-01' },
    ]);
  });
});

describe('LISTING_CHANGED (RULES.md §6.5)', () => {
  const recorded = new Set(['ELIGIBLE#2026-06-10']);

  it('is due on the day a listing closes and the tier changes, once', () => {
    const input = enterprise([bribery('b', '2026-06-10')]);
    expect(keysOn(input, '2029-06-09', recorded)).toEqual([]);
    const duties = enterpriseDutiesOn(input, '2029-06-10', recorded);
    expect(duties).toEqual([
      {
        kind: 'LISTING_CHANGED',
        key: 'LISTING#2029-06-10#SERIOUSLY_DISHONEST#REGULAR',
        on: '2029-06-10',
        from: 'SERIOUSLY_DISHONEST',
        to: 'REGULAR',
        closed: [{ id: 'BRIBERY-b', code: 'BRIBERY', policyId: 'GAC-282-2026', listingUntil: '2029-06-10' }],
        listingUntil: null,
      },
    ]);
    // A sweep that runs later still finds it, until it is recorded.
    expect(keysOn(input, '2029-07-01', recorded)).toEqual(['LISTING#2029-06-10#SERIOUSLY_DISHONEST#REGULAR']);
    expect(keysOn(input, '2029-07-01', new Set([...recorded, duties[0]!.key]))).toEqual([]);
  });

  it('a SERIOUSLY_DISHONEST listing that ends under a DISHONEST one changes the tier, then the other ends', () => {
    const input = enterprise([bribery('b', '2026-06-10'), tax('t', '2028-09-30', '2029-01-01')]);
    const done = new Set(['ELIGIBLE#2026-06-10', 'ARREARS#t', 'ELIGIBLE#2029-01-01']);
    expect(enterpriseDutiesOn(input, '2029-06-10', done)).toMatchObject([
      { kind: 'LISTING_CHANGED', from: 'SERIOUSLY_DISHONEST', to: 'DISHONEST', listingUntil: '2029-12-31' },
    ]);
    const both = enterpriseDutiesOn(input, '2029-12-31', done).map((d) => d.key);
    expect(both).toEqual([
      'LISTING#2029-06-10#SERIOUSLY_DISHONEST#DISHONEST',
      'LISTING#2029-12-31#DISHONEST#REGULAR',
    ]);
  });

  it('is not due when a closure leaves the tier as it was', () => {
    const input = enterprise([tax('t', '2026-05-31', '2026-09-01'), tax('u', '2026-10-31', '2027-02-01')]);
    const done = new Set(['ARREARS#t', 'ARREARS#u', 'ELIGIBLE#2027-02-01', 'ELIGIBLE#2026-09-01']);
    // t's listing closes on 2027-09-01 while u's runs to 2028-02-01: still DISHONEST.
    expect(keysOn(input, '2027-09-01', done)).toEqual([]);
    expect(keysOn(input, '2028-02-01', done)).toEqual(['LISTING#2028-02-01#DISHONEST#REGULAR']);
  });

  it('with obligations outstanding at the listing end, is due the day they are met (a past closure on the next run)', () => {
    const ack = new Set(['ARREARS#t']);
    expect(keysOn(enterprise([tax('t', '2026-05-31')]), '2027-09-01', ack)).toEqual([]);
    // Paid on 2027-10-05, the payment recorded on 2027-10-20: shown DISHONEST until then.
    const paid: Fact = {
      ...tax('t', '2026-05-31', '2027-10-05'),
      paymentRecordedAt: startOfLocalDay('2027-10-20'),
    };
    expect(keysOn(enterprise([paid]), '2027-10-19', ack)).toEqual([]);
    expect(enterpriseDutiesOn(enterprise([paid]), '2027-10-20', ack)).toMatchObject([
      { kind: 'LISTING_CHANGED', key: 'LISTING#2027-10-05#DISHONEST#REGULAR', on: '2027-10-05' },
    ]);
  });

  it('is not due for a repair (the workflow announces it), nor for what nobody was shown', () => {
    const repairedInput = enterprise([bribery('b', '2026-06-10')], {
      closures: [
        {
          causeId: 'BRIBERY-b',
          kind: 'REPAIRED',
          on: '2027-07-01',
          recordedAt: startOfLocalDay('2027-07-01'),
        },
      ],
    });
    expect(keysOn(repairedInput, '2030-01-01', recorded)).toEqual([]);
    // RULES.md §6.6 worked example: the debt and its payment recorded the same day, long after.
    const old: Fact = { ...recordedOn(tax('t', '2024-01-01', '2024-06-01'), '2026-12-05') };
    expect(keysOn(enterprise([old]), '2026-12-05')).toEqual([]);
    expect(keysOn(enterprise([old]), '2027-12-05')).toEqual([]);
  });

  it('the debt shown one day and its old payment recorded the next: both are announced', () => {
    const debt: Fact = {
      ...recordedOn(tax('t', '2024-01-01', '2024-06-01'), '2026-12-05'),
      paymentRecordedAt: startOfLocalDay('2026-12-06'),
    };
    expect(enterpriseDutiesOn(enterprise([debt]), '2026-12-06', none)).toMatchObject([
      { kind: 'ARREARS_DETERMINED', key: 'ARREARS#t' },
      { kind: 'LISTING_CHANGED', from: 'DISHONEST', to: 'REGULAR', on: '2026-04-02' },
    ]);
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
    .map((r): ClassificationInput => ({ ...r, closures: [] }));

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
