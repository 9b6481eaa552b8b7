/**
 * Counts the read units a store's reads consume, as DynamoDB reports them (ReturnConsumedCapacity =
 * INDEXES; the in-memory store estimates them by the same rules). Tests and benchmarks assert on
 * these numbers instead of on time: the sweep's cost must follow what is due, not the size of the table.
 */

/** What one read request consumed: its units in all, and by target (`table`, `index:<name>`). */
export interface ConsumedReads {
  readonly units: number;
  readonly byTarget: Readonly<Record<string, number>>;
}

export class ReadMeter {
  private total = 0;
  private readonly byTarget = new Map<string, number>();
  private requests = 0;

  /** Counts one read request; a request the service reported no capacity for counts 0 units. */
  record(consumed: ConsumedReads | undefined): number {
    this.requests += 1;
    if (!consumed) return 0;
    this.total += consumed.units;
    for (const [target, units] of Object.entries(consumed.byTarget)) {
      this.byTarget.set(target, (this.byTarget.get(target) ?? 0) + units);
    }
    return consumed.units;
  }

  /** Total read units since creation or the last reset. */
  get readUnits(): number {
    return this.total;
  }

  /** Read requests sent (one per Query page or GetItem). */
  get readRequests(): number {
    return this.requests;
  }

  /** Units by target: `table` and `index:<name>`. */
  breakdown(): Record<string, number> {
    return Object.fromEntries(this.byTarget);
  }

  reset(): void {
    this.total = 0;
    this.requests = 0;
    this.byTarget.clear();
  }
}
