import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRuntime } from '../local/runtime.ts';
import { fuzzWorld } from '../test/support/fuzz/fuzz-setup.ts';
import { distinctFindings, runRouteFuzz } from '../test/support/fuzz/route-fuzz.ts';
import { seedFrom } from '../test/support/prng.ts';
import type { BenchLine } from './line.ts';

/**
 * `npm run bench -- --fuzz`: the route fuzz of the test suite at volume (`--runs=N`, 5000 by
 * default; `FUZZ_SEED=` replays a run) against an embedded runtime on a fresh data folder. Its
 * lines count the findings per kind (0 is the goal) and the answers that reached past validation;
 * each distinct finding, with an example request, goes to stderr.
 */

export interface FuzzBenchOptions {
  readonly runs: number;
}

export function fuzzOptionsFrom(argv: readonly string[]): FuzzBenchOptions {
  const arg = argv.find((a) => a.startsWith('--runs='));
  const runs = arg === undefined ? 5_000 : Number(arg.slice('--runs='.length));
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a positive integer, got ${arg}`);
  return { runs };
}

export async function* fuzzBench(options: FuzzBenchOptions): AsyncIterable<BenchLine> {
  const seed = seedFrom('FUZZ_SEED');
  process.stderr.write(`[fuzz] seed ${seed} (replay with FUZZ_SEED=${seed}), ${options.runs} requests\n`);
  const dataDir = await mkdtemp(join(tmpdir(), 'fuzz-bench-'));
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => void rejections.push(reason);
  process.on('unhandledRejection', onRejection);
  const runtime = await startRuntime({ dataDir, port: 0, quiet: true, sweepIntervalMs: 3_600_000 });
  try {
    const { known, credentials } = await fuzzWorld(runtime);
    const report = await runRouteFuzz(
      runtime,
      {
        runs: options.runs,
        seed,
        known,
        credentials,
        onProgress: (done) => process.stderr.write(`[fuzz] ${done}/${options.runs}\n`),
      },
      () => rejections,
    );
    for (const line of distinctFindings(report.findings)) process.stderr.write(`[fuzz] ${line}\n`);
    const params = { runs: options.runs, seed };
    for (const kind of ['5xx', 'state-change', 'unhandled-rejection', 'malformed-error'] as const) {
      yield {
        name: `fuzz.findings.${kind}`,
        value: report.findings.filter((f) => f.kind === kind).length,
        unit: 'count',
        params,
      };
    }
    const answers = Object.values(report.statuses).flatMap((byStatus) => Object.entries(byStatus));
    const count = (test: (status: number) => boolean): number =>
      answers.filter(([status]) => test(Number(status))).reduce((sum, [, n]) => sum + n, 0);
    yield { name: 'fuzz.answers.2xx', value: count((s) => s < 300), unit: 'count', params };
    yield {
      name: 'fuzz.answers.409_422',
      value: count((s) => s === 409 || s === 422),
      unit: 'count',
      params,
    };
    yield {
      name: 'fuzz.answers.other_4xx',
      value: count((s) => s >= 400 && s < 500 && s !== 409 && s !== 422),
      unit: 'count',
      params,
    };
    yield { name: 'fuzz.duration', value: report.durationMs / 1000, unit: 's', params };
  } finally {
    process.off('unhandledRejection', onRejection);
    await runtime.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
