import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arrearsOn,
  classify,
  determineCauses,
  listingRestorationDue,
  nextTimeEvent,
} from '../../../domain/classification.ts';
import type { ClassificationInput, Restoration } from '../../../domain/classification.ts';
import { addDays, addMonths, addYears, startOfLocalDay } from '../../../domain/dates.ts';
import type { LocalDate } from '../../../domain/dates.ts';
import type { Fact } from '../../../domain/facts.ts';
import { yuanToFen } from '../../../domain/money.ts';
import { POLICY } from '../../../domain/policy.ts';

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
  restorations: [],
  ...extra,
  facts,
});
const around = (day: LocalDate): [LocalDate, LocalDate, LocalDate] => [
  addDays(day, -1),
  day,
  addDays(day, 1),
];

describe('each cause of RULES.md §2, on the day before, of and after its determination', () => {
  const cases: { cause: string; facts: Fact[]; on: LocalDate; tier: string; factIds: string[] }[] = [
    {
      cause: 'EXCESSIVE_FINES',
      facts: [
        fine('a', 600_000, '2026-05-01', { paidOn: '2026-05-10' }),
        fine('b', 400_000.01, '2027-04-30'),
      ],
      on: '2027-04-30',
      tier: 'DISHONEST',
      factIds: ['a', 'b'],
    },
    {
      cause: 'TAX_ARREARS',
      facts: [tax('t', 5_000, '2026-05-31')],
      on: '2026-08-31',
      tier: 'DISHONEST',
      factIds: ['t'],
    },
    {
      cause: 'FINE_ARREARS',
      facts: [fine('f', 10_000.01, '2026-05-01', { dueOn: '2026-05-31' })],
      on: '2026-11-30',
      tier: 'DISHONEST',
      factIds: ['f'],
    },
    {
      cause: 'BRIBERY',
      facts: [incident('BRIBERY', 'x', '2026-06-10')],
      on: '2026-06-10',
      tier: 'SERIOUSLY_DISHONEST',
      factIds: ['x'],
    },
    {
      cause: 'OBSTRUCTION',
      facts: [incident('OBSTRUCTION', 'x', '2026-06-10')],
      on: '2026-06-10',
      tier: 'SERIOUSLY_DISHONEST',
      factIds: ['x'],
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
    },
  ];

  it.each(cases)('$cause arises on $on', ({ cause, facts, on, tier, factIds }) => {
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
        code: cause,
        determinedOn: on,
        factIds,
        tier,
        minimumMonths: POLICY.causes[cause as keyof typeof POLICY.causes].minimumRectificationMonths,
        policyId: POLICY.id,
      });
    }
  });
});

describe('thresholds and windows', () => {
  it('EXCESSIVE_FINES needs strictly more than the threshold', () => {
    const facts = [
      fine('a', 600_000, '2026-05-01', { paidOn: '2026-05-01' }),
      fine('b', 400_000, '2026-06-01'),
    ];
    expect(classify(enterprise(facts), '2026-07-01').causes).toEqual([]);
  });

  it('a fine imposed exactly 12 months before another is outside its window', () => {
    const facts = [
      fine('a', 600_000, '2026-05-01', { paidOn: '2026-05-10' }),
      fine('b', 400_000.01, '2027-05-01'),
    ];
    expect(classify(enterprise(facts), '2027-05-02').causes.map((c) => c.code)).toEqual([]);
  });

  it('every further fine while over the threshold is a new determination naming its window', () => {
    const facts = [
      fine('a', 1_100_000, '2026-05-01', { paidOn: '2026-05-02' }),
      fine('b', 100, '2026-07-01'),
      fine('c', 100, '2027-06-01'),
    ];
    const c = classify(enterprise(facts), '2027-06-30');
    expect(c.causes.map((x) => [x.determinedOn, x.factIds])).toEqual([
      ['2026-05-01', ['a']],
      ['2026-07-01', ['a', 'b']],
    ]);
  });

  it('FINE_ARREARS needs a fine strictly above ¥10,000', () => {
    expect(classify(enterprise([fine('f', 10_000, '2026-05-01')]), '2027-05-01').causes).toEqual([]);
    expect(arrearsOn(fine('f', 10_000, '2026-05-01'))).toBeNull();
    expect(arrearsOn(incident('BRIBERY', 'b', '2026-05-01'))).toBeNull();
  });

  it('arrears periods clamp to the end of the month', () => {
    expect(arrearsOn(tax('t', 1, '2026-11-30'))).toBe('2027-02-28');
    expect(arrearsOn(fine('f', 20_000, '2026-08-31'))).toBe('2027-02-28');
    expect(arrearsOn(fine('f', 20_000, '2027-08-31'))).toBe('2028-02-29');
  });

  it('two major infractions on one day, or 12 months apart', () => {
    const sameDay = [
      incident('MAJOR_INFRACTION', 'm1', '2026-03-03'),
      incident('MAJOR_INFRACTION', 'm2', '2026-03-03'),
    ];
    expect(classify(enterprise(sameDay), '2026-03-03').causes.map((c) => c.factIds)).toEqual([['m1', 'm2']]);
    const apart = [
      incident('MAJOR_INFRACTION', 'm1', '2026-01-10'),
      incident('MAJOR_INFRACTION', 'm2', '2027-01-10'),
    ];
    expect(classify(enterprise(apart), '2027-02-01').tier).toBe('REGULAR');
  });

  // Decision: a payment on the arrears day itself is late (the sweep determines at the start of the day).
  it.each([
    ['TAX', (paidOn: LocalDate) => tax('t', 5_000, '2026-05-31', paidOn), '2026-08-31'],
    [
      'FINE',
      (paidOn: LocalDate) => fine('f', 20_000, '2026-05-01', { dueOn: '2026-05-31', paidOn }),
      '2026-11-30',
    ],
  ] as const)(
    '%s arrears: paid the day before → no cause; paid on the day or after → cause, rectified then',
    (_n, make, day) => {
      const [before, on, after] = around(day);
      expect(classify(enterprise([make(before)]), after).causes).toEqual([]);
      for (const paidOn of [on, after]) {
        const [cause] = classify(enterprise([make(paidOn)]), addDays(after, 1)).causes;
        expect(cause).toMatchObject({ determinedOn: day, rectified: true, rectifiedOn: paidOn });
      }
    },
  );

  it('a payment after today does not count yet', () => {
    const facts = [tax('t', 5_000, '2026-05-31', '2026-09-10')];
    expect(classify(enterprise(facts), '2026-09-01').causes[0]).toMatchObject({ rectified: false });
    expect(classify(enterprise(facts), '2026-09-10').causes[0]).toMatchObject({
      rectified: true,
      rectifiedOn: '2026-09-10',
    });
  });

  it('EXCESSIVE_FINES is rectified when every fine in its window is paid, on the last payment', () => {
    const facts = [
      fine('a', 600_000, '2026-05-01', { paidOn: '2026-05-03' }),
      fine('b', 500_000, '2026-06-01', { paidOn: '2026-08-01' }),
    ];
    expect(classify(enterprise(facts), '2026-07-01').causes[0]).toMatchObject({ rectified: false });
    expect(classify(enterprise(facts), '2026-07-01').rectification?.outstanding).toEqual([
      { factId: 'b', type: 'FINE', amountFen: 50_000_000, dueOn: '2026-06-01' },
    ]);
    expect(classify(enterprise(facts), '2026-08-01').causes[0]).toMatchObject({
      rectified: true,
      rectifiedOn: '2026-08-01',
    });
  });
});

describe('tier', () => {
  it('is the worst among active causes', () => {
    const facts = [tax('t', 1, '2026-01-31'), incident('OBSTRUCTION', 'o', '2026-06-01')];
    expect(classify(enterprise(facts), '2026-05-15').tier).toBe('DISHONEST');
    expect(classify(enterprise(facts), '2026-06-01').tier).toBe('SERIOUSLY_DISHONEST');
  });

  it('any cause ends a certified tier; a restoration then gives REGULAR', () => {
    const input = enterprise([incident('BRIBERY', 'b', '2026-06-10')], {
      registeredTier: 'ADVANCED_CERTIFIED',
      certifiedOn: '2024-01-01',
    });
    expect(classify(input, '2026-06-09').tier).toBe('ADVANCED_CERTIFIED');
    expect(classify(input, '2026-06-10').tier).toBe('SERIOUSLY_DISHONEST');
    const repaired = {
      ...input,
      restorations: [{ on: '2027-07-01', kind: 'REPAIRED' }] satisfies Restoration[],
    };
    expect(classify(repaired, '2027-07-01')).toMatchObject({
      tier: 'REGULAR',
      causes: [],
      listing: null,
      rectification: null,
    });
    expect(classify({ ...repaired, certifiedOn: '2029-01-01' }, '2029-02-01').tier).toBe(
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

describe('restorations', () => {
  const bribery = incident('BRIBERY', 'b', '2026-06-10');

  it('close causes determined on or before their day', () => {
    const sameDay = enterprise([bribery], { restorations: [{ on: '2026-06-10', kind: 'REPAIRED' }] });
    expect(classify(sameDay, '2026-06-10').causes).toEqual([]);
    expect(determineCauses(sameDay, '2026-06-10')).toMatchObject([
      { code: 'BRIBERY', closedOn: '2026-06-10' },
    ]);
    const later = enterprise([bribery], { restorations: [{ on: '2027-06-12', kind: 'LISTING_EXPIRED' }] });
    expect(classify(later, '2027-06-11').tier).toBe('SERIOUSLY_DISHONEST');
    expect(classify(later, '2027-06-12')).toMatchObject({ tier: 'REGULAR', causes: [] });
  });

  it('do not close a cause recorded after them with a historical date', () => {
    const late: Fact = { ...tax('t', 5_000, '2026-01-31'), recordedAt: startOfLocalDay('2026-09-01') };
    const input = enterprise([late, bribery], { restorations: [{ on: '2026-08-01', kind: 'REPAIRED' }] });
    const c = classify(input, '2026-09-01');
    expect(c.causes.map((x) => x.code)).toEqual(['TAX_ARREARS']);
    expect(c.listing).toEqual({ label: 'Dishonest Listing', since: '2026-04-30', until: '2027-04-30' });
  });

  it('are a fresh start: fines and infractions they covered do not count in later windows', () => {
    const restorations: Restoration[] = [{ on: '2026-08-01', kind: 'REPAIRED' }];
    const fines = [
      fine('a', 1_100_000, '2026-05-01', { paidOn: '2026-05-02' }),
      fine('b', 100, '2026-09-01'),
    ];
    expect(classify(enterprise(fines, { restorations }), '2026-09-01').tier).toBe('REGULAR');
    const infractions = [
      incident('MAJOR_INFRACTION', 'm1', '2026-05-01'),
      incident('MAJOR_INFRACTION', 'm2', '2026-09-01'),
    ];
    expect(classify(enterprise(infractions, { restorations }), '2026-09-01').tier).toBe('REGULAR');
    expect(classify(enterprise(infractions), '2026-09-01').tier).toBe('SERIOUSLY_DISHONEST');
  });

  it('dated after today are not yet in effect', () => {
    const input = enterprise([bribery], { restorations: [{ on: '2027-08-01', kind: 'REPAIRED' }] });
    expect(classify(input, '2027-07-31').tier).toBe('SERIOUSLY_DISHONEST');
    expect(nextTimeEvent(input, '2027-07-01')).toBe('2027-08-01');
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

describe('listing', () => {
  it.each([
    ['DISHONEST', [tax('t', 5_000, '2026-05-31', '2026-09-01')], '2026-08-31', 'Dishonest Listing'],
    [
      'SERIOUSLY_DISHONEST',
      [incident('OBSTRUCTION', 'o', '2026-06-10')],
      '2026-06-10',
      'Seriously Dishonest Listing',
    ],
  ] as const)('%s lasts its years from the latest determination', (tier, facts, on, label) => {
    const until = addYears(on, POLICY.listingYears[tier]);
    expect(classify(enterprise([...facts]), on).listing).toEqual({ label, since: on, until });
    const [before, day, after] = around(until);
    expect(listingRestorationDue(enterprise([...facts]), before)).toBeNull();
    expect(listingRestorationDue(enterprise([...facts]), day)).toBe(until);
    expect(listingRestorationDue(enterprise([...facts]), after)).toBe(until);
  });

  it('runs from the earliest to the latest active determination', () => {
    const facts = [incident('BRIBERY', 'b', '2026-02-01'), tax('t', 5_000, '2026-05-31', '2026-09-01')];
    expect(classify(enterprise(facts), '2026-10-01').listing).toEqual({
      label: 'Seriously Dishonest Listing',
      since: '2026-02-01',
      until: '2029-08-31',
    });
  });

  it('with obligations outstanding at its end, restoration is due the day they are met', () => {
    const unpaid = tax('t', 5_000, '2026-05-31');
    expect(listingRestorationDue(enterprise([unpaid]), '2027-09-30')).toBeNull();
    const paid = { ...unpaid, paidOn: '2027-10-05' };
    expect(listingRestorationDue(enterprise([paid]), '2027-10-04')).toBeNull();
    expect(listingRestorationDue(enterprise([paid]), '2027-10-05')).toBe('2027-10-05');
    expect(listingRestorationDue(enterprise([]), '2027-10-05')).toBeNull();
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
  it('finds arrears days, earliestApplicationOn and the listing end in turn', () => {
    const input = enterprise([tax('t', 5_000, '2026-05-31', '2026-09-10')]);
    expect(nextTimeEvent(input, '2026-06-01')).toBe('2026-08-31');
    expect(nextTimeEvent(input, '2026-08-31')).toBe('2026-09-10');
    expect(nextTimeEvent(input, '2026-09-10')).toBe('2026-12-10');
    expect(nextTimeEvent(input, '2026-12-10')).toBe('2027-08-31');
    expect(nextTimeEvent(input, '2027-08-31')).toBeNull();
  });
  it('skips arrears that a payment in time prevents', () => {
    expect(nextTimeEvent(enterprise([tax('t', 5_000, '2026-05-31', '2026-06-01')]), '2026-06-01')).toBeNull();
  });
});

// ---- properties ----

const DAY0 = '2026-01-01';
const dayArb = fc.integer({ min: 0, max: 1100 }).map((n) => addDays(DAY0, n));
const factArb = (id: string): fc.Arbitrary<Fact> =>
  fc.oneof(
    fc
      .record({
        yuan: fc.constantFrom(5_000, 20_000, 300_000, 600_000),
        on: dayArb,
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
      .record({ on: dayArb, paidIn: fc.option(fc.integer({ min: -30, max: 300 }), { nil: undefined }) })
      .map(({ on, paidIn }) => tax(id, 1_000, on, paidIn === undefined ? undefined : addDays(on, paidIn))),
    fc
      .record({
        type: fc.constantFrom('BRIBERY', 'OBSTRUCTION', 'MAJOR_INFRACTION', 'MAJOR_INFRACTION'),
        on: dayArb,
      })
      .map(({ type, on }) => incident(type, id, on)),
  );
const factsArb = (prefix: string) =>
  fc
    .integer({ min: 0, max: 7 })
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => factArb(`${prefix}${i}`))));
const restorationsArb = fc.array(
  fc.record({ on: dayArb, kind: fc.constantFrom('REPAIRED', 'LISTING_EXPIRED') }),
  { maxLength: 2 },
) as fc.Arbitrary<Restoration[]>;
const inputArb = fc.record({
  registeredTier: fc.constantFrom('REGULAR', 'CERTIFIED', 'ADVANCED_CERTIFIED'),
  certifiedOn: dayArb,
  facts: factsArb('f'),
  restorations: restorationsArb,
}) as fc.Arbitrary<ClassificationInput>;
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

  it('a new fact never moves earliestApplicationOn earlier (null: not yet known, later than any date)', () => {
    const rank = (d: LocalDate | null): LocalDate => d ?? '9999-12-31';
    fc.assert(
      fc.property(inputArb, factArb('new'), todayArb, (input, extra, today) => {
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

  it('nothing changes by time alone before nextTimeEvent', () => {
    fc.assert(
      fc.property(inputArb, todayArb, (input, today) => {
        const next = nextTimeEvent(input, today);
        const probe = next === null ? addDays(today, 400) : addDays(next, -1);
        if (probe <= today) return;
        expect(classify(input, probe)).toEqual(classify(input, today));
        expect(listingRestorationDue(input, probe)).toEqual(listingRestorationDue(input, today));
        if (next !== null) expect(next > today).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
