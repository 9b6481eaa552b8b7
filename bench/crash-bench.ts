import { CHECKS } from '../test/support/crash/recorder.ts';
import { describeViolations, runCrashHarness } from '../test/support/crash/harness.ts';
import { seedFrom } from '../test/support/prng.ts';
import type { BenchLine } from './line.ts';

/**
 * `npm run bench -- --crash`: the crash harness at issue 18's size (60 repairs, 10 kills; change
 * with `--repairs=N --kills=N`, `--unaimed` for kills at random uptimes instead of aimed at each
 * phase in turn, replay with `CRASH_SEED=`). Its lines count what the run left
 * behind per check of issue 18 (0 is the goal), what it allowed (resends with one changeId, emails
 * resent after a kill in their send-then-record window), and what it cost. Progress, the seed and
 * every violation go to stderr (with `CRASH_KEEP=1` the data folder is kept to look at).
 */

export interface CrashBenchOptions {
  readonly repairs: number;
  readonly kills: number;
  /** `--unaimed`: each kill at a random uptime, instead of aimed at a phase. */
  readonly aimed: boolean;
}

export function crashOptionsFrom(argv: readonly string[]): CrashBenchOptions {
  const value = (name: string, fallback: number): number => {
    const arg = argv.find((a) => a.startsWith(`--${name}=`));
    if (arg === undefined) return fallback;
    const n = Number(arg.slice(name.length + 3));
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} takes a non-negative integer, got ${arg}`);
    return n;
  };
  return { repairs: value('repairs', 60), kills: value('kills', 10), aimed: !argv.includes('--unaimed') };
}

export async function* crashBench(options: CrashBenchOptions): AsyncIterable<BenchLine> {
  const seed = seedFrom('CRASH_SEED');
  const report = await runCrashHarness({
    repairs: options.repairs,
    kills: options.kills,
    aimed: options.aimed,
    seed,
    quietMs: 15_000,
    say: (line) => process.stderr.write(`[crash] ${line}\n`),
    keepDataDir: process.env.CRASH_KEEP === '1',
  });
  if (report.violations.length > 0) {
    process.stderr.write(`${describeViolations(report.violations)}\n`);
    process.stderr.write(
      `stored state behind the unfinished repairs: ${JSON.stringify(report.forensics, null, 2)}\n`,
    );
  }
  if (process.env.CRASH_KEEP === '1') process.stderr.write(`data folder kept: ${report.dataDir}\n`);
  const params = { repairs: options.repairs, kills: options.kills, aimed: options.aimed, seed };
  for (const check of CHECKS) {
    yield {
      name: `crash.violations.${check}`,
      value: report.violations.filter((v) => v.check === check).length,
      unit: 'count',
      params,
    };
  }
  const enterprisesLeftBehind = new Set(
    report.violations.filter((v) => v.check === 'final-state').map((v) => v.enterpriseId),
  ).size;
  yield { name: 'crash.enterprises_left_behind', value: enterprisesLeftBehind, unit: 'count', params };
  const notes = (kind: string): number => report.notes.filter((n) => n.kind.startsWith(kind)).length;
  yield {
    name: 'crash.listing_changed_resends',
    value: notes('ListingChanged resent'),
    unit: 'count',
    params,
  };
  yield {
    name: 'crash.outcome_email_crash_window_resends',
    value: notes('outcome email resent'),
    unit: 'count',
    params,
  };
  for (const [counter, value] of Object.entries(report.counters)) {
    yield { name: `crash.${counter.replaceAll(' ', '_')}`, value, unit: 'count', params };
  }
  yield { name: 'crash.duration', value: report.durationMs / 1000, unit: 's', params };
  yield { name: 'crash.output', value: report.outputBytes, unit: 'bytes', params };
}
