import { afterEach, describe, expect, it } from 'vitest';
import { localDateIn } from '../../../domain/dates.ts';
import { ManualClock } from '../../../functions/adapters/memory/clock.ts';
import { clock } from '../../../functions/composition/clock.ts';
import { installPorts } from '../../../functions/composition/installed.ts';

let uninstall: () => void = () => {};
afterEach(() => uninstall());

describe('the clock handlers get', () => {
  it('follows an installed clock, even one installed after it was handed out, then the system clock again', () => {
    const handedOut = clock();
    uninstall = installPorts({ clock: new ManualClock('2030-01-02T03:04:05.678Z') });
    expect(handedOut.now().toISOString()).toBe('2030-01-02T03:04:05.678Z');
    uninstall();
    const before = Date.now();
    const read = handedOut.now().getTime();
    expect(read).toBeGreaterThanOrEqual(before);
    expect(read).toBeLessThanOrEqual(Date.now());
  });

  it('hands out copies, so a caller cannot move the clock', () => {
    uninstall = installPorts({ clock: new ManualClock('2030-01-02T03:04:05.678Z') });
    clock().now().setFullYear(1999);
    expect(clock().now().toISOString()).toBe('2030-01-02T03:04:05.678Z');
  });

  it('dates the day in Asia/Shanghai (UTC+8), not in UTC', () => {
    // 15:59:59 UTC is 23:59:59 in Shanghai; one second later it is the next day there.
    const manual = new ManualClock('2026-03-31T15:59:59.999Z');
    uninstall = installPorts({ clock: manual });
    expect(localDateIn(clock().now())).toBe('2026-03-31');
    manual.set('2026-03-31T16:00:00.000Z');
    expect(localDateIn(clock().now())).toBe('2026-04-01');
    manual.set('2026-12-31T16:30:00Z');
    expect(localDateIn(clock().now())).toBe('2027-01-01');
  });
});
