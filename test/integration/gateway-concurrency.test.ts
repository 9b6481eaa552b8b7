import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { httpHandler } from '../../functions/http/handler.ts';
import { json } from '../../functions/http/response.ts';
import { API_FUNCTION_TIMEOUT_SECONDS, type RouteDefinition } from '../../functions/http/route.ts';
import { createGateway, type GatewayOptions } from '../../local/gateway/gateway.ts';

/**
 * Lambda's concurrency at the embedded gateway, through real sockets: more requests at once than
 * slots all complete, never more handlers run at once than there are slots, a queued request's
 * handler gets its whole function timeout (middy answers a timeout when the context's deadline is
 * near, so a deadline counted from the request's arrival would fail the later ones), and what the
 * gateway answers when the queue is full or a request waits or runs past the integration limit.
 */

const ROUTE: RouteDefinition = {
  method: 'GET',
  path: '/slow',
  module: 'test/integration/gateway-concurrency.test.ts',
  exportName: 'slow',
  auth: 'public',
  summary: 'holds its slot for a while',
  tag: 'test',
  responses: { 200: { description: 'done' } },
};

interface Observed {
  running: number;
  peak: number;
  started: number;
  finished: number;
  /** `context.getRemainingTimeInMillis()` as each handler started. */
  remainingAtStart: number[];
}

function slowHandler(holdMs: number, observed: Observed) {
  return httpHandler({
    auth: 'public',
    handle: async ({ context }) => {
      observed.remainingAtStart.push(context.getRemainingTimeInMillis());
      observed.started += 1;
      observed.running += 1;
      observed.peak = Math.max(observed.peak, observed.running);
      try {
        await sleep(holdMs);
      } finally {
        observed.running -= 1;
        observed.finished += 1;
      }
      return json(200, { ok: true });
    },
  });
}

let server: Server | undefined;

afterEach(async () => {
  const closing = server;
  server = undefined;
  if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
});

async function serve(
  holdMs: number,
  options: Partial<GatewayOptions>,
): Promise<{ base: string; observed: Observed }> {
  const observed: Observed = { running: 0, peak: 0, started: 0, finished: 0, remainingAtStart: [] };
  const handler = slowHandler(holdMs, observed);
  server = createGateway({
    routes: [ROUTE],
    auth: () => Promise.reject(new Error('no tokens here')),
    resolveHandler: () => Promise.resolve(handler),
    onError: () => undefined,
    ...options,
  });
  const listening = server;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(listening.address() as AddressInfo).port}`, observed };
}

const get = async (base: string) => {
  const response = await fetch(`${base}/slow`);
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: await response.json(),
  };
};

describe('the gateway runs a bounded number of handlers at once', () => {
  it('queues what is beyond its slots: all complete, at most N run at once, each with its whole timeout', async () => {
    const functionTimeoutMs = 1_000;
    const holdMs = 300;
    // Ten requests, two slots: five waves of 300 ms, so the last ones start ~1.2 s after arriving,
    // later than a deadline counted from their arrival would allow.
    const { base, observed } = await serve(holdMs, { invocations: { concurrency: 2 }, functionTimeoutMs });
    const answers = await Promise.all(Array.from({ length: 10 }, () => get(base)));

    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(observed.finished).toBe(10);
    expect(observed.peak).toBe(2);
    // The deadline starts when the handler starts, not when the request arrived.
    for (const remaining of observed.remainingAtStart)
      expect(remaining).toBeGreaterThan(functionTimeoutMs * 0.75);
  });

  it("gives a handler the deployed API function's timeout by default", async () => {
    const { base, observed } = await serve(0, {});
    expect((await get(base)).status).toBe(200);
    const [remaining] = observed.remainingAtStart;
    expect(remaining).toBeLessThanOrEqual(API_FUNCTION_TIMEOUT_SECONDS * 1_000);
    expect(remaining).toBeGreaterThan(API_FUNCTION_TIMEOUT_SECONDS * 1_000 - 1_000);
  });

  it('answers 503 with Retry-After, without running it, when the queue is full', async () => {
    const { base, observed } = await serve(300, { invocations: { concurrency: 1, maxQueued: 1 } });
    const answers = await Promise.all(Array.from({ length: 3 }, () => get(base)));

    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 503]);
    const refused = answers.find((a) => a.status === 503);
    expect(refused?.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
    expect(refused?.retryAfter).toBe('1');
    expect(observed.started).toBe(2);
  });

  it('keeps the integration limit end to end: 503 for a request still waiting, 504 for one still running', async () => {
    const { base, observed } = await serve(800, {
      invocations: { concurrency: 1 },
      integrationTimeoutMs: 300,
    });
    const [running, waiting] = await Promise.all([get(base), (await sleep(20), get(base))]);

    expect(running.status).toBe(504);
    expect(running.body).toMatchObject({ code: 'GATEWAY_TIMEOUT' });
    expect(waiting.status).toBe(503);
    expect(waiting.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    // As on AWS, the function runs on after the gateway gave up on it; the refused one never ran.
    await sleep(800);
    expect(observed.finished).toBe(1);
    expect(observed.started).toBe(1);
  });

  it('refuses a request with 503 once it waited the integration limit less the function timeout, rather than run it into a 504', async () => {
    // A slot frees at ~400 ms; started then, the second handler would still run at 700 ms (504).
    // By default it waits at most 700 - 500 = 200 ms, and is refused without running.
    const { base, observed } = await serve(400, {
      invocations: { concurrency: 1 },
      integrationTimeoutMs: 700,
      functionTimeoutMs: 500,
    });
    const sent = Date.now();
    const [first, late] = await Promise.all([
      get(base),
      (await sleep(20), get(base).then((a) => ({ ...a, at: Date.now() - sent }))),
    ]);

    expect(first.status).toBe(200);
    expect(late.status).toBe(503);
    expect(late.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(late.retryAfter).toBe('1');
    expect(late.at).toBeLessThan(400);
    await sleep(500);
    expect(observed.started).toBe(1);
  });

  it('waits as long as invocations.maxWaitMs says (LOCAL_SLOT_WAIT_MS), never past the integration limit', async () => {
    const { base, observed } = await serve(300, {
      invocations: { concurrency: 1, maxWaitMs: 100 },
      integrationTimeoutMs: 5_000,
      functionTimeoutMs: 1_000,
    });
    const answers = await Promise.all([get(base), (await sleep(20), get(base))]);

    expect(answers.map((a) => a.status)).toEqual([200, 503]);
    expect(observed.started).toBe(1);
  });
});
