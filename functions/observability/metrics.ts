import { SERVICE_NAME } from './logger.ts';

/**
 * Counts as CloudWatch metrics, written as CloudWatch's Embedded Metric Format (EMF): on Lambda,
 * CloudWatch Logs turns the line into metrics; on this machine it is a JSON line on stdout.
 *
 * Written here rather than with Powertools metrics (10.5 KB of the sweep's bundle): the sweep
 * publishes one fixed set of counts once a run, which needs none of its buffering, validation or
 * cold-start metric. The line is the one Powertools wrote for the same counts: the namespace, the
 * `service` dimension (the logger's service name), every count a metric of unit Count.
 */

export const METRICS_NAMESPACE = 'CreditRepair';

/** The dimension every metric carries, as Powertools' default dimension did. */
export const SERVICE_DIMENSION = 'service';

/** EMF takes at most 100 metrics in one directive. */
const MAX_METRICS_PER_RECORD = 100;

/** One EMF record: the metadata under `_aws`, then the dimension's and the metrics' values. */
export interface EmfRecord {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { readonly Name: string; readonly Unit: 'Count' }[];
    }[];
  };
  readonly [member: string]: unknown;
}

/** The EMF records of the counts at `timestamp` (ms since the epoch): one per 100 counts. */
export function countRecords(counts: Readonly<Record<string, number>>, timestamp: number): EmfRecord[] {
  const entries = Object.entries(counts);
  const records: EmfRecord[] = [];
  for (let start = 0; start < entries.length; start += MAX_METRICS_PER_RECORD) {
    const slice = entries.slice(start, start + MAX_METRICS_PER_RECORD);
    records.push({
      _aws: {
        Timestamp: timestamp,
        CloudWatchMetrics: [
          {
            Namespace: METRICS_NAMESPACE,
            Dimensions: [[SERVICE_DIMENSION]],
            Metrics: slice.map(([name]) => ({ Name: name, Unit: 'Count' })),
          },
        ],
      },
      [SERVICE_DIMENSION]: SERVICE_NAME,
      ...Object.fromEntries(slice),
    });
  }
  return records;
}

const TRUTHY = new Set(['1', 'y', 'yes', 't', 'true', 'on']);
const truthy = (name: string): boolean => TRUTHY.has((process.env[name] ?? '').toLowerCase());

/**
 * The switches Powertools metrics honoured, kept so tests and benchmarks stay quiet as before:
 * `POWERTOOLS_METRICS_DISABLED` when set, else `POWERTOOLS_DEV` (the logger's development mode).
 */
export function metricsDisabled(): boolean {
  const disabled = process.env.POWERTOOLS_METRICS_DISABLED;
  return disabled !== undefined ? truthy('POWERTOOLS_METRICS_DISABLED') : truthy('POWERTOOLS_DEV');
}

/**
 * Publishes every count as a metric: one EMF line on stdout, written past the runtime's console
 * (which would prefix it on Lambda) as Powertools did.
 */
export function publishCounts(
  counts: Readonly<Record<string, number>>,
  write: (line: string) => void = (line) => process.stdout.write(line),
): void {
  if (metricsDisabled()) return;
  for (const record of countRecords(counts, Date.now())) write(`${JSON.stringify(record)}\n`);
}
