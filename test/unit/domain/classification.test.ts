import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  activeCauseIdsAt,
  arrearsLastDay,
  arrearsOn,
  classify,
  closuresOfRestorations,
  determineCauses,
  inWindow,
  knownAt,
  nextTimeEvent,
} from '../../../domain/classification.ts';
import type { ClassificationInput, RecordedClosure } from '../../../domain/classification.ts';
import { addDays, addMonths, addYears, startOfLocalDay } from '../../../domain/dates.ts';
import type { LocalDate } from '../../../domain/dates.ts';
import type { Fact } from '../../../domain/facts.ts';
import { yuanToFen } from '../../../domain/money.ts';
import { POLICY, policyById, policyInForce } from '../../../domain/policy.ts';

// Builders: every fact is recorded on its own date unless a test says otherwise.
const meta = (id: string, on: LocalDate, recordedOn = on) => ({
  id,
  recordedAt: startOfLocalDay(recordedOn),
  policyId: POLICY.id,
});
const fine = (
  id: string,
  yuan: number,
  imposedOn: LocalDate,
  extra: { dueOn?: LocalDate; paidOn?: LocalDate } = {},
): Fact => ({
  type: 'FINE',
  amountFen: yuanToFen(yuan),
  imposedOn,
  dueOn: extra.dueOn ?? imposedOn,
  ...(extra.paidOn ? { paidOn: extra.paidOn } : {}),
  ...meta(id, imposedOn),
});
const tax = (id: string, yuan: number, dueOn: LocalDate, paidOn?: LocalDate): Fact => ({
  type: 'TAX_ASSESSMENT',
  amountFen: yuanToFen(yuan),
  dueOn,
  ...(paidOn ? { paidOn } : {}),
  ...meta(id, dueOn),
});
const incident = (
  type: 'BRIBERY' | 'OBSTRUCTION' | 'MAJOR_INFRACTION',
  id: string,
  occurredOn: LocalDate,
): Fact => ({
  type,
  occurredOn,
  ...meta(id, occurredOn),
});
const enterprise = (facts: Fact[], extra: Partial<ClassificationInput> = {}): ClassificationInput => ({
  registeredTier: 'REGULAR',
  closures: [],
  ...extra,
  facts,
});
const repaired = (causeId: string, on: LocalDate, recordedOn = on): RecordedClosure => ({
  causeId,
  kind: 'REPAIRED',
  on,
  recordedAt: startOfLocalDay(recordedOn),
  applicationId: 'app-1',
});
const around = (day: LocalDate): [LocalDate, LocalDate, LocalDate] => [
  addDays(day, -1),
  day,
  addDays(day, 1),
];
const codes = (input: ClassificationInput, today: LocalDate): string[] =>
  classify(input, today).causes.map((c) => c.code);

describe('each cause of RULES.md §2, on the day before, of and after its determination', () => {
  const cases: {
    cause: string;
    facts: Fact[];
    on: LocalDate;
    tier: string;
    factIds: string[];
    id: string;
    years: number;
  }[] = [
    {
      cause: 'EXCESSIVE_FINES',
      facts: [
        fine('a', 600_000, '2026-05-01', { paidOn: '2026-05-10' }),
        fine('b', 400_000.01, '2027-04-30'),
      ],
      on: '2027-04-30',
      tier: 'DISHONEST',
      factIds: ['a', 'b'],
      id: 'EXCESSIVE_FINES-b',
      years: 1,
    },
    {
      cause: 'TAX_ARREARS',
      facts: [tax('t', 5_000, '2026-05-31')],
      on: '2026-09-01',
      tier: 'DISHONEST',
      factIds: ['t'],
      id: 'TAX_ARREARS-t',
      years: 1,
    },
    {
      cause: 'FINE_ARREARS',
      facts: [fine('f', 10_000.01, '2026-05-01', { dueOn: '2026-05-31' })],
      on: '2026-12-01',
      tier: 'DISHONEST',
      factIds: ['f'],
      id: 'FINE_ARREARS-f',
      years: 1,
    },
    {
      cause: 'BRIBERY',
      facts: [incident('BRIBERY', 'x', '2026-06-10')],
      on: '2026-06-10',
      tier: 'SERIOUSLY_DISHONEST',
      factIds: ['x'],
      id: 'BRIBERY-x',
      years: 3,
    },
    {
      cause: 'OBSTRUCTION',
      facts: [incident('OBSTRUCTION', 'x', '2026-06-10')],
      on: '2026-06-10',
      tier: 'SERIOUSLY_DISHONEST',
      factIds: ['x'],
      id: 'OBSTRUCTION-x',
      years: 3,
    },
    {
      cause: 'REPEATED_MAJOR_INFRACTIONS',
      facts: [
        incident('MAJOR_INFRACTION', 'm1', '2026-01-10'),
        incident('MAJOR_INFRACTION', 'm2', '2027-01-09'),
      ],
      on: '2027-01-09',
      tier: 'SERIOUSLY_DISHONEST',
      factIds: ['m1', 'm2'],
      id: 'REPEATED_MAJOR_INFRACTIONS-m2',
      years: 3,
    },
  ];

  it.each(cases)('$cause arises on $on', ({ cause, facts, on, tier, factIds, id, years }) => {
    const [before, day, after] = around(on);
    expect(classify(enterprise(facts), before)).toMatchObject({
      tier: 'REGULAR',
      causes: [],
      listing: null,
      rectification: null,
    });
    for (const today of [day, after]) {
      const c = classify(enterprise(facts), today);
      expect(c.tier).toBe(tier);
      expect(c.causes).toHaveLength(1);
      expect(c.causes[0]).toMatchObject({
        id,
        code: cause,
        determinedOn: on,
        factIds,
        tier,
        minimumMonths: POLICY.causes[cause as keyof typeof POLICY.causes].minimumRectificationMonths,
        policyId: 'GAC-282-2026',
        listingUntil: addYears(on, years),
      });
      expect(c.causes[0]?.closed).toBeUndefined();
    }
  });
});

describe('§6.3 12-month windows: x lies in the window ending on d when x ≤ d < x + 12 months', () => {
  it.each([
    { x: '2026-05-01', d: '2026-04-30', inside: false },
    { x: '2026-05-01', d: '2026-05-01', inside: true },
    { x: '2026-05-01', d: '2027-04-30', inside: true },
    { x: '2026-05-01', d: '2027-05-01', inside: false },
    // 29 February: its year ends on 28 February, which is outside.
    { x: '2024-02-29', d: '2025-02-27', inside: true },
    { x: '2024-02-29', d: '2025-02-28', inside: false },
    { x: '2027-02-28', d: '2028-02-27', inside: true },
    { x: '2027-02-28', d: '2028-02-28', inside: false },
    { x: '2027-02-28', d: '2028-02-29', inside: false },
    // Month ends.
    { x: '2026-01-31', d: '2027-01-30', inside: true },
    { x: '2026-01-31', d: '2027-01-31', inside: false },
    { x: '2026-08-31', d: '2027-08-30', inside: true },
    { x: '2026-08-31', d: '2027-08-31', inside: false },
  ])('$x in the window ending $d: $inside', ({ x, d, inside }) => {
    expect(inWindow(x, d, 12)).toBe(inside);
    // The same through the rules: two fines that sum above ¥1,000,000 make a cause only within one window.
    const facts = [fine('a', 600_000, x, { paidOn: x }), fine('b', 500_000, d, { paidOn: d })];
    if (d >= x) expect(codes(enterprise(facts), d)).toEqual(inside ? ['EXCESSIVE_FINES'] : []);
    const infractions = [incident('MAJOR_INFRACTION', 'm1', x), incident('MAJOR_INFRACTION', 'm2', d)];
    if (d >= x)
      expect(codes(enterprise(infractions), d)).toEqual(inside ? ['REPEATED_MAJOR_INFRACTIONS'] : []);
  });
});

describe('thresholds', () => {
  it('EXCESSIVE_FINES needs strictly more than the threshold', () => {
    const facts = [
      fine('a', 600_000, '2026-05-01', { paidOn: '2026-05-01' }),
      fine('b', 400_000, '2026-06-01'),
    ];
    expect(classify(enterprise(facts), '2026-07-01').causes).toEqual([]);
  });

  it('FINE_ARREARS needs a fine strictly above ¥10,000', () => {
    expect(classify(enterprise([fine('f', 10_000, '2026-05-01')]), '2027-05-01').causes).toEqual([]);
    expect(arrearsOn(fine('f', 10_000, '2026-05-01'))).toBeNull();
    expect(arrearsOn(incident('BRIBERY', 'b', '2026-05-01'))).toBeNull();
  });

  it('two major infractions on one day make the cause; one alone does not', () => {
    const sameDay = [
      incident('MAJOR_INFRACTION', 'm1', '2026-03-03'),
      incident('MAJOR_INFRACTION', 'm2', '2026-03-03'),
    ];
    expect(classify(enterprise(sameDay), '2026-03-03').causes.map((c) => [c.id, c.factIds])).toEqual([
      ['REPEATED_MAJOR_INFRACTIONS-m2', ['m1', 'm2']],
    ]);
    expect(codes(enterprise([incident('MAJOR_INFRACTION', 'm1', '2026-03-03')]), '2026-09-01')).toEqual([]);
  });
});

describe('§6.4 paying on the last day is in time; arrears arise the day after', () => {
  it.each([
    // tax: dueOn + 3 months; fines above ¥10,000: dueOn + 6 months; clamped to month ends.
    { what: 'tax', make: (paidOn?: LocalDate) => tax('t', 5_000, '2026-05-31', paidOn), last: '2026-08-31' },
    { what: 'tax, Nov 30', make: (p?: LocalDate) => tax('t', 5_000, '2026-11-30', p), last: '2027-02-28' },
    {
      what: 'tax into 29 Feb',
      make: (p?: LocalDate) => tax('t', 5_000, '2027-11-30', p),
      last: '2028-02-29',
    },
    {
      what: 'fine',
      make: (paidOn?: LocalDate) =>
        fine('f', 20_000, '2026-05-01', { dueOn: '2026-05-31', ...(paidOn ? { paidOn } : {}) }),
      last: '2026-11-30',
    },
    {
      what: 'fine, Aug 31',
      make: (paidOn?: LocalDate) => fine('f', 20_000, '2026-08-31', { ...(paidOn ? { paidOn } : {}) }),
      last: '2027-02-28',
    },
  ])('$what: last day $last', ({ make, last }) => {
    const arrears = addDays(last, 1);
    expect(arrearsLastDay(make())).toBe(last);
    expect(arrearsOn(make())).toBe(arrears);
    const later = addDays(arrears, 10);
    // Paid the day before or on the last day: in time, nothing is ever determined.
    for (const paidOn of [addDays(last, -1), last]) {
      expect(classify(enterprise([make(paidOn)]), later).determined).toEqual([]);
    }
    // Unpaid: nothing on the last day, the cause the day after.
    expect(classify(enterprise([make()]), last).causes).toEqual([]);
    expect(classify(enterprise([make()]), arrears).causes[0]).toMatchObject({
      determinedOn: arrears,
      rectified: false,
    });
    // Paid the day after (or later): the cause stands, rectified on the payment.
    for (const paidOn of [arrears, addDays(arrears, 1)]) {
      expect(classify(enterprise([make(paidOn)]), later).causes[0]).toMatchObject({
        determinedOn: arrears,
        rectified: true,
        rectifiedOn: paidOn,
      });
    }
  });

  it('a payment after today does not count yet', () => {
    const facts = [tax('t', 5_000, '2026-05-31', '2026-09-10')];
    expect(classify(enterprise(facts), '2026-09-05').causes[0]).toMatchObject({ rectified: false });
    expect(classify(enterprise(facts), '2026-09-10').causes[0]).toMatchObject({
      rectified: true,
      rectifiedOn: '2026-09-10',
    });
  });
});

describe('§6.2 a fact counts in one cause at most', () => {
  it('fines summed into EXCESSIVE_FINES belong to it: a small fine later in the window determines nothing', () => {
    const facts = [
      fine('a', 1_100_000, '2026-05-01', { paidOn: '2026-05-02' }),
      fine('b', 100, '2026-07-01'),
      fine('c', 100, '2027-04-01'),
    ];
    const c = classify(enterprise(facts), '2027-04-30');
    expect(c.causes.map((x) => [x.id, x.determinedOn, x.factIds, x.listingUntil])).toEqual([
      ['EXCESSIVE_FINES-a', '2026-05-01', ['a'], '2027-05-01'],
    ]);
    expect(c.listing?.until).toBe('2027-05-01');
  });

  it("a new cause arises when the window's unassigned fines cross the threshold again", () => {
    const facts = [
      fine('a', 600_000, '2026-05-01', { paidOn: '2026-05-02' }),
      fine('b', 500_000, '2026-06-01', { paidOn: '2026-06-02' }),
      fine('c', 700_000, '2026-07-01', { paidOn: '2026-07-02' }),
      fine('d', 400_000, '2026-08-01', { paidOn: '2026-08-02' }),
    ];
    expect(classify(enterprise(facts), '2026-09-01').causes.map((x) => [x.id, x.factIds])).toEqual([
      ['EXCESSIVE_FINES-b', ['a', 'b']],
      ['EXCESSIVE_FINES-d', ['c', 'd']],
    ]);
  });

  it("an unpaid big fine owned by EXCESSIVE_FINES is that cause's obligation, not FINE_ARREARS too", () => {
    const facts = [fine('a', 600_000, '2026-05-01'), fine('b', 500_000, '2026-06-01')];
    const c = classify(enterprise(facts), '2027-01-01');
    expect(c.causes.map((x) => x.code)).toEqual(['EXCESSIVE_FINES']);
    expect(c.rectification?.outstanding.map((o) => o.factId)).toEqual(['a', 'b']);
  });

  it('a fine owned by FINE_ARREARS does not count in a later window', () => {
    const facts = [
      fine('a', 600_000, '2026-01-10'),
      fine('b', 500_000, '2026-12-01', { paidOn: '2026-12-01' }),
    ];
    // a became arrears on 2026-07-11; b alone crosses nothing.
    expect(classify(enterprise(facts), '2026-12-31').causes.map((x) => x.id)).toEqual(['FINE_ARREARS-a']);
  });

  it('infractions of a REPEATED_MAJOR_INFRACTIONS cause belong to it; a third makes no second cause', () => {
    const facts = ['2026-05-01', '2026-06-01', '2026-07-01'].map((on, i) =>
      incident('MAJOR_INFRACTION', `m${i}`, on),
    );
    expect(classify(enterprise(facts), '2026-08-01').causes.map((x) => x.factIds)).toEqual([['m0', 'm1']]);
    const fourth = [...facts, incident('MAJOR_INFRACTION', 'm3', '2026-08-01')];
    expect(classify(enterprise(fourth), '2026-08-01').causes.map((x) => x.factIds)).toEqual([
      ['m0', 'm1'],
      ['m2', 'm3'],
    ]);
  });

  it('facts in no cause keep counting in later windows, whatever closed in between', () => {
    const bribery = incident('BRIBERY', 'x', '2026-05-01');
    const facts = [
      bribery,
      fine('a', 600_000, '2026-06-01', { paidOn: '2026-06-02' }),
      incident('MAJOR_INFRACTION', 'm1', '2026-06-01'),
      fine('b', 500_000, '2026-09-01', { paidOn: '2026-09-02' }),
      incident('MAJOR_INFRACTION', 'm2', '2026-09-01'),
    ];
    const input = enterprise(facts, { closures: [repaired('BRIBERY-x', '2026-08-01')] });
    expect(codes(input, '2026-08-01')).toEqual([]);
    expect(codes(input, '2026-09-01')).toEqual(['EXCESSIVE_FINES', 'REPEATED_MAJOR_INFRACTIONS']);
  });
});

describe('tier', () => {
  it('is the worst among active causes', () => {
    const facts = [tax('t', 1, '2026-04-30'), incident('OBSTRUCTION', 'o', '2026-09-01')];
    expect(classify(enterprise(facts), '2026-08-15').tier).toBe('DISHONEST');
    expect(classify(enterprise(facts), '2026-09-01').tier).toBe('SERIOUSLY_DISHONEST');
  });

  it('any cause ends a certified tier; a repair then gives REGULAR', () => {
    const input = enterprise([incident('BRIBERY', 'b', '2026-06-10')], {
      registeredTier: 'ADVANCED_CERTIFIED',
      certifiedOn: '2024-01-01',
    });
    expect(classify(input, '2026-06-09').tier).toBe('ADVANCED_CERTIFIED');
    expect(classify(input, '2026-06-10').tier).toBe('SERIOUSLY_DISHONEST');
    const repairedInput = { ...input, closures: [repaired('BRIBERY-b', '2027-07-01')] };
    expect(classify(repairedInput, '2027-07-01')).toMatchObject({
      tier: 'REGULAR',
      causes: [],
      listing: null,
      rectification: null,
    });
    expect(classify({ ...repairedInput, certifiedOn: '2029-01-01' }, '2029-02-01').tier).toBe(
      'ADVANCED_CERTIFIED',
    );
  });

  it('a certified enterprise without certifiedOn keeps its tier and has no review schedule', () => {
    const c = classify(enterprise([], { registeredTier: 'CERTIFIED' }), '2026-05-01');
    expect(c.tier).toBe('CERTIFIED');
    expect(c.certification).toBeUndefined();
  });

  it('ignores voided facts entirely', () => {
    const voided: Fact = {
      ...incident('BRIBERY', 'b', '2026-06-10'),
      voided: { reason: 'wrong enterprise', recordedAt: startOfLocalDay('2026-06-11') },
    };
    expect(classify(enterprise([voided]), '2026-07-01')).toMatchObject({ tier: 'REGULAR', causes: [] });
    expect(nextTimeEvent(enterprise([voided]), '2026-06-01')).toBeNull();
  });
});

describe('§6.1 closures by id', () => {
  const bribery = incident('BRIBERY', 'b', '2026-06-10');

  it('a REPAIRED closure closes its cause from its day, and only that cause', () => {
    const sameDay = incident('OBSTRUCTION', 'o', '2026-08-01');
    const input = enterprise([bribery, sameDay], { closures: [repaired('BRIBERY-b', '2026-08-01')] });
    expect(classify(input, '2026-07-31').causes.map((c) => c.id)).toEqual(['BRIBERY-b']);
    const c = classify(input, '2026-08-01');
    expect(c.causes.map((x) => x.id)).toEqual(['OBSTRUCTION-o']);
    expect(c.determined.find((x) => x.id === 'BRIBERY-b')?.closed).toEqual({
      kind: 'REPAIRED',
      on: '2026-08-01',
      recorded: true,
    });
  });

  it('is not fooled by dates: a cause recorded after the repair with an earlier date stays active', () => {
    const late: Fact = { ...tax('t', 5_000, '2026-01-31'), recordedAt: startOfLocalDay('2026-09-01') };
    const input = enterprise([late, bribery], { closures: [repaired('BRIBERY-b', '2026-08-01')] });
    const c = classify(input, '2026-09-01');
    expect(c.causes.map((x) => x.id)).toEqual(['TAX_ARREARS-t']);
    // Determined 2026-05-01 under GAC-282-2026: listed one year.
    expect(c.listing).toEqual({ label: 'Dishonest Listing', since: '2026-05-01', until: '2027-05-01' });
  });

  it('a closure dated after today is not yet in effect', () => {
    const input = enterprise([bribery], { closures: [repaired('BRIBERY-b', '2027-08-01')] });
    expect(classify(input, '2027-07-31').tier).toBe('SERIOUSLY_DISHONEST');
    expect(nextTimeEvent(input, '2027-07-01')).toBe('2027-08-01');
  });

  it('a closure before the cause was determined closes nothing', () => {
    const input = enterprise([bribery], { closures: [repaired('BRIBERY-b', '2026-06-01')] });
    expect(classify(input, '2026-07-01').tier).toBe('SERIOUSLY_DISHONEST');
  });
});

describe('§6.5 each cause has its own listing, closed on the later of its end and its obligations met', () => {
  it.each([
    {
      what: 'a DISHONEST-grade cause, met in time',
      facts: [tax('t', 5_000, '2026-05-31', '2026-09-01')],
      on: '2026-09-01',
      closes: '2027-09-01',
    },
    {
      what: 'a SERIOUSLY_DISHONEST-grade cause',
      facts: [incident('OBSTRUCTION', 'o', '2026-06-10')],
      on: '2026-06-10',
      closes: '2029-06-10',
    },
    {
      what: 'a cause determined on 29 February',
      facts: [incident('BRIBERY', 'x', '2028-02-29')],
      on: '2028-02-29',
      closes: '2031-02-28',
    },
    {
      what: 'obligations met after the listing end',
      facts: [tax('t', 5_000, '2026-05-31', '2027-10-05')],
      on: '2026-09-01',
      closes: '2027-10-05',
    },
  ])('$what: closes LISTING_EXPIRED on $closes', ({ facts, on, closes }) => {
    const [before, day, after] = around(closes);
    const input = enterprise(facts);
    const listed = classify(input, before);
    expect(listed.causes).toHaveLength(1);
    expect(listed.listing?.since).toBe(on);
    for (const today of [day, after]) {
      const c = classify(input, today);
      expect(c).toMatchObject({ tier: 'REGULAR', causes: [], listing: null, rectification: null });
      expect(c.determined[0]?.closed).toEqual({ kind: 'LISTING_EXPIRED', on: closes, recorded: false });
    }
  });

  it('stays listed while obligations are outstanding', () => {
    expect(classify(enterprise([tax('t', 5_000, '2026-05-31')]), '2030-01-01').tier).toBe('DISHONEST');
  });

  it('the enterprise is listed until the latest end among its active causes; a DISHONEST cause does not extend a SERIOUSLY_DISHONEST listing', () => {
    const facts = [incident('BRIBERY', 'b', '2026-05-01'), tax('t', 5_000, '2026-05-31', '2026-09-02')];
    const c = classify(enterprise(facts), '2026-10-01');
    expect(c.causes.map((x) => [x.id, x.listingUntil])).toEqual([
      ['BRIBERY-b', '2029-05-01'],
      ['TAX_ARREARS-t', '2027-09-01'],
    ]);
    expect(c.listing).toEqual({
      label: 'Seriously Dishonest Listing',
      since: '2026-05-01',
      until: '2029-05-01',
    });
    // The arrears close on their own while the bribery still lists the enterprise.
    expect(classify(enterprise(facts), '2027-09-02').causes.map((x) => x.code)).toEqual(['BRIBERY']);
  });

  it('a repair on the day a listing ends is the closure recorded', () => {
    const facts = [tax('t', 5_000, '2026-05-31', '2026-09-01')];
    const input = enterprise(facts, { closures: [repaired('TAX_ARREARS-t', '2027-09-01')] });
    expect(classify(input, '2027-09-01').determined[0]?.closed).toEqual({
      kind: 'REPAIRED',
      on: '2027-09-01',
      recorded: true,
    });
  });

  it('the worked example of §6.6: a debt of 2024 paid long ago and recorded in December 2026', () => {
    const debt: Fact = {
      ...tax('t', 50_000, '2024-01-01', '2024-06-01'),
      recordedAt: '2026-12-05T02:00:00.000Z',
    };
    const c = classify(enterprise([debt]), '2026-12-05');
    expect(c).toMatchObject({ tier: 'REGULAR', causes: [], listing: null });
    expect(c.determined).toEqual([
      expect.objectContaining({
        id: 'TAX_ARREARS-t',
        determinedOn: '2024-04-02',
        policyId: 'GAC-251-2021',
        listingUntil: '2026-04-02',
        closed: { kind: 'LISTING_EXPIRED', on: '2026-04-02', recorded: false },
      }),
    ]);
  });
});

describe('§6.6 policies are versioned by effective date', () => {
  it('judges each cause under the policy in force on its determination date', () => {
    const before = classify(enterprise([incident('BRIBERY', 'x', '2026-03-31')]), '2026-04-01').causes[0];
    const after = classify(enterprise([incident('BRIBERY', 'x', '2026-04-01')]), '2026-04-01').causes[0];
    expect(before).toMatchObject({
      tier: 'DISHONEST',
      policyId: 'GAC-251-2021',
      minimumMonths: 12,
      listingUntil: '2028-03-31',
    });
    expect(after).toMatchObject({
      tier: 'SERIOUSLY_DISHONEST',
      policyId: 'GAC-282-2026',
      minimumMonths: 12,
      listingUntil: '2029-04-01',
    });
  });

  it.each([
    ['OBSTRUCTION', '2025-06-01'],
    ['MAJOR_INFRACTION', '2025-06-01'],
  ] as const)('%s before 2026-04-01 is DISHONEST-grade, listed two years', (type, on) => {
    const facts =
      type === 'OBSTRUCTION'
        ? [incident(type, 'o', on)]
        : [incident(type, 'm1', addDays(on, -10)), incident(type, 'm2', on)];
    const c = classify(enterprise(facts), '2026-01-01');
    expect(c.tier).toBe('DISHONEST');
    expect(c.causes[0]).toMatchObject({ policyId: 'GAC-251-2021', listingUntil: addYears(on, 2) });
  });

  it('a window spanning both policies is judged on the day it crosses', () => {
    const facts = [
      incident('MAJOR_INFRACTION', 'm1', '2026-03-01'),
      incident('MAJOR_INFRACTION', 'm2', '2026-04-15'),
    ];
    expect(classify(enterprise(facts), '2026-05-01').causes[0]).toMatchObject({
      tier: 'SERIOUSLY_DISHONEST',
      policyId: 'GAC-282-2026',
    });
  });

  it('a DISHONEST-grade arrears cause under GAC-251-2021 is listed two years', () => {
    const c = classify(enterprise([tax('t', 1, '2025-05-31', '2025-10-01')]), '2026-01-01');
    expect(c.causes[0]).toMatchObject({
      determinedOn: '2025-09-01',
      policyId: 'GAC-251-2021',
      listingUntil: '2027-09-01',
    });
  });

  it('looks policies up by date and by id', () => {
    expect(policyInForce('2021-11-01').id).toBe('GAC-251-2021');
    expect(policyInForce('2026-03-31').id).toBe('GAC-251-2021');
    expect(policyInForce('2026-04-01').id).toBe('GAC-282-2026');
    // Data stored before the oldest policy's start date was a rule is judged under the oldest one.
    expect(policyInForce('2019-01-01').id).toBe('GAC-251-2021');
    expect(policyById('GAC-251-2021').effectiveFrom).toBe('2021-11-01');
    expect(() => policyById('GAC-000')).toThrow(/no policy GAC-000/);
  });
});

describe('rectification and the compliance clock', () => {
  it('starts at the determination when the cause is rectified then', () => {
    const r = classify(enterprise([incident('BRIBERY', 'b', '2026-06-10')]), '2026-07-01').rectification;
    expect(r).toEqual({
      clockStart: '2026-06-10',
      earliestApplicationOn: '2027-06-10',
      minimumMonths: 12,
      outstanding: [],
    });
  });

  it('starts when the last cause is rectified', () => {
    const facts = [tax('t', 5_000, '2026-05-31', '2026-10-15'), tax('u', 5_000, '2026-06-30', '2026-10-20')];
    expect(classify(enterprise(facts), '2026-11-01').rectification).toMatchObject({
      clockStart: '2026-10-20',
      earliestApplicationOn: '2027-01-20',
      minimumMonths: 3,
    });
  });

  it('has not started while obligations are outstanding', () => {
    const r = classify(enterprise([tax('t', 5_000, '2026-05-31')]), '2026-09-15').rectification;
    expect(r).toEqual({
      clockStart: null,
      earliestApplicationOn: null,
      minimumMonths: 3,
      outstanding: [{ factId: 't', type: 'TAX_ASSESSMENT', amountFen: 500_000, dueOn: '2026-05-31' }],
    });
  });

  it('lists outstanding facts by due date, then id', () => {
    const facts = [tax('u', 1, '2026-05-31'), tax('t', 1, '2026-05-31'), tax('s', 1, '2026-06-30')];
    const outstanding = classify(enterprise(facts), '2026-10-01').rectification?.outstanding;
    expect(outstanding?.map((o) => o.factId)).toEqual(['t', 'u', 's']);
  });

  it('restarts with a fine, bribery, obstruction or infraction after the determination, not a tax assessment', () => {
    const base = [tax('t', 5_000, '2026-05-31', '2026-09-01')];
    const at = (extra: Fact[]) =>
      classify(enterprise([...base, ...extra]), '2026-12-31').rectification?.clockStart;
    expect(at([])).toBe('2026-09-01');
    expect(at([fine('f', 100, '2026-10-05', { paidOn: '2026-10-05' })])).toBe('2026-10-05');
    expect(at([incident('MAJOR_INFRACTION', 'm', '2026-10-06')])).toBe('2026-10-06');
    expect(at([tax('u', 1, '2026-10-07', '2026-10-07')])).toBe('2026-09-01');
  });

  it('uses the longest minimum among active causes', () => {
    const facts = [tax('t', 5_000, '2026-01-31', '2026-05-01'), incident('OBSTRUCTION', 'o', '2026-03-01')];
    expect(classify(enterprise(facts), '2026-06-01').rectification).toMatchObject({
      clockStart: '2026-05-01',
      minimumMonths: 12,
      earliestApplicationOn: '2027-05-01',
    });
  });
});

describe('certification schedule', () => {
  it.each([
    ['ADVANCED_CERTIFIED', '2031-01-15', '2030-12-16'],
    ['CERTIFIED', '2029-01-15', '2028-12-16'],
  ] as const)('%s is re-reviewed on %s, notice on %s', (registeredTier, reviewDueOn, noticeOn) => {
    const input = enterprise([], { registeredTier, certifiedOn: '2026-01-15' });
    expect(classify(input, addDays(reviewDueOn, -1)).certification).toEqual({
      tier: registeredTier,
      reviewFrom: '2026-01-15',
      noticeOn,
      reviewDueOn,
      overdue: false,
    });
    expect(classify(input, reviewDueOn).certification?.overdue).toBe(true);
    expect(nextTimeEvent(input, '2026-06-01')).toBe(noticeOn);
    expect(nextTimeEvent(input, noticeOn)).toBe(reviewDueOn);
    expect(nextTimeEvent(input, reviewDueOn)).toBeNull();
  });

  it('counts from the last review', () => {
    const input = enterprise([], {
      registeredTier: 'CERTIFIED',
      certifiedOn: '2020-01-15',
      lastCertificationReviewOn: '2023-02-01',
    });
    expect(classify(input, '2024-01-01').certification?.reviewDueOn).toBe('2026-02-01');
  });
});

describe('nextTimeEvent', () => {
  it('finds arrears days, the payment, earliestApplicationOn and the listing end in turn', () => {
    const input = enterprise([tax('t', 5_000, '2026-05-31', '2026-09-10')]);
    expect(nextTimeEvent(input, '2026-06-01')).toBe('2026-09-01');
    expect(nextTimeEvent(input, '2026-09-01')).toBe('2026-09-10');
    expect(nextTimeEvent(input, '2026-09-10')).toBe('2026-12-10');
    expect(nextTimeEvent(input, '2026-12-10')).toBe('2027-09-01');
    expect(nextTimeEvent(input, '2027-09-01')).toBeNull();
  });

  it('skips arrears that a payment in time prevents', () => {
    expect(nextTimeEvent(enterprise([tax('t', 5_000, '2026-05-31', '2026-06-01')]), '2026-06-01')).toBeNull();
    // A payment dated after the day classified (the past, seen from later) is itself a time event.
    expect(nextTimeEvent(enterprise([tax('t', 5_000, '2026-05-31', '2026-08-31')]), '2026-06-01')).toBe(
      '2026-08-31',
    );
    expect(nextTimeEvent(enterprise([tax('t', 5_000, '2026-05-31', '2026-08-31')]), '2026-08-31')).toBeNull();
  });
});

describe('what was known when', () => {
  const debt: Fact = { ...tax('t', 5_000, '2026-05-31'), recordedAt: '2026-10-01T02:00:00.000Z' };
  const paid: Fact = { ...debt, paidOn: '2026-10-02', paymentRecordedAt: '2026-10-03T02:00:00.000Z' };

  it('knownAt keeps the facts, payments, voids and closures recorded by the instant', () => {
    expect(knownAt(enterprise([paid]), '2026-09-30T00:00:00.000Z').facts).toEqual([]);
    const [unpaid] = knownAt(enterprise([paid]), '2026-10-02T02:00:00.000Z').facts;
    expect(unpaid?.paidOn).toBeUndefined();
    expect(knownAt(enterprise([paid]), '2026-10-03T02:00:00.000Z').facts).toEqual([paid]);
    const voided: Fact = { ...paid, voided: { reason: 'typo', recordedAt: '2026-10-04T02:00:00.000Z' } };
    expect(knownAt(enterprise([voided]), '2026-10-03T02:00:00.000Z').facts[0]?.voided).toBeUndefined();
    const closures = [repaired('TAX_ARREARS-t', '2026-10-05')];
    expect(knownAt(enterprise([paid], { closures }), '2026-10-04T00:00:00.000Z').closures).toEqual([]);
  });

  it('activeCauseIdsAt gives what an application submitted then covered', () => {
    expect(activeCauseIdsAt(enterprise([paid]), '2026-09-15T02:00:00.000Z')).toEqual([]);
    expect(activeCauseIdsAt(enterprise([paid]), '2026-10-01T03:00:00.000Z')).toEqual(['TAX_ARREARS-t']);
  });
});

describe('closuresOfRestorations (profiles written before revision 2)', () => {
  it('closes every cause known and open on the restoration day, with its kind', () => {
    const bribery = incident('BRIBERY', 'b', '2026-05-01');
    const debt = tax('t', 5_000, '2026-01-31', '2026-06-01');
    const lateFact: Fact = {
      ...incident('OBSTRUCTION', 'o', '2026-06-01'),
      recordedAt: startOfLocalDay('2026-09-01'),
    };
    const input = enterprise([bribery, debt, lateFact]);
    const restorations = [
      {
        on: '2026-08-01',
        kind: 'REPAIRED' as const,
        recordedAt: '2026-08-01T05:00:00.000Z',
        applicationId: 'a1',
      },
    ];
    expect(closuresOfRestorations(input, restorations)).toEqual([
      {
        causeId: 'TAX_ARREARS-t',
        kind: 'REPAIRED',
        on: '2026-08-01',
        recordedAt: '2026-08-01T05:00:00.000Z',
        applicationId: 'a1',
      },
      {
        causeId: 'BRIBERY-b',
        kind: 'REPAIRED',
        on: '2026-08-01',
        recordedAt: '2026-08-01T05:00:00.000Z',
        applicationId: 'a1',
      },
    ]);
    const withClosures = { ...input, closures: closuresOfRestorations(input, restorations) };
    expect(classify(withClosures, '2026-09-01').causes.map((c) => c.id)).toEqual(['OBSTRUCTION-o']);
  });

  it('leaves alone a cause already closed before the restoration', () => {
    const debt = tax('t', 5_000, '2026-05-31', '2026-06-15');
    const closures = closuresOfRestorations(enterprise([debt]), [
      { on: '2026-08-31', kind: 'LISTING_EXPIRED', recordedAt: '2026-08-31T02:00:00.000Z' },
    ]);
    // In time under revision 2 (paid before the last day): no cause, nothing to close.
    expect(closures).toEqual([]);
  });
});

// ---- properties ----

const DAY0 = '2026-01-01';
const dayArb = fc.integer({ min: 0, max: 1100 }).map((n) => addDays(DAY0, n));
const factArb = (id: string, days: fc.Arbitrary<LocalDate> = dayArb): fc.Arbitrary<Fact> =>
  fc.oneof(
    fc
      .record({
        yuan: fc.constantFrom(5_000, 20_000, 300_000, 600_000),
        on: days,
        dueIn: fc.integer({ min: 0, max: 60 }),
        paidIn: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
        recordedIn: fc.integer({ min: 0, max: 200 }),
      })
      .map(({ yuan, on, dueIn, paidIn, recordedIn }) => ({
        ...fine(id, yuan, on, {
          dueOn: addDays(on, dueIn),
          ...(paidIn === undefined ? {} : { paidOn: addDays(on, paidIn) }),
        }),
        recordedAt: startOfLocalDay(addDays(on, recordedIn)),
      })),
    fc
      .record({ on: days, paidIn: fc.option(fc.integer({ min: -30, max: 300 }), { nil: undefined }) })
      .map(({ on, paidIn }) => tax(id, 1_000, on, paidIn === undefined ? undefined : addDays(on, paidIn))),
    fc
      .record({
        type: fc.constantFrom('BRIBERY', 'OBSTRUCTION', 'MAJOR_INFRACTION', 'MAJOR_INFRACTION'),
        on: days,
      })
      .map(({ type, on }) => incident(type, id, on)),
  );
const factsArb = (prefix: string) =>
  fc
    .integer({ min: 0, max: 7 })
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => factArb(`${prefix}${i}`))));
const CODES = [
  'EXCESSIVE_FINES',
  'TAX_ARREARS',
  'FINE_ARREARS',
  'BRIBERY',
  'OBSTRUCTION',
  'REPEATED_MAJOR_INFRACTIONS',
];
const inputArb = factsArb('f').chain((facts) =>
  fc.record({
    registeredTier: fc.constantFrom('REGULAR', 'CERTIFIED', 'ADVANCED_CERTIFIED'),
    certifiedOn: dayArb,
    facts: fc.constant(facts),
    closures: fc.array(
      fc
        .record({ code: fc.constantFrom(...CODES), fact: fc.integer({ min: 0, max: 7 }), on: dayArb })
        .map(({ code, fact, on }) => repaired(`${code}-f${fact}`, on)),
      { maxLength: 2 },
    ),
  }),
) as fc.Arbitrary<ClassificationInput>;
const todayArb = fc.integer({ min: 0, max: 1500 }).map((n) => addDays(DAY0, n));

describe('properties', () => {
  it('earliestApplicationOn never precedes clockStart, any determination or rectification, plus the minimum', () => {
    fc.assert(
      fc.property(inputArb, todayArb, (input, today) => {
        const r = classify(input, today).rectification;
        if (r?.earliestApplicationOn == null || r.clockStart === null) return;
        const causes = classify(input, today).causes;
        expect(r.earliestApplicationOn >= addMonths(r.clockStart, r.minimumMonths)).toBe(true);
        for (const c of causes) {
          expect(r.earliestApplicationOn >= addMonths(c.determinedOn, c.minimumMonths)).toBe(true);
          expect(r.earliestApplicationOn >= addMonths(c.rectifiedOn!, c.minimumMonths)).toBe(true);
        }
      }),
    );
  });

  it('a new fact dated after every other never moves earliestApplicationOn earlier (null: later than any date)', () => {
    const rank = (d: LocalDate | null): LocalDate => d ?? '9999-12-31';
    const laterArb = fc.integer({ min: 1101, max: 1200 }).map((n) => addDays(DAY0, n));
    fc.assert(
      fc.property(inputArb, factArb('new', laterArb), todayArb, (input, extra, today) => {
        const before = classify(input, today).rectification;
        if (before === null) return;
        const after = classify({ ...input, facts: [...input.facts, extra] }, today).rectification;
        expect(after).not.toBeNull();
        expect(rank(after!.earliestApplicationOn) >= rank(before.earliestApplicationOn)).toBe(true);
      }),
    );
  });

  it('does not depend on the order facts were recorded in', () => {
    const withPermutation = inputArb.chain((input) =>
      fc.tuple(fc.constant(input), fc.shuffledSubarray([...input.facts], { minLength: input.facts.length })),
    );
    fc.assert(
      fc.property(withPermutation, todayArb, ([input, permuted], today) => {
        expect(classify({ ...input, facts: permuted }, today)).toEqual(classify(input, today));
        expect(nextTimeEvent({ ...input, facts: permuted }, today)).toEqual(nextTimeEvent(input, today));
      }),
    );
  });

  it('a fact belongs to at most one cause, and cause ids are unique', () => {
    fc.assert(
      fc.property(inputArb, todayArb, (input, today) => {
        const determined = determineCauses(input, today);
        const owned = determined.flatMap((c) => c.factIds);
        expect(new Set(owned).size).toBe(owned.length);
        expect(new Set(determined.map((c) => c.id)).size).toBe(determined.length);
        for (const c of determined) expect(c.factIds).toContain(c.id.slice(c.code.length + 1));
      }),
    );
  });

  it('nothing changes by time alone before nextTimeEvent', () => {
    fc.assert(
      fc.property(inputArb, todayArb, (input, today) => {
        const next = nextTimeEvent(input, today);
        const probe = next === null ? addDays(today, 400) : addDays(next, -1);
        if (probe <= today) return;
        expect(classify(input, probe)).toEqual(classify(input, today));
        if (next !== null) expect(next > today).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
