import { describe, expect, it } from 'vitest';
import { classify, nextTimeEvent } from '../../../domain/classification.ts';
import { FactInput, type Fact } from '../../../domain/facts.ts';

/**
 * Every date an officer can send on a fact must stay within what the rules' arithmetic can reach
 * (12 months back for a window, up to 6 months ahead for arrears and years more for a listing),
 * or a single accepted fact makes every later classification of the enterprise throw.
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
    ['an infraction in year 0000', { type: 'MAJOR_INFRACTION', occurredOn: '0000-03-01' }],
    [
      'a fine imposed in year 0000',
      { type: 'FINE', amount: 1, imposedOn: '0000-02-01', dueOn: '0000-03-01' },
    ],
  ])('refuses %s as malformed input', (_name, input) => {
    const parsed = FactInput.safeParse(input);
    expect(parsed.success).toBe(false);
  });

  it.each([
    ['the earliest fine', { type: 'FINE', amount: 2_000_000, imposedOn: '1900-01-01', dueOn: '1900-01-01' }],
    ['the latest fine', { type: 'FINE', amount: 20_000, imposedOn: '2026-01-01', dueOn: '2999-12-31' }],
    ['the latest tax assessment', { type: 'TAX_ASSESSMENT', amount: 100, dueOn: '2999-12-31' }],
    ['the earliest infraction', { type: 'MAJOR_INFRACTION', occurredOn: '1900-01-01' }],
  ])('classifies an enterprise with %s accepted at the edge of the range', (_name, input) => {
    const enterprise = { registeredTier: 'REGULAR' as const, facts: [asFact(input)], restorations: [] };
    for (const today of ['2026-05-01', '2999-12-31']) {
      expect(() => classify(enterprise, today)).not.toThrow();
      expect(() => nextTimeEvent(enterprise, today)).not.toThrow();
    }
  });
});
