import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/api/routes.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../../functions/http/middleware.ts';
import { pathParamNames } from '../../functions/http/route.ts';
import { DEFAULT_GATEWAY_MAX_BODY_BYTES } from '../../local/gateway/gateway.ts';
import type { Runtime } from '../../local/runtime.ts';
import { startEmbeddedRuntime, type EmbeddedRuntime } from '../support/embedded-runtime.ts';
import { fuzzWorld } from '../support/fuzz/fuzz-setup.ts';
import { distinctFindings, runRouteFuzz } from '../support/fuzz/route-fuzz.ts';
import { fuzzRoutes, type Credentials, type KnownIds } from '../support/fuzz/route-requests.ts';
import { digestDiff, settledDigest, stateDigest } from '../support/fuzz/state-digest.ts';
import { send } from '../support/http-client.ts';
import { seedFrom } from '../support/prng.ts';

/**
 * Issue 13, "Fuzz": requests derived from the route table's zod schemas, mutated, and raw bytes,
 * over every route the embedded runtime serves (the API, the `/review/*` forms, `/_local/*` and the
 * console), through its real gateway: no 5xx, no unhandled rejection, no state change from a
 * refused request, oversize bodies refused before they are parsed. A small run here;
 * `npm run bench -- --fuzz` runs thousands (`FUZZ_SEED=` replays a run, `FUZZ_RUNS=` sizes it).
 */

let runtime: Runtime;
let embedded: EmbeddedRuntime | undefined;
let known: KnownIds;
let credentials: Credentials;
const rejections: unknown[] = [];
const onRejection = (reason: unknown): void => void rejections.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  embedded = await startEmbeddedRuntime('route-fuzz');
  runtime = embedded.runtime;
  ({ known, credentials } = await fuzzWorld(runtime));
}, 60_000);

afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  await embedded?.stop();
});

describe('route fuzz', () => {
  it('answers every generated request without a 5xx, a malformed error or a change from a refused request', async () => {
    const seed = seedFrom('FUZZ_SEED');
    const runs = Number(process.env.FUZZ_RUNS ?? 150);
    const report = await runRouteFuzz(runtime, { runs, seed, known, credentials }, () => rejections);
    const reached = Object.values(report.statuses).flatMap((byStatus) => Object.keys(byStatus).map(Number));
    // The run got past authentication and validation somewhere, or it tested nothing.
    expect(reached.some((status) => status >= 200 && status < 300)).toBe(true);
    if (process.env.FUZZ_STATUSES) console.log(JSON.stringify(report.statuses));
    expect(distinctFindings(report.findings), `seed ${seed} (replay with FUZZ_SEED=${seed})`).toEqual([]);
  }, 120_000);
});

describe('oversize bodies', () => {
  const bodyRoutes = ROUTES.filter((route) => route.request?.body !== undefined);

  const pathOf = (path: string): string => {
    let filled = path;
    for (const name of pathParamNames(path)) {
      const value =
        name === 'linkId'
          ? known.linkIds[0]
          : name === 'factId'
            ? known.facts[0]
            : name === 'party'
              ? 'CUSTOMS'
              : path.startsWith('/enterprises')
                ? known.enterprises[0]
                : known.applications[0];
      filled = filled.replace(`{${name}}`, value ?? 'x');
    }
    return filled;
  };

  const tokenFor = (roles: readonly string[] | undefined): string =>
    roles === undefined || roles.includes('officer') ? credentials.officer : credentials.applicants[0]!;

  it.each([
    ['over the handler limit', DEFAULT_MAX_BODY_BYTES + 1],
    ['over the gateway limit', DEFAULT_GATEWAY_MAX_BODY_BYTES + 1],
  ])(
    'refuses a body %s with 413 before parsing it (it is not even JSON), changing nothing',
    async (_, size) => {
      const before = await settledDigest(runtime.dataDir);
      const targets = [
        ...bodyRoutes.map((r) => ({ ...r, mediaType: r.request?.body?.mediaType })),
        // The controls that take a body, from their exported schemas (local/controls.ts).
        ...fuzzRoutes()
          .filter((r) => r.path.startsWith('/_local/') && (r.body !== undefined || r.bodyArb !== undefined))
          .map((r) => ({ method: r.method, path: r.path, roles: undefined, mediaType: undefined })),
      ];
      for (const route of targets) {
        const form = route.mediaType === 'application/x-www-form-urlencoded';
        const reply = await send(runtime.url, route.method, pathOf(route.path), {
          token: tokenFor(route.roles),
          headers: { 'idempotency-key': `oversize-${size}` },
          raw: Buffer.alloc(size, '{'),
          contentType: form ? 'application/x-www-form-urlencoded' : 'application/json',
        });
        expect({
          route: `${route.method} ${route.path}`,
          status: reply.status,
          code: reply.body.code,
        }).toEqual({
          route: `${route.method} ${route.path}`,
          status: 413,
          code: 'PAYLOAD_TOO_LARGE',
        });
      }
      expect(digestDiff(before, await stateDigest(runtime.dataDir))).toEqual([]);
    },
  );
});
