import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { SERVICE_NAME } from './logger.ts';

/**
 * Counts as CloudWatch metrics, published as EMF: on Lambda CloudWatch turns the log line into
 * metrics; on this machine it is a JSON line on stdout.
 */

export const METRICS_NAMESPACE = 'CreditRepair';

let shared: Metrics | undefined;

export function sharedMetrics(): Metrics {
  shared ??= new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
  return shared;
}

/** Adds every count as a metric of the namespace; the caller publishes (or serializes) them. */
export function addCountMetrics(metrics: Metrics, counts: Readonly<Record<string, number>>): void {
  for (const [name, value] of Object.entries(counts)) metrics.addMetric(name, MetricUnit.Count, value);
}

/** Publishes every count as a metric, one EMF line. */
export function publishCounts(counts: Readonly<Record<string, number>>): void {
  const metrics = sharedMetrics();
  addCountMetrics(metrics, counts);
  metrics.publishStoredMetrics();
}
