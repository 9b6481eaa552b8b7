import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';

/**
 * Counts the read units the store's reads consume, as DynamoDB reports them
 * (ReturnConsumedCapacity = INDEXES). Tests and benchmarks assert on these numbers instead of on time:
 * the sweep's cost must follow what is due, not the size of the table.
 */
export class ReadMeter {
  private total = 0;
  private readonly byTarget = new Map<string, number>();
  private requests = 0;

  record(consumed: ConsumedCapacity | undefined): number {
    this.requests += 1;
    if (!consumed) return 0;
    const units = consumed.CapacityUnits ?? 0;
    this.total += units;
    this.addTo('table', consumed.Table?.CapacityUnits);
    for (const [name, capacity] of Object.entries(consumed.GlobalSecondaryIndexes ?? {})) {
      this.addTo(`index:${name}`, capacity.CapacityUnits);
    }
    return units;
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

  private addTo(target: string, units: number | undefined): void {
    if (units === undefined) return;
    this.byTarget.set(target, (this.byTarget.get(target) ?? 0) + units);
  }
}
