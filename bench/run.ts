import { bundleBench } from './bundle-bench.ts';
import type { BenchLine } from './line.ts';
import { loadBench } from './load-bench.ts';
import { progress } from './progress.ts';
import { roundTripsBench } from './round-trips-bench.ts';
import { sweepBench } from './sweep-bench.ts';
import { workflowBench } from './workflow-bench.ts';

/**
 * `npm run --silent bench` (`-- --quick` for the short set, under 2 minutes; `-- --only=sweep` for
 * the benchmarks whose name starts so): runs every benchmark and prints one JSON object per line on
 * stdout, and what it is doing on stderr. (`--silent` keeps npm's own header lines off stdout.) Each benchmark is an async generator of lines; add new ones to
 * BENCHES.
 */

const BENCHES: readonly ((options: { quick: boolean }) => AsyncIterable<BenchLine>)[] = [
  bundleBench,
  roundTripsBench,
  loadBench,
  sweepBench,
  workflowBench,
];

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  // The sweep's summary and EMF lines would mix with the results on stdout.
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
  for (const bench of BENCHES) {
    if (only !== undefined && !bench.name.toLowerCase().startsWith(only.toLowerCase())) continue;
    progress(`${bench.name}${quick ? ' (quick)' : ''}: starting`);
    const started = performance.now();
    for await (const line of bench({ quick })) process.stdout.write(`${JSON.stringify(line)}\n`);
    progress(`${bench.name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
