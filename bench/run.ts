import { bundleBench } from './bundle-bench.ts';
import { crashBench, crashOptionsFrom } from './crash-bench.ts';
import { fuzzBench, fuzzOptionsFrom } from './fuzz-bench.ts';
import type { BenchLine } from './line.ts';
import { loadBench } from './load-bench.ts';
import { progress } from './progress.ts';
import { roundTripsBench } from './round-trips-bench.ts';
import { sweepBench } from './sweep-bench.ts';
import { SWEEP_ITEMS_PER_S, sweepFanOutBench } from './sweep-fan-out-bench.ts';
import { workflowBench } from './workflow-bench.ts';

/**
 * `npm run --silent bench` (`-- --quick` for the short set, under 2 minutes; `-- --only=sweep` for
 * the benchmarks whose name starts so): runs every benchmark and prints one JSON object per line on
 * stdout, and what it is doing on stderr. (`--silent` keeps npm's own header lines off stdout.) Each benchmark is an async generator of lines; add new ones to
 * BENCHES.
 *
 * The long reliability harnesses run on request only, instead of the default set:
 * `npm run bench -- --crash` (60 repairs, 10 kills; `--repairs=N --kills=N`, `CRASH_SEED=` to
 * replay) and `npm run bench -- --fuzz` (`--runs=N`, `FUZZ_SEED=` to replay); both flags run both.
 * Progress goes to stderr; stdout holds only the result lines.
 */

const BENCHES: readonly ((options: { quick: boolean }) => AsyncIterable<BenchLine>)[] = [
  bundleBench,
  roundTripsBench,
  loadBench,
  sweepBench,
  Object.assign(sweepFanOutBench, { lines: [SWEEP_ITEMS_PER_S] }),
  workflowBench,
];

/**
 * Whether `--only=X` selects a benchmark: its function's name starts with X (`--only=sweep`), or
 * X names one of the lines it declares (`--only=sweep.items_per_s`).
 */
function chosen(bench: { name: string; lines?: readonly string[] }, only: string | undefined): boolean {
  if (only === undefined) return true;
  const wanted = only.toLowerCase();
  return (
    bench.name.toLowerCase().startsWith(wanted) ||
    (bench.lines ?? []).some((line) => line.toLowerCase().startsWith(wanted))
  );
}

function selected(argv: readonly string[]): ((options: { quick: boolean }) => AsyncIterable<BenchLine>)[] {
  const harnesses: ((options: { quick: boolean }) => AsyncIterable<BenchLine>)[] = [];
  if (argv.includes('--crash')) harnesses.push(() => crashBench(crashOptionsFrom(argv)));
  if (argv.includes('--fuzz')) harnesses.push(() => fuzzBench(fuzzOptionsFrom(argv)));
  return harnesses.length > 0 ? harnesses : [...BENCHES];
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  // The sweep's summary and EMF lines would mix with the results on stdout.
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const only = argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
  // Whatever else writes to stdout (the log lines of an in-process runtime) goes to stderr: stdout
  // holds the result lines only.
  const results = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  for (const bench of selected(argv)) {
    if (!chosen(bench, only)) continue;
    progress(`${bench.name}${quick ? ' (quick)' : ''}: starting`);
    const started = performance.now();
    for await (const line of bench({ quick })) results(`${JSON.stringify(line)}\n`);
    progress(`${bench.name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
