import { bundleBench } from './bundle-bench.ts';
import { crashBench, crashOptionsFrom } from './crash-bench.ts';
import { fuzzBench, fuzzOptionsFrom } from './fuzz-bench.ts';
import { INDEX_REBUILD_MS, indexRepairBench } from './index-repair-bench.ts';
import type { BenchLine } from './line.ts';
import { loadBench } from './load-bench.ts';
import { progress } from './progress.ts';
import { repairsBench, repairsOptionsFrom } from './repairs-bench.ts';
import { roundTripsBench } from './round-trips-bench.ts';
import { sweepBench } from './sweep-bench.ts';
import { SWEEP_ITEMS_PER_S, sweepFanOutBench } from './sweep-fan-out-bench.ts';
import { workflowBench } from './workflow-bench.ts';

/**
 * `npm run --silent bench` (`-- --quick` for the short set, under 2 minutes; `-- --only=sweep` for
 * the benchmarks whose name starts so): runs every benchmark and prints one JSON object per line on
 * stdout, and what it is doing on stderr; `--only=` also takes a line's name, e.g.
 * `--only=load.repairs_per_s` (`--applications=N` sets its size, 200 by default). (`--silent` keeps
 * npm's own header lines off stdout.) Each benchmark is an async generator of lines; add new ones
 * to benches().
 *
 * The long reliability harnesses run on request only, instead of the default set:
 * `npm run bench -- --crash` (60 repairs, 10 kills; `--repairs=N --kills=N`, `CRASH_SEED=` to
 * replay) and `npm run bench -- --fuzz` (`--runs=N`, `FUZZ_SEED=` to replay); both flags run both.
 * Progress goes to stderr; stdout holds only the result lines.
 */

type Bench = ((options: { quick: boolean }) => AsyncIterable<BenchLine>) & {
  /** The names of the lines it prints, which `--only=` matches too (e.g. `--only=load.repairs_per_s`). */
  readonly lines?: readonly string[];
};

const named = (lines: readonly string[], bench: Bench): Bench => Object.assign(bench, { lines });

function benches(argv: readonly string[]): readonly Bench[] {
  const repairs: Bench = (options) =>
    repairsBench({ ...options, ...repairsOptionsFrom(argv, options.quick) });
  return [
    named(['bundle.bytes', 'bundle.init_ms'], bundleBench),
    named(['api.round_trips'], roundTripsBench),
    named(['load.latency_ms'], loadBench),
    named(['load.repairs_per_s'], repairs),
    named(['sweep.readUnits', 'sweep.itemsRead'], sweepBench),
    named([SWEEP_ITEMS_PER_S], sweepFanOutBench),
    named([INDEX_REBUILD_MS], indexRepairBench),
    named(['workflow.happy_path'], workflowBench),
  ];
}

const matches = (bench: Bench, only: string): boolean =>
  [bench.name, ...(bench.lines ?? [])].some((name) => name.toLowerCase().startsWith(only.toLowerCase()));

function selected(argv: readonly string[]): Bench[] {
  const harnesses: Bench[] = [];
  if (argv.includes('--crash')) harnesses.push(() => crashBench(crashOptionsFrom(argv)));
  if (argv.includes('--fuzz')) harnesses.push(() => fuzzBench(fuzzOptionsFrom(argv)));
  return harnesses.length > 0 ? harnesses : [...benches(argv)];
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
    if (only !== undefined && !matches(bench, only)) continue;
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
