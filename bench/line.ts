/** One benchmark result, printed as one JSON line (CONTRACT.md). */
export interface BenchLine {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: number;
  /** baseline / value: how many times the baseline costs what the measured thing costs. */
  readonly ratio?: number;
  readonly params?: Readonly<Record<string, string | number | boolean>>;
}
