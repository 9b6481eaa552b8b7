import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { SERVICE_NAME } from './logger.ts';
import { COST_COUNTERS, DUTY_COUNTERS, type SweepCounts } from '../usecases/sweep/counts.ts';

/**
 * One CloudWatch metric per duty (and the run's cost), published as EMF: on Lambda CloudWatch turns
 * the log line into metrics; on this machine it is a JSON line on stdout.
 */

export const METRICS_NAMESPACE = 'CreditRepair';

export function createSweepMetrics(): Metrics {
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
}

let shared: Metrics | undefined;

export function sharedSweepMetrics(): Metrics {
  shared ??= createSweepMetrics();
  return shared;
}

/** Adds every count as a metric of the namespace; the caller publishes (or serializes) them. */
export function addSweepMetrics(metrics: Metrics, counts: SweepCounts): void {
  for (const name of [...DUTY_COUNTERS, ...COST_COUNTERS]) {
    metrics.addMetric(name, MetricUnit.Count, counts[name]);
  }
}
