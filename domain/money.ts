import * as z from './zod.ts';

/**
 * Money arrives in yuan with at most two decimals and is kept as integer fen everywhere after
 * the edge, so sums and comparisons against thresholds are exact.
 */

const FEN_PER_YUAN = 100;
const YUAN_TEXT = /^(\d+)(?:\.(\d{1,2}))?$/;

export class MoneyFormatError extends RangeError {
  override readonly name = 'MoneyFormatError';
}

/**
 * Yuan as a number (1234.5) or a decimal string ('1234.50') → integer fen. Numbers are read
 * through their shortest decimal form, so 0.1 + 0.2 (0.30000000000000004) is refused rather than
 * silently rounded: an amount with more than two decimals is an input error, not a rounding case.
 */
export function yuanToFen(yuan: number | string): number {
  const text = typeof yuan === 'number' ? String(Object.is(yuan, -0) ? 0 : yuan) : yuan;
  const match = YUAN_TEXT.exec(text);
  if (!match) {
    throw new MoneyFormatError(
      `not a non-negative yuan amount with at most two decimals: ${JSON.stringify(yuan)}`,
    );
  }
  const fen = Number(match[1]) * FEN_PER_YUAN + Number((match[2] ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(fen)) throw new MoneyFormatError(`amount too large: ${text}`);
  return fen;
}

/** Integer fen → yuan as a number (for JSON output). */
export function fenToYuan(fen: number): number {
  if (!Number.isSafeInteger(fen)) throw new MoneyFormatError(`not an integer number of fen: ${fen}`);
  return fen / FEN_PER_YUAN;
}

/** Integer fen → '1234.50' (for messages and documents). */
export function formatYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new MoneyFormatError(`not an integer number of fen: ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / FEN_PER_YUAN)}.${String(abs % FEN_PER_YUAN).padStart(2, '0')}`;
}

/** An amount kept in fen: a non-negative safe integer. */
export const Fen = /* @__PURE__ */ z.schema(() =>
  z.number().check(z.int(), z.nonnegative(), z.maximum(Number.MAX_SAFE_INTEGER)),
);
export type Fen = z.infer<typeof Fen>;
