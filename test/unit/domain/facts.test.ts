import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../domain/errors.ts';
import { FactInput, PaymentInput, VoidInput } from '../../../domain/fact-inputs.ts';
import { Fact } from '../../../domain/fact-view.ts';
import {
  FactHistoryError,
  FactRecord,
  factDate,
  factRecord,
  foldFacts,
  liveFacts,
  paymentRecord,
  voidRecord,
} from '../../../domain/facts.ts';
import type { FactDetails, FactRecorded } from '../../../domain/facts.ts';
import { POLICY } from '../../../domain/policy.ts';

const AT = '2026-06-01T02:00:00.000Z';
const recorded = (factId: string, fact: FactDetails, recordedAt = AT): FactRecorded => ({
  kind: 'FACT_RECORDED',
  factId,
  recordedAt,
  policyId: POLICY.id,
  fact,
});
const fine: FactDetails = {
  type: 'FINE',
  amountFen: 2_000_000,
  imposedOn: '2026-05-01',
  dueOn: '2026-05-31',
};
const tax: FactDetails = { type: 'TAX_ASSESSMENT', amountFen: 500_000, dueOn: '2026-04-15' };
const bribery: FactDetails = { type: 'BRIBERY', occurredOn: '2026-03-01' };

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FactHistoryError);
    expect(error).toBeInstanceOf(DomainError);
    return (error as FactHistoryError).code;
  }
  throw new Error('expected a FactHistoryError');
}

describe('FactInput (what an officer sends)', () => {
  it('parses each fact type, amounts in yuan to fen', () => {
    expect(
      FactInput.parse({ type: 'FINE', amount: '20000.00', imposedOn: '2026-05-01', dueOn: '2026-05-31' }),
    ).toEqual(fine);
    expect(FactInput.parse({ type: 'TAX_ASSESSMENT', amount: 5000, dueOn: '2026-04-15' })).toEqual(tax);
    for (const type of ['BRIBERY', 'OBSTRUCTION', 'MAJOR_INFRACTION'] as const) {
      expect(FactInput.parse({ type, occurredOn: '2026-03-01' })).toEqual({ type, occurredOn: '2026-03-01' });
    }
  });

  it.each([
    ['no amount', { type: 'FINE', imposedOn: '2026-05-01', dueOn: '2026-05-31' }],
    ['zero amount', { type: 'TAX_ASSESSMENT', amount: 0, dueOn: '2026-05-31' }],
    ['three decimals', { type: 'TAX_ASSESSMENT', amount: '1.001', dueOn: '2026-05-31' }],
    ['negative', { type: 'TAX_ASSESSMENT', amount: -5, dueOn: '2026-05-31' }],
    ['due before imposed', { type: 'FINE', amount: 1, imposedOn: '2026-05-01', dueOn: '2026-04-30' }],
    ['not a date', { type: 'BRIBERY', occurredOn: '2026-02-30' }],
    ['a field of another type', { type: 'BRIBERY', occurredOn: '2026-02-01', amount: 5 }],
    ['unknown type', { type: 'SMUGGLING', occurredOn: '2026-02-01' }],
  ])('refuses %s', (_name, body) => {
    expect(FactInput.safeParse(body).success).toBe(false);
  });

  it('accepts a fine due on the day it is imposed', () => {
    expect(
      FactInput.safeParse({ type: 'FINE', amount: 1, imposedOn: '2026-05-01', dueOn: '2026-05-01' }).success,
    ).toBe(true);
  });

  it('parses payment and void bodies', () => {
    expect(PaymentInput.safeParse({ paidOn: '2026-05-01' }).success).toBe(true);
    expect(PaymentInput.safeParse({ paidOn: '2026-05-01', extra: 1 }).success).toBe(false);
    expect(VoidInput.safeParse({ reason: 'wrong amount', replacedBy: 'f2' }).success).toBe(true);
    expect(VoidInput.safeParse({ reason: '   ' }).success).toBe(false);
  });
});

describe('foldFacts', () => {
  const history = [
    recorded('f1', fine),
    recorded('t1', tax),
    recorded('b1', bribery),
    { kind: 'FACT_PAID', factId: 'f1', paidOn: '2026-05-20', recordedAt: '2026-06-02T00:00:00Z' },
    {
      kind: 'FACT_VOIDED',
      factId: 'b1',
      reason: 'recorded for the wrong enterprise',
      recordedAt: '2026-06-03T00:00:00Z',
    },
  ] satisfies FactRecord[];

  it('gives the current view, sorted by date then id', () => {
    const facts = foldFacts(history);
    expect(facts.map((f) => f.id)).toEqual(['b1', 't1', 'f1']);
    expect(facts.find((f) => f.id === 'f1')?.paidOn).toBe('2026-05-20');
    expect(facts.find((f) => f.id === 'b1')?.voided).toEqual({
      reason: 'recorded for the wrong enterprise',
      recordedAt: '2026-06-03T00:00:00Z',
    });
    expect(liveFacts(facts).map((f) => f.id)).toEqual(['t1', 'f1']);
    for (const f of facts) expect(Fact.safeParse(f).success).toBe(true);
    for (const r of history) expect(FactRecord.safeParse(r).success).toBe(true);
  });

  it('does not depend on the order of the records', () => {
    const expected = foldFacts(history);
    fc.assert(
      fc.property(fc.shuffledSubarray(history, { minLength: history.length }), (shuffled) => {
        expect(foldFacts(shuffled)).toEqual(expected);
      }),
    );
  });

  it('keeps the replacing fact of a correction', () => {
    const facts = foldFacts([
      recorded('f1', fine),
      recorded('f2', { ...fine, amountFen: 1_000_000 }),
      { kind: 'FACT_VOIDED', factId: 'f1', reason: 'amount', replacedBy: 'f2', recordedAt: AT },
    ]);
    expect(facts.find((f) => f.id === 'f1')?.voided?.replacedBy).toBe('f2');
  });

  it.each([
    ['DUPLICATE_FACT', [recorded('f1', fine), recorded('f1', tax)]],
    ['UNKNOWN_FACT', [{ kind: 'FACT_PAID', factId: 'zz', paidOn: '2026-05-20', recordedAt: AT }]],
    ['UNKNOWN_FACT', [{ kind: 'FACT_VOIDED', factId: 'zz', reason: 'x', recordedAt: AT }]],
    [
      'NOT_PAYABLE',
      [recorded('b1', bribery), { kind: 'FACT_PAID', factId: 'b1', paidOn: '2026-05-20', recordedAt: AT }],
    ],
    [
      'ALREADY_PAID',
      [
        recorded('f1', fine),
        { kind: 'FACT_PAID', factId: 'f1', paidOn: '2026-05-20', recordedAt: AT },
        { kind: 'FACT_PAID', factId: 'f1', paidOn: '2026-05-21', recordedAt: AT },
      ],
    ],
    [
      'ALREADY_VOIDED',
      [
        recorded('f1', fine),
        { kind: 'FACT_VOIDED', factId: 'f1', reason: 'a', recordedAt: AT },
        { kind: 'FACT_VOIDED', factId: 'f1', reason: 'b', recordedAt: AT },
      ],
    ],
    [
      'PAID_BEFORE_IMPOSED',
      [recorded('f1', fine), { kind: 'FACT_PAID', factId: 'f1', paidOn: '2026-04-30', recordedAt: AT }],
    ],
  ] satisfies [string, FactRecord[]][])('refuses %s in any order', (code, records) => {
    expect(codeOf(() => foldFacts(records))).toBe(code);
    expect(codeOf(() => foldFacts([...records].reverse()))).toBe(code);
  });

  it('refuses the same payment stored twice', () => {
    const paid = { kind: 'FACT_PAID', factId: 'f1', paidOn: '2026-05-20', recordedAt: AT } as const;
    expect(codeOf(() => foldFacts([recorded('f1', fine), paid, { ...paid }]))).toBe('ALREADY_PAID');
  });

  it('accepts a payment before the due date, and on the day a fine is imposed', () => {
    const facts = foldFacts([
      recorded('f1', fine),
      recorded('t1', tax),
      { kind: 'FACT_PAID', factId: 'f1', paidOn: '2026-05-01', recordedAt: AT },
      { kind: 'FACT_PAID', factId: 't1', paidOn: '2026-01-01', recordedAt: AT },
    ]);
    expect(facts.map((f) => f.paidOn)).toEqual(['2026-01-01', '2026-05-01']);
  });
});

describe('new records', () => {
  const current = foldFacts([recorded('f1', fine), recorded('b1', bribery), recorded('t1', tax)]);

  it('records a fact with the policy id', () => {
    expect(factRecord(tax, { factId: 't2', recordedAt: AT })).toEqual({
      kind: 'FACT_RECORDED',
      factId: 't2',
      recordedAt: AT,
      policyId: POLICY.id,
      fact: tax,
    });
  });

  it('refuses a fine or incident dated after today (Asia/Shanghai), but not a due date', () => {
    const evening = '2026-04-30T16:30:00Z'; // already 1 May in Shanghai
    expect(
      factRecord({ ...fine, imposedOn: '2026-05-01' }, { factId: 'x', recordedAt: evening }).factId,
    ).toBe('x');
    expect(
      codeOf(() => factRecord({ ...fine, imposedOn: '2026-05-02' }, { factId: 'x', recordedAt: evening })),
    ).toBe('DATE_IN_FUTURE');
    expect(
      codeOf(() =>
        factRecord({ type: 'OBSTRUCTION', occurredOn: '2026-05-02' }, { factId: 'x', recordedAt: evening }),
      ),
    ).toBe('DATE_IN_FUTURE');
    expect(factRecord({ ...tax, dueOn: '2027-01-01' }, { factId: 'x', recordedAt: evening }).factId).toBe(
      'x',
    );
    expect(codeOf(() => factRecord(tax, { factId: 'f1', recordedAt: AT }, current))).toBe('DUPLICATE_FACT');
  });

  it('records a payment checked against the current view', () => {
    expect(paymentRecord(current, { factId: 't1', paidOn: '2026-06-01', recordedAt: AT })).toEqual({
      kind: 'FACT_PAID',
      factId: 't1',
      paidOn: '2026-06-01',
      recordedAt: AT,
    });
    expect(codeOf(() => paymentRecord(current, { factId: 't1', paidOn: '2026-06-02', recordedAt: AT }))).toBe(
      'DATE_IN_FUTURE',
    );
    expect(codeOf(() => paymentRecord(current, { factId: 'b1', paidOn: '2026-06-01', recordedAt: AT }))).toBe(
      'NOT_PAYABLE',
    );
    expect(
      codeOf(() => paymentRecord(current, { factId: 'nope', paidOn: '2026-06-01', recordedAt: AT })),
    ).toBe('UNKNOWN_FACT');
    const voided = foldFacts([
      recorded('f1', fine),
      { kind: 'FACT_VOIDED', factId: 'f1', reason: 'x', recordedAt: AT },
    ]);
    expect(codeOf(() => paymentRecord(voided, { factId: 'f1', paidOn: '2026-06-01', recordedAt: AT }))).toBe(
      'FACT_VOIDED',
    );
  });

  it('records a void with a trimmed, required reason', () => {
    expect(voidRecord(current, { factId: 'f1', reason: ' wrong amount ', recordedAt: AT })).toEqual({
      kind: 'FACT_VOIDED',
      factId: 'f1',
      reason: 'wrong amount',
      recordedAt: AT,
    });
    expect(
      voidRecord(current, { factId: 'f1', reason: 'amount', replacedBy: 'f9', recordedAt: AT }).replacedBy,
    ).toBe('f9');
    expect(codeOf(() => voidRecord(current, { factId: 'f1', reason: '  ', recordedAt: AT }))).toBe(
      'REASON_REQUIRED',
    );
    expect(codeOf(() => voidRecord(current, { factId: 'zz', reason: 'x', recordedAt: AT }))).toBe(
      'UNKNOWN_FACT',
    );
  });

  it('places each fact on its date', () => {
    expect(factDate(fine)).toBe('2026-05-01');
    expect(factDate(tax)).toBe('2026-04-15');
    expect(factDate(bribery)).toBe('2026-03-01');
  });
});
