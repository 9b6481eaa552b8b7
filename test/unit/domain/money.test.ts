import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { YuanAmount } from '../../../domain/fact-inputs.ts';
import { Fen, MoneyFormatError, fenToYuan, formatYuan, yuanToFen } from '../../../domain/money.ts';

describe('yuan to fen', () => {
  it.each([
    [0, 0],
    ['0', 0],
    [1, 100],
    [1234.5, 123450],
    ['1234.50', 123450],
    ['1234.05', 123405],
    [0.01, 1],
    [1_000_000, 100_000_000],
    [-0, 0],
  ])('%j yuan = %i fen', (yuan, fen) => {
    expect(yuanToFen(yuan)).toBe(fen);
    expect(YuanAmount.parse(yuan)).toBe(fen);
  });

  it.each([
    1.005,
    '1.005',
    -1,
    '-1',
    Number.NaN,
    Number.POSITIVE_INFINITY,
    0.1 + 0.2,
    '1e3',
    ' 1',
    '1.',
    '.5',
    'abc',
    '',
    1e21,
  ])('refuses %j', (yuan) => {
    expect(() => yuanToFen(yuan)).toThrow(MoneyFormatError);
    expect(YuanAmount.safeParse(yuan).success).toBe(false);
  });

  it('refuses amounts beyond exact integer fen', () => {
    expect(() => yuanToFen('90071992547409.92')).toThrow(/too large/);
  });

  it('refuses other JSON types', () => {
    expect(YuanAmount.safeParse(null).success).toBe(false);
    expect(YuanAmount.safeParse({ amount: 1 }).success).toBe(false);
  });

  it('round-trips every two-decimal amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e13 }), (fen) => {
        expect(yuanToFen(fenToYuan(fen))).toBe(fen);
        expect(yuanToFen(formatYuan(fen))).toBe(fen);
      }),
    );
  });
});

describe('fen to yuan', () => {
  it('formats with two decimals', () => {
    expect(formatYuan(123450)).toBe('1234.50');
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(-150)).toBe('-1.50');
    expect(fenToYuan(123405)).toBe(1234.05);
  });
  it('refuses fractional fen', () => {
    expect(() => formatYuan(1.5)).toThrow(MoneyFormatError);
    expect(() => fenToYuan(Number.NaN)).toThrow(MoneyFormatError);
  });
  it('Fen is a non-negative integer', () => {
    expect(Fen.safeParse(100).success).toBe(true);
    expect(Fen.safeParse(-1).success).toBe(false);
    expect(Fen.safeParse(1.5).success).toBe(false);
  });
});
