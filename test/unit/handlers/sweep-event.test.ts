import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { COST_COUNTERS, emptyCounts, DUTY_COUNTERS } from '../../../functions/usecases/sweep/counts.ts';
import { METRICS_NAMESPACE, publishCounts } from '../../../functions/observability/metrics.ts';
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
  // CloudWatch's Embedded Metric Format: a root `_aws` member with the timestamp and the metric
  // directives; every dimension and metric a directive names is a root member holding its value.
  const EmfLine = z
    .object({
      _aws: z.object({
        Timestamp: z.number().int().nonnegative(),
        CloudWatchMetrics: z
          .array(
            z.object({
              Namespace: z.string().min(1).max(1024),
              Dimensions: z.array(z.array(z.string().min(1).max(250)).max(30)),
              Metrics: z
                .array(z.strictObject({ Name: z.string().min(1).max(1024), Unit: z.literal('Count') }))
                .max(100),
            }),
          )
          .length(1),
      }),
    })
    .loose();

  const published = (counts: Record<string, number>): string[] => {
    const lines: string[] = [];
    publishCounts(counts, (line) => lines.push(line));
    return lines;
  };

  beforeEach(() => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', undefined);
    vi.stubEnv('POWERTOOLS_DEV', undefined);
  });
  afterEach(() => vi.unstubAllEnvs());

  it('publishes one EMF line, one Count metric per duty and cost counter in the CreditRepair namespace', () => {
    const counts = { ...emptyCounts(), reviewReminders: 3, readUnits: 12.5, failed: 1 };
    const before = Date.now();
    const lines = published(counts);
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    const record = EmfLine.parse(JSON.parse(line)) as z.infer<typeof EmfLine> & Record<string, unknown>;
    const directive = record._aws.CloudWatchMetrics[0]!;
    expect(directive.Namespace).toBe(METRICS_NAMESPACE);
    expect(directive.Dimensions).toEqual([['service']]);
    expect(directive.Metrics.map((m) => m.Name)).toEqual([...DUTY_COUNTERS, ...COST_COUNTERS]);
    for (const name of directive.Dimensions.flat()) expect(typeof record[name]).toBe('string');
    for (const { Name } of directive.Metrics) expect(typeof record[Name]).toBe('number');
    expect(record.service).toBe(SERVICE_NAME);
    expect(record).toMatchObject({ reviewReminders: 3, readUnits: 12.5, failed: 1, arrearsDetermined: 0 });
    expect(record._aws.Timestamp).toBeGreaterThanOrEqual(before);
    expect(record._aws.Timestamp).toBeLessThanOrEqual(Date.now());
  });

  it("keeps each line within EMF's 100 metrics", () => {
    const counts = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`count${i}`, i]));
    const records = published(counts).map(
      (line) => EmfLine.parse(JSON.parse(line)) as Record<string, unknown>,
    );
    expect(
      records.map((r) => (r as z.infer<typeof EmfLine>)._aws.CloudWatchMetrics[0]!.Metrics.length),
    ).toEqual([100, 50]);
    expect(records[1]).toMatchObject({ count100: 100, count149: 149, service: SERVICE_NAME });
    expect(records[1]).not.toHaveProperty('count99');
  });

  it('publishes nothing when POWERTOOLS_METRICS_DISABLED is on, or unset under POWERTOOLS_DEV', () => {
    const counts = emptyCounts();
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    expect(published(counts)).toEqual([]);
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    vi.stubEnv('POWERTOOLS_DEV', 'true');
    expect(published(counts)).toHaveLength(1);
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', undefined);
    expect(published(counts)).toEqual([]);
    vi.stubEnv('POWERTOOLS_DEV', 'false');
    expect(published(counts)).toHaveLength(1);
  });
});
