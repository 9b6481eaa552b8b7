import { describe, expect, it } from 'vitest';
import { emptyCounts, DUTY_COUNTERS } from '../../../functions/usecases/sweep/counts.ts';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { addCountMetrics, METRICS_NAMESPACE } from '../../../functions/observability/metrics.ts';
import { SERVICE_NAME } from '../../../functions/observability/logger.ts';
import { sweepDayOf } from '../../../functions/schedule/sweep.ts';

describe('the Scheduler event', () => {
  it('sweeps the Shanghai date of the scheduled time, whenever the invocation runs', () => {
    // 02:00 in Shanghai is 18:00 UTC the day before.
    expect(sweepDayOf({ scheduledTime: '2026-05-03T18:00:00Z' })).toBe('2026-05-04');
    expect(sweepDayOf({ time: '2026-05-04T15:59:59Z' })).toBe('2026-05-04');
    expect(sweepDayOf({ time: '2026-05-04T16:00:00Z' })).toBe('2026-05-05');
  });

  it("falls back to the clock's today without a time", () => {
    expect(sweepDayOf(undefined)).toBeUndefined();
    expect(sweepDayOf({})).toBeUndefined();
    expect(sweepDayOf({ 'detail-type': 'Scheduled Event', source: 'aws.scheduler' })).toBeUndefined();
  });

  it('refuses a time that is not an ISO instant', () => {
    expect(() => sweepDayOf({ scheduledTime: 'tomorrow' })).toThrow();
    expect(() => sweepDayOf('2026-05-04')).toThrow();
  });
});

describe('sweep metrics', () => {
  it('publishes one metric per duty and cost counter in the CreditRepair namespace', () => {
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
    const counts = { ...emptyCounts(), reviewReminders: 3, readUnits: 12.5, failed: 1 };
    addCountMetrics(metrics, counts);
    const emf = metrics.serializeMetrics() as unknown as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] };
    };
    const directive = emf._aws.CloudWatchMetrics[0]!;
    expect(directive.Namespace).toBe(METRICS_NAMESPACE);
    expect(directive.Metrics.map((m) => m.Name)).toEqual(
      expect.arrayContaining([...DUTY_COUNTERS, 'itemsRead', 'readUnits', 'failed']),
    );
    expect(emf).toMatchObject({ reviewReminders: 3, readUnits: 12.5, failed: 1, arrearsDetermined: 0 });
  });
});
