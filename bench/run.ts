import type { BenchLine } from './line.ts';
import { sweepBench } from './sweep-bench.ts';
import { workflowBench } from './workflow-bench.ts';

/**
 * `npm run bench` (`-- --quick` for the short set, under 2 minutes): runs every benchmark and
 * prints one JSON object per line. Each benchmark is an async generator of lines; add new ones to
 * BENCHES.
 */

const BENCHES: readonly ((options: { quick: boolean }) => AsyncIterable<BenchLine>)[] = [
  sweepBench,
  workflowBench,
];

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  // The sweep's summary and EMF lines would mix with the results on stdout.
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  for (const bench of BENCHES) {
    for await (const line of bench({ quick })) process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
