import { afterEach, describe, expect, it } from 'vitest';
import { now, nowIso, setClockSource, today } from '../../../functions/composition/clock.ts';

afterEach(() => setClockSource(null));

describe('the clock port', () => {
  it('follows an installed source and returns to the system clock when it is removed', () => {
    setClockSource(() => new Date('2030-01-02T03:04:05.678Z'));
    expect(nowIso()).toBe('2030-01-02T03:04:05.678Z');
    setClockSource(null);
    const before = Date.now();
    const read = now().getTime();
    expect(read).toBeGreaterThanOrEqual(before);
    expect(read).toBeLessThanOrEqual(Date.now());
  });

  it('hands out copies, so a caller cannot move the source', () => {
    const fixed = new Date('2030-01-02T03:04:05.678Z');
    setClockSource(() => fixed);
    now().setFullYear(1999);
    expect(nowIso()).toBe('2030-01-02T03:04:05.678Z');
  });

  it('dates the day in Asia/Shanghai (UTC+8), not in UTC', () => {
    // 15:59:59 UTC is 23:59:59 in Shanghai; one second later it is the next day there.
    setClockSource(() => new Date('2026-03-31T15:59:59.999Z'));
    expect(today()).toBe('2026-03-31');
    setClockSource(() => new Date('2026-03-31T16:00:00.000Z'));
    expect(today()).toBe('2026-04-01');
    setClockSource(() => new Date('2026-12-31T16:30:00Z'));
    expect(today()).toBe('2027-01-01');
  });
});
