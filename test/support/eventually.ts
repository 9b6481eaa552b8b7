import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls until `probe` returns a value (not undefined): the workflow moves on asynchronously after
 * each request. The deadline only keeps a broken run from hanging; no test asserts on time.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(20);
  }
}
