import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../functions/adapters/outbox/mailer.ts';
import { linkifyText, renderInbox, renderMessage } from '../../local/inbox-page.ts';
import { ClockBackwardsError, SimulatedClock } from '../../local/services/simulated-clock.ts';
import { emptyCounts } from '../../functions/usecases/sweep/counts.ts';
import { startSweepTimer } from '../../local/services/sweep.ts';
import { parseConfig } from '../../local/main.ts';

/** The runtime's parts on their own: the simulated clock, the sweep timer's rule, the inbox pages. */

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runtime-parts-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A wall clock the test moves by hand. */
function manualWall(startMs: number) {
  let ms = startMs;
  return { read: () => ms, advance: (by: number) => void (ms += by) };
}

describe('SimulatedClock', () => {
  it('starts at the wall clock in a new folder and passes with it', async () => {
    const wall = manualWall(Date.parse('2026-05-01T00:00:00Z'));
    const clock = await SimulatedClock.load({ file: join(dir, 'new-clock.json'), wall: wall.read });
    expect(clock.now().toISOString()).toBe('2026-05-01T00:00:00.000Z');
    wall.advance(90_000);
    expect(clock.now().toISOString()).toBe('2026-05-01T00:01:30.000Z');
    await clock.close();
  });

  it('moves forward only, and resumes at the persisted instant after a restart', async () => {
    const file = join(dir, 'moved-clock.json');
    const wall = manualWall(Date.parse('2026-05-01T00:00:00Z'));
    const clock = await SimulatedClock.load({ file, wall: wall.read });
    await clock.moveTo(new Date('2026-09-01T08:00:00Z'));
    wall.advance(1_000);
    expect(clock.now().toISOString()).toBe('2026-09-01T08:00:01.000Z');
    await expect(clock.moveTo(new Date('2026-08-31T00:00:00Z'))).rejects.toBeInstanceOf(ClockBackwardsError);
    expect(clock.now().toISOString()).toBe('2026-09-01T08:00:01.000Z');
    await clock.close();

    // The wall clock is far behind the simulated one: the restarted clock must not go back to it.
    const later = manualWall(Date.parse('2026-05-02T00:00:00Z'));
    const restarted = await SimulatedClock.load({ file, wall: later.read });
    expect(restarted.now().toISOString()).toBe('2026-09-01T08:00:01.000Z');
    await restarted.close();
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ now: '2026-09-01T08:00:01.000Z' });
  });

  it('refuses a clock file it cannot read rather than guessing a time', async () => {
    const file = join(dir, 'broken-clock.json');
    await writeFile(file, '{"now":"soon"}');
    await expect(SimulatedClock.load({ file })).rejects.toThrow(/valid/);
  });
});

describe('the sweep timer', () => {
  it('runs once per simulated date, and again when the date changes', async () => {
    let now = new Date('2026-05-01T02:00:00Z');
    const runs: string[] = [];
    const timer = startSweepTimer({
      intervalMs: 3_600_000,
      now: () => now,
      run: async () => {
        runs.push(now.toISOString());
        return emptyCounts();
      },
    });
    await timer.tick();
    await timer.tick();
    expect(runs).toHaveLength(1);
    expect(timer.lastRunOn()).toBe('2026-05-01');
    // 17:00 UTC is already the next day in Asia/Shanghai.
    now = new Date('2026-05-01T17:00:00Z');
    await timer.tick();
    expect(runs).toHaveLength(2);
    expect(timer.lastRunOn()).toBe('2026-05-02');
    await timer.stop();
  });

  it('runs a failed sweep again on the next tick of the same day (it acts once per duty anyway)', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const timer = startSweepTimer({
      intervalMs: 3_600_000,
      now: () => new Date('2026-05-01T02:00:00Z'),
      run: async () => {
        calls += 1;
        if (calls === 1) throw new Error('table unreachable');
        return emptyCounts();
      },
      onError: (error) => errors.push(error),
    });
    await timer.tick();
    expect(timer.lastRunOn()).toBeUndefined();
    await timer.tick();
    await timer.tick();
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
    expect(timer.lastRunOn()).toBe('2026-05-01');
    await timer.stop();
  });
});

const entry = (overrides: Partial<OutboxEntry>): OutboxEntry => ({
  id: '20260501T000000000Z-000001-0a0b0c0d',
  to: ['tax.reviewer@example.org'],
  subject: 'Review request',
  text: 'Open http://127.0.0.1:3000/review/abc to decide.',
  html: '<p>Open <a href="http://127.0.0.1:3000/review/abc">the review</a></p>',
  links: ['http://127.0.0.1:3000/review/abc'],
  sentAt: '2026-05-01T00:00:00.000Z',
  ...overrides,
});

describe('the dev inbox pages', () => {
  it('makes links clickable and keeps trailing punctuation out of them', () => {
    expect(linkifyText('See http://x.test/a?b=1&c=2. Done <b>')).toBe(
      'See <a href="http://x.test/a?b=1&amp;c=2">http://x.test/a?b=1&amp;c=2</a>. Done &lt;b&gt;',
    );
  });

  it('lists newest first and escapes what a message says', () => {
    const page = renderInbox([
      entry({ id: '20260501T000000000Z-000001-0a0b0c0d', subject: 'the oldest message' }),
      entry({ id: '20260502T000000000Z-000002-0a0b0c0d', subject: '<script>alert(1)</script>' }),
    ]);
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.indexOf('&lt;script&gt;')).toBeLessThan(page.indexOf('the oldest message'));
    expect(page).toContain('href="/_local/inbox/20260501T000000000Z-000001-0a0b0c0d"');
    expect(page).toContain('<a href="http://127.0.0.1:3000/review/abc">');
  });

  it('shows one message with its HTML part', () => {
    const page = renderMessage(entry({ to: ['a@example.org', '"x" <b@example.org>'] }));
    expect(page).toContain('<a href="http://127.0.0.1:3000/review/abc">the review</a>');
    expect(page).toContain('&quot;x&quot; &lt;b@example.org&gt;');
  });
});

describe('npm start configuration', () => {
  it('reads PORT, HOST, DATA_DIR and --no-demo with the documented defaults', () => {
    expect(parseConfig({}, [])).toEqual({ host: '127.0.0.1', port: 3000, dataDir: './.data', demo: true });
    expect(parseConfig({ PORT: '0', HOST: '::1', DATA_DIR: '/tmp/x' }, ['--no-demo'])).toEqual({
      host: '::1',
      port: 0,
      dataDir: '/tmp/x',
      demo: false,
    });
    // Beyond loopback only when asked for, with the name clients use.
    expect(() => parseConfig({ HOST: '0.0.0.0' }, [])).toThrow(/--expose/);
    expect(parseConfig({ HOST: '0.0.0.0' }, ['--expose=dev.example.internal'])).toMatchObject({
      host: '0.0.0.0',
      expose: { publicHost: 'dev.example.internal' },
    });
    expect(parseConfig({ HOST: '192.0.2.7' }, ['--expose'])).toMatchObject({
      expose: { publicHost: '192.0.2.7' },
    });
    expect(() => parseConfig({ PORT: 'eighty' }, [])).toThrow(/PORT/);
    expect(() => parseConfig({ PORT: '70000' }, [])).toThrow(/PORT/);
    expect(() => parseConfig({}, ['--demo'])).toThrow(/unknown/);
  });

  it('reads the gateway concurrency from LOCAL_CONCURRENCY and LOCAL_QUEUE_LIMIT', () => {
    expect(parseConfig({ LOCAL_CONCURRENCY: '4', LOCAL_QUEUE_LIMIT: '0' }, [])).toMatchObject({
      invocations: { concurrency: 4, maxQueued: 0 },
    });
    expect(parseConfig({ LOCAL_CONCURRENCY: '4' }, []).invocations).toEqual({ concurrency: 4 });
    expect(() => parseConfig({ LOCAL_CONCURRENCY: '0' }, [])).toThrow(/LOCAL_CONCURRENCY/);
    expect(parseConfig({ LOCAL_SLOT_WAIT_MS: '20000' }, []).invocations).toEqual({ maxWaitMs: 20_000 });
    expect(() => parseConfig({ LOCAL_SLOT_WAIT_MS: 'soon' }, [])).toThrow(/LOCAL_SLOT_WAIT_MS/);
    expect(() => parseConfig({ LOCAL_QUEUE_LIMIT: '-1' }, [])).toThrow(/LOCAL_QUEUE_LIMIT/);
  });
});
