import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { addMonths, localDateIn } from '../domain/dates.ts';
import { startEmbeddedRuntime } from '../test/support/embedded-runtime.ts';
import { send, type Reply, type SendOptions } from '../test/support/http-client.ts';
import type { BenchLine } from './line.ts';
import { progress } from './progress.ts';

/**
 * `load.latency_ms`: p50 and p99 of GET /applications/{id} and POST /applications with 32
 * concurrent clients over HTTP on the embedded runtime (one process: the gateway, the handlers,
 * dynalite and the ASL engine share its event loop and this machine's two cores). The baseline is
 * GET /health under the same concurrency in the same run: the gateway and handler framework without
 * any table call. Each POST is for an enterprise of its own, made eligible beforehand (an arrear
 * paid eight months ago), as an application per enterprise is what the rules allow.
 */

const CLIENTS = 32;

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

interface Run {
  readonly latencies: number[];
  serverErrors: number;
  readonly statuses: Map<number, number>;
  /** Where a slow request's time went: garbage collection, and the event loop kept from running. */
  readonly stalls: { gcMaxMs: number; gcTotalMs: number; loopDelayP99Ms: number; loopDelayMaxMs: number };
}

/** Sends `total` requests from CLIENTS concurrent clients, each request made by `request(i)`. */
async function drive(total: number, request: (i: number) => Promise<Reply>): Promise<Run> {
  const run: Run = {
    latencies: [],
    serverErrors: 0,
    statuses: new Map(),
    stalls: { gcMaxMs: 0, gcTotalMs: 0, loopDelayP99Ms: 0, loopDelayMaxMs: 0 },
  };
  const gc = new PerformanceObserver((entries) => {
    for (const entry of entries.getEntries()) {
      run.stalls.gcTotalMs += entry.duration;
      run.stalls.gcMaxMs = Math.max(run.stalls.gcMaxMs, entry.duration);
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let next = 0;
  const client = async (): Promise<void> => {
    for (let i = next++; i < total; i = next++) {
      const started = performance.now();
      const reply = await request(i);
      run.latencies.push(performance.now() - started);
      run.statuses.set(reply.status, (run.statuses.get(reply.status) ?? 0) + 1);
      if (reply.status >= 500) run.serverErrors += 1;
    }
  };
  try {
    await Promise.all(Array.from({ length: CLIENTS }, client));
  } finally {
    gc.disconnect();
    loop.disable();
  }
  run.stalls.loopDelayP99Ms = loop.percentile(99) / 1e6;
  run.stalls.loopDelayMaxMs = loop.max / 1e6;
  run.latencies.sort((a, b) => a - b);
  return run;
}

const round = (value: number): number => Number(value.toFixed(1));

export async function* loadBench(options: { quick: boolean }): AsyncIterable<BenchLine> {
  const reads = options.quick ? 320 : 2_000;
  const writes = options.quick ? 64 : 320;
  progress('load: starting the embedded runtime');
  const embedded = await startEmbeddedRuntime('bench-load');
  const { runtime } = embedded;
  try {
    const token = async (query: string): Promise<string> =>
      (await send(runtime.url, 'GET', `/_local/token?${query}`)).body.token as string;
    const officer = await token('role=officer');
    const asOfficer = (json: unknown): SendOptions => ({ token: officer, json });
    const today = localDateIn(runtime.clock.now());
    const prefix = `L${String(Date.now()).slice(-3)}`;
    const ids = Array.from({ length: writes + 1 }, (_, n) => `${prefix}${String(n).padStart(6, '0')}`);

    progress(`load: registering ${ids.length} eligible enterprises`);
    await drive(ids.length, async (i) => {
      const id = ids[i] ?? '';
      const created = await send(
        runtime.url,
        'POST',
        '/enterprises',
        asOfficer({ id, name: `Load ${id}`, contactEmail: `ops@${id.toLowerCase()}.test` }),
      );
      if (created.status !== 201) throw new Error(`POST /enterprises: ${created.status} ${created.text}`);
      const fact = await send(
        runtime.url,
        'POST',
        `/enterprises/${id}/facts`,
        asOfficer({ type: 'TAX_ASSESSMENT', amount: 80_000, dueOn: addMonths(today, -12) }),
      );
      const factId = (fact.body.fact as { id: string }).id;
      return send(
        runtime.url,
        'POST',
        `/enterprises/${id}/facts/${factId}/payment`,
        asOfficer({ paidOn: addMonths(today, -8) }),
      );
    });
    const applicantOf = new Map<string, string>();
    for (const id of ids) applicantOf.set(id, await token(`role=applicant&enterprise=${id}`));
    const apply = (id: string): Promise<Reply> =>
      send(runtime.url, 'POST', '/applications', {
        token: applicantOf.get(id) ?? '',
        headers: { 'idempotency-key': randomUUID() },
        json: { enterpriseId: id, statement: 'Taxes paid in full.' },
      });
    const readId = ids[writes] ?? '';
    const first = await apply(readId);
    if (first.status !== 201) throw new Error(`POST /applications: ${first.status} ${first.text}`);
    const applicationId = first.body.id as string;
    const readToken = applicantOf.get(readId) ?? '';

    progress(`load: ${reads} GET /health (baseline), ${CLIENTS} clients`);
    const health = await drive(reads, () => send(runtime.url, 'GET', '/health'));
    progress(`load: ${reads} GET /applications/{id}, ${CLIENTS} clients`);
    const gets = await drive(reads, () =>
      send(runtime.url, 'GET', `/applications/${applicationId}`, { token: readToken }),
    );
    progress(`load: ${writes} POST /applications, ${CLIENTS} clients`);
    const posts = await drive(writes, (i) => apply(ids[i] ?? ''));

    const baselineP50 = percentile(health.latencies, 50);
    for (const [route, run, total] of [
      ['GET /applications/{id}', gets, reads],
      ['POST /applications', posts, writes],
    ] as const) {
      const p50 = percentile(run.latencies, 50);
      const p99 = percentile(run.latencies, 99);
      for (const [stat, value] of [
        ['p50', p50],
        ['p99', p99],
      ] as const) {
        yield {
          name: 'load.latency_ms',
          value: round(value),
          unit: 'ms',
          baseline: round(stat === 'p50' ? baselineP50 : percentile(health.latencies, 99)),
          ratio: Number(
            ((stat === 'p50' ? baselineP50 : percentile(health.latencies, 99)) / value).toPrecision(3),
          ),
          params: {
            route,
            stat,
            clients: CLIENTS,
            requests: total,
            p99OverP50: round(p99 / p50),
            serverErrors: run.serverErrors,
            statuses: JSON.stringify(Object.fromEntries(run.statuses)),
            gcMaxMs: round(run.stalls.gcMaxMs),
            gcTotalMs: round(run.stalls.gcTotalMs),
            loopDelayP99Ms: round(run.stalls.loopDelayP99Ms),
            loopDelayMaxMs: round(run.stalls.loopDelayMaxMs),
            baselineP99OverP50: round(percentile(health.latencies, 99) / baselineP50),
            baseline: 'GET /health at the same concurrency, same run',
          },
        };
      }
    }
  } finally {
    await embedded.stop();
  }
}
