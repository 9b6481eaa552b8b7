import { describe, expect, it } from 'vitest';
import { classify, nextTimeEvent } from '../../../domain/classification.ts';
import { FactInput } from '../../../domain/fact-inputs.ts';
import { FactHistoryError, factRecord, type Fact } from '../../../domain/facts.ts';

/**
 * Every date an officer can send on a fact must stay within what the rules' arithmetic can reach
 * (up to 6 months ahead for arrears and years more for a listing), or a single accepted fact makes
 * every later classification of the enterprise throw. Dates before the oldest policy are refused
 * by the rules (BEFORE_FIRST_POLICY, RULES.md §6.6); data stored before that rule may hold them.
 */

const asFact = (input: unknown): Fact =>
  ({ ...FactInput.parse(input), id: 'f1', recordedAt: '2026-05-01T02:00:00.000Z', policyId: 'x' }) as Fact;

describe('fact dates a client may send', () => {
  it.each([
    [
      'a fine due in year 9999',
      { type: 'FINE', amount: 20_000, imposedOn: '2026-01-01', dueOn: '9999-10-01' },
    ],
    ['a tax assessment due in year 9999', { type: 'TAX_ASSESSMENT', amount: 100, dueOn: '9999-12-01' }],
  ])('refuses %s as malformed input', (_name, input) => {
    const parsed = FactInput.safeParse(input);
    expect(parsed.success).toBe(false);
  });

  it.each([
    ['an infraction in year 0000', { type: 'MAJOR_INFRACTION', occurredOn: '0000-03-01' }],
    [
      'a fine imposed in year 0000',
      { type: 'FINE', amount: 1, imposedOn: '0000-02-01', dueOn: '0000-03-01' },
    ],
    [
      'a fine imposed the day before the oldest policy',
      { type: 'FINE', amount: 1, imposedOn: '2021-10-31', dueOn: '2021-11-30' },
    ],
    ['a tax due the day before', { type: 'TAX_ASSESSMENT', amount: 1, dueOn: '2021-10-31' }],
  ])('refuses %s as BEFORE_FIRST_POLICY', (_name, input) => {
    const details = FactInput.parse(input);
    const record = () => factRecord(details, { factId: 'f1', recordedAt: '2026-05-01T02:00:00.000Z' });
    expect(record).toThrow(FactHistoryError);
    expect(record).toThrow(expect.objectContaining({ code: 'BEFORE_FIRST_POLICY' }) as Error);
  });

  it("accepts the oldest policy's first day, under that policy", () => {
    const details = FactInput.parse({ type: 'BRIBERY', occurredOn: '2021-11-01' });
    expect(factRecord(details, { factId: 'f1', recordedAt: '2026-03-31T02:00:00.000Z' })).toMatchObject({
      policyId: 'GAC-251-2021',
    });
    expect(factRecord(details, { factId: 'f1', recordedAt: '2026-04-01T02:00:00.000Z' })).toMatchObject({
      policyId: 'GAC-282-2026',
    });
  });

  it.each([
    ['the earliest fine', { type: 'FINE', amount: 2_000_000, imposedOn: '1900-01-01', dueOn: '1900-01-01' }],
    ['the latest fine', { type: 'FINE', amount: 20_000, imposedOn: '2026-01-01', dueOn: '2999-12-31' }],
    ['the latest tax assessment', { type: 'TAX_ASSESSMENT', amount: 100, dueOn: '2999-12-31' }],
    ['the earliest infraction', { type: 'MAJOR_INFRACTION', occurredOn: '1900-01-01' }],
  ])(
    'classifies an enterprise with %s (stored before the oldest-policy rule, or at the edge)',
    (_name, input) => {
      const enterprise = { registeredTier: 'REGULAR' as const, facts: [asFact(input)], closures: [] };
      for (const today of ['2026-05-01', '2999-12-31']) {
        expect(() => classify(enterprise, today)).not.toThrow();
        expect(() => nextTimeEvent(enterprise, today)).not.toThrow();
      }
    },
  );
});
