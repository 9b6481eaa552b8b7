import { beforeAll, describe, expect, it } from 'vitest';
import { violationsOf } from '../support/crash/checks.ts';
import { describeViolations, runCrashHarness, type CrashReport } from '../support/crash/harness.ts';
import type { CheckName } from '../support/crash/recorder.ts';
import { SECRET_KINDS } from '../support/log-secrets.ts';
import { seedFrom } from '../support/prng.ts';

/**
 * Issue 18 "Tests (must show)" and issue 13's crash and log bullets, on one run of the crash
 * harness (test/support/crash): `npm start --no-demo` as a child process, 20 eligible enterprises
 * repaired concurrently over HTTP by their applicants and reviewers, the runtime SIGKILLed 5 times
 * at seeded random moments and started again on the same data folder, then a sweep (and if needed
 * the next day and a sweep). Each check below reads the report; a failure names the seed to replay
 * the run with (`CRASH_SEED=`), each violation, and the stored state behind unfinished repairs.
 * The long run is `npm run bench -- --crash` (60 repairs, 10 kills).
 */

const REPAIRS = 20;
const KILLS = 5;
let report: CrashReport;

beforeAll(async () => {
  report = await runCrashHarness({
    repairs: REPAIRS,
    kills: KILLS,
    seed: seedFrom('CRASH_SEED'),
    uptimeMs: [1_000, 2_500],
    quietMs: 5_000,
    settleMs: 20_000,
  });
}, 300_000);

const explain = (...checks: CheckName[]): string => {
  const violations = report.violations.filter((v) => checks.includes(v.check));
  const enterprises = new Set(violations.map((v) => v.enterpriseId));
  const stored = Object.fromEntries(Object.entries(report.forensics).filter(([id]) => enterprises.has(id)));
  return `seed ${report.seed} (replay with CRASH_SEED=${report.seed})\n${describeViolations(violations)}\n${
    Object.keys(stored).length > 0 ? `stored: ${JSON.stringify(stored, null, 1)}` : ''
  }`;
};

const detailsOf = (check: CheckName): string[] =>
  violationsOf(report.violations, check).map((v) => `${v.enterpriseId ?? ''} ${v.detail}`);

describe(`crash consistency: ${REPAIRS} repairs, ${KILLS} SIGKILLs of npm start`, () => {
  it('killed the runtime while repairs were under way, and restarted it each time', () => {
    expect(report.kills).toHaveLength(KILLS);
    expect(report.lives).toHaveLength(KILLS + 1);
    expect(report.kills.some((kill) => (kill.phases.done ?? 0) < REPAIRS)).toBe(true);
  });

  it('reflects every request the service acknowledged', () => {
    expect(detailsOf('acknowledged'), explain('acknowledged')).toEqual([]);
  });

  it('leaves every enterprise REGULAR with exactly one APPROVED application and none open', () => {
    expect(detailsOf('final-state'), explain('final-state')).toEqual([]);
  });

  it("shows each change of the approved application's round once on its timeline", () => {
    expect(detailsOf('timeline'), explain('timeline')).toEqual([]);
  });

  it('publishes one listing change per enterprise (copies share their changeId)', () => {
    expect(detailsOf('listing-change'), explain('listing-change')).toEqual([]);
  });

  it('sends every outcome email, and none twice outside a kill between sending and recording it', () => {
    expect(detailsOf('outcome-email'), explain('outcome-email')).toEqual([]);
  });

  it('answers a same-key retry of POST /applications with the first application, never APPLICATION_OPEN', () => {
    expect(
      [...detailsOf('same-key'), ...detailsOf('in-progress')],
      explain('same-key', 'in-progress'),
    ).toEqual([]);
  });

  it('answers no 5xx and refuses no valid request', () => {
    expect(
      [...detailsOf('no-5xx'), ...detailsOf('unexpected-answer')],
      explain('no-5xx', 'unexpected-answer'),
    ).toEqual([]);
  });
});

describe('log hygiene over the same run (HTTP, workflow, sweeps, crash restarts)', () => {
  it('saw a secret of every kind, so the search below means something', () => {
    for (const kind of SECRET_KINDS) expect(report.secretsCollected[kind], kind).toBeGreaterThan(0);
    expect(report.outputBytes).toBeGreaterThan(0);
  });

  it('prints no link id, nonce, task token, JWT or presigned signature after the start banner', () => {
    expect(detailsOf('log-hygiene'), explain('log-hygiene')).toEqual([]);
  });
});
