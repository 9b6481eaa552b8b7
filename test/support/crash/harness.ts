import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  bannerTokens,
  findSecrets,
  SecretCollector,
  splitBanner,
  type SecretFinding,
} from '../log-secrets.ts';
import { freePort, type ProcessLog } from '../npm-start.ts';
import { Prng } from '../prng.ts';
import {
  checkFinalState,
  checkListingChanges,
  checkOutcomeEmails,
  checkSameKeyRetry,
  checkSetupAcks,
  diagnose,
  readFinalState,
  type FinalState,
} from './checks.ts';
import { StoredState } from './forensics.ts';
import { RunRecorder, RunStopped, type Note, type Violation } from './recorder.ts';
import {
  APPLICATION_ACKNOWLEDGED,
  OutboxWatcher,
  Repair,
  REVIEW_PARTIES,
  registerEligibleEnterprise,
  registerReviewers,
  runApplicant,
  runDay,
  runReviewer,
  type OutboxMessage,
  type RepairPhase,
  type World,
} from './repairs.ts';
import { ResilientApi } from './resilient-api.ts';
import { Supervisor, type Life } from './supervisor.ts';

/**
 * The crash harness of issues 13 and 18: `npm start --no-demo` on a fresh data folder, N eligible
 * enterprises each repaired concurrently over HTTP by its applicant and two reviewers, while the
 * runtime is SIGKILLed at seeded random moments and started again on the same folder. Then the run
 * settles (a sweep, and if needed a clock move and another sweep), and the checks run against the
 * last life: see checks.ts. Everything the processes printed is searched for the secrets the
 * clients saw (log hygiene).
 *
 * Waits are event-driven: the run moves on when every repair is done or nothing has progressed for
 * `quietMs`; deadlines only stop a broken run from hanging.
 */

export interface CrashOptions {
  readonly repairs: number;
  readonly kills: number;
  readonly seed: number;
  /**
   * How long each life runs (after it is ready) before its SIGKILL: at least min ms, then as soon as
   * the kill's target (KILL_TARGETS) is under way, at most three times a seeded draw from [min, max].
   */
  readonly uptimeMs?: readonly [number, number];
  /** Aim each kill at a phase (KILL_TARGETS; the default) or let each land at its drawn uptime. */
  readonly aimed?: boolean;
  /** Nothing progressed for this long: stop waiting and go to the next settling step. */
  readonly quietMs?: number;
  /** At most this long per settling step. */
  readonly settleMs?: number;
  /** An operator runs POST /_local/sweep every [min, max] ms during the run (kills land in sweeps too). */
  readonly sweepEveryMs?: readonly [number, number] | null;
  /** Progress lines (the seed first); stderr in the bench, the test's console otherwise. */
  readonly say?: (line: string) => void;
  /** Keep the data folder (its path is in the report), and the output beside it as `<folder>.log`. */
  readonly keepDataDir?: boolean;
  /** Print each violation as it is found, besides listing it in the report. */
  readonly verbose?: boolean;
}

/**
 * What each kill aims at, in the order a repair goes through them (issue 13: during submission,
 * evidence submit, decisions, upgrade, the sweep): with K kills, the first K/5 aim at applications,
 * the next at evidence, and so on.
 */
export const KILL_TARGETS = ['apply', 'evidence', 'decision', 'outcome', 'sweep'] as const;
export type KillTarget = (typeof KILL_TARGETS)[number] | 'any';

/** How many drawn uptimes a kill waits for its target before it lands anyway. */
const TARGET_PATIENCE = 3;

function targetActive(target: KillTarget, rec: RunRecorder, repairs: readonly Repair[]): boolean {
  const inFlight = (...labels: string[]): boolean => labels.some((label) => rec.inFlight.has(label));
  switch (target) {
    case 'apply':
      // Applications are being answered while others are still on their way: those are between
      // their idempotency record, the claim, the application and the recorded answer.
      return inFlight('apply') && rec.markedWithin(APPLICATION_ACKNOWLEDGED, 300);
    case 'evidence':
      return inFlight('evidence ticket', 'upload', 'submit');
    case 'decision':
      return inFlight('review decision');
    case 'outcome':
      // Every party approved and the outcome is not out yet: tally, upgrade, event and emails run.
      return repairs.some(
        (r) => r.phase !== 'done' && new Set(r.decisions.map((d) => d.party)).size === REVIEW_PARTIES.length,
      );
    case 'sweep':
      return inFlight('sweep');
    case 'any':
      return true;
  }
}

export interface KillRecord {
  readonly life: number;
  readonly uptimeMs: number;
  readonly target: KillTarget;
  /** Whether the target's work was under way when the kill landed. */
  readonly hit: boolean;
  /** Repairs per phase at the moment of the kill. */
  readonly phases: Readonly<Partial<Record<RepairPhase, number>>>;
  /** Requests on their way at the moment of the kill, by what they were doing. */
  readonly inFlight: Readonly<Record<string, number>>;
}

export interface SettleStep {
  readonly step: string;
  readonly done: number;
  readonly tookMs: number;
  readonly sweep?: Record<string, unknown>;
}

export interface CrashReport {
  readonly seed: number;
  readonly repairs: number;
  readonly kills: readonly KillRecord[];
  readonly lives: readonly Life[];
  readonly settle: readonly SettleStep[];
  readonly durationMs: number;
  readonly violations: readonly Violation[];
  readonly notes: readonly Note[];
  readonly counters: Readonly<Record<string, number>>;
  /** Secrets found in the output after the start banners (log hygiene). */
  readonly secretFindings: readonly SecretFinding[];
  readonly secretsCollected: Readonly<Record<string, number>>;
  /** Stored items behind each unfinished repair. */
  readonly forensics: Readonly<Record<string, unknown>>;
  readonly outputBytes: number;
  readonly dataDir: string;
  readonly log: ProcessLog;
}

const census = (repairs: readonly Repair[]): Partial<Record<RepairPhase, number>> => {
  const phases: Partial<Record<RepairPhase, number>> = {};
  for (const repair of repairs) phases[repair.phase] = (phases[repair.phase] ?? 0) + 1;
  return phases;
};

export async function runCrashHarness(options: CrashOptions): Promise<CrashReport> {
  const startedAt = Date.now();
  const say = options.say ?? ((line: string) => console.error(`[crash] ${line}`));
  const rng = new Prng(options.seed);
  const [uptimeMin, uptimeMax] = options.uptimeMs ?? [1_000, 3_000];
  const quietMs = options.quietMs ?? 8_000;
  const settleMs = options.settleMs ?? 60_000;
  say(
    `seed ${options.seed} (replay with CRASH_SEED=${options.seed}): ${options.repairs} repairs, ${options.kills} kills`,
  );

  const dataDir = await mkdtemp(join(tmpdir(), 'crash-harness-'));
  const supervisor = new Supervisor({ dataDir, port: await freePort(), say });
  const rec = new RunRecorder(options.verbose ? say : undefined);
  const secrets = new SecretCollector();
  const api = new ResilientApi(supervisor, rec, rng.fork());
  const world: World = {
    api,
    rec,
    rng,
    secrets,
    outbox: new OutboxWatcher(api, rec, secrets),
    acks: { enterprises: [], facts: [], reviewers: [] },
    officer: '',
    lifeIndex: () => supervisor.life?.index ?? -1,
    pollMs: [250, 450],
  };
  const repairs = Array.from(
    { length: options.repairs },
    (_, i) => new Repair(`CRASH${String(i + 1).padStart(5, '0')}`, `crash-${options.seed}-${i + 1}`),
  );
  const kills: KillRecord[] = [];
  const settle: SettleStep[] = [];
  const forensics: Record<string, unknown> = {};
  const allDone = (): boolean => repairs.every((r) => r.phase === 'done');

  try {
    await supervisor.start();
    // Setup, before any kill: the officer's requests carry no idempotency key of their own.
    world.officer = String((await api.call('setup', 'GET', '/_local/token?role=officer')).body.token);
    secrets.add('jwt', world.officer);
    const today = await runDay(world);
    await registerReviewers(world);
    for (let i = 0; i < repairs.length; i += 5) {
      await Promise.all(
        repairs.slice(i, i + 5).map((repair) => registerEligibleEnterprise(world, repair, today)),
      );
    }
    say(`setup done: ${repairs.length} eligible enterprises on ${today}`);

    // Every repair at once, as real clients would.
    world.outbox.start();
    const clients = repairs.flatMap((repair) => [
      runApplicant(world, repair),
      ...REVIEW_PARTIES.map((party) => runReviewer(world, repair, party)),
    ]);
    const operator =
      options.sweepEveryMs === null
        ? Promise.resolve()
        : runOperatorSweeps(world, options.sweepEveryMs ?? [1_000, 2_500]);

    const killRng = rng.fork();
    for (let k = 0; k < options.kills; k++) {
      const target: KillTarget =
        options.aimed === false
          ? 'any'
          : (KILL_TARGETS[Math.floor((k * KILL_TARGETS.length) / options.kills)] ?? 'any');
      const life = supervisor.life!;
      const drawnUptimeMs = killRng.int(uptimeMin, uptimeMax);
      // Unaimed, a kill lands at its drawn uptime. Aimed, it lands while the target's work is under
      // way (a little into it), at the earliest after the minimum uptime; a target still not under
      // way after three times the drawn uptime (the later phases come once earlier ones are through)
      // is given up and the kill lands then.
      const giveUpAt = life.readyAtMs + (target === 'any' ? 1 : TARGET_PATIENCE) * drawnUptimeMs;
      await sleep(Math.max(0, life.readyAtMs + (target === 'any' ? drawnUptimeMs : uptimeMin) - Date.now()));
      while (Date.now() < giveUpAt && !targetActive(target, rec, repairs)) await sleep(10);
      const hit = targetActive(target, rec, repairs);
      // The steps after the last approval are caught a while into them, between their writes.
      if (hit && target !== 'any') {
        await sleep(target === 'outcome' ? killRng.int(20, 300) : killRng.int(0, 60));
      }
      const uptimeMs = Date.now() - life.readyAtMs;
      kills.push({
        life: life.index,
        uptimeMs,
        target,
        hit,
        phases: census(repairs),
        inFlight: Object.fromEntries(rec.inFlight),
      });
      await supervisor.kill();
      say(
        `kill ${k + 1}/${options.kills} after ${uptimeMs} ms of life ${life.index}` +
          ` (${hit ? `during ${target}` : `${target} not under way`}): ${JSON.stringify(census(repairs))}`,
      );
      await supervisor.start();
    }

    // Settling: wait; then a sweep; then the next day and a sweep.
    const settleStep = async (
      step: string,
      before?: () => Promise<Record<string, unknown>>,
    ): Promise<void> => {
      const began = Date.now();
      const sweep = before ? await before() : undefined;
      rec.progress();
      while (!allDone() && rec.quietForMs < quietMs && Date.now() - began < settleMs) await sleep(100);
      const done = repairs.filter((r) => r.phase === 'done').length;
      settle.push({ step, done, tookMs: Date.now() - began, ...(sweep ? { sweep } : {}) });
      say(`${step}: ${done}/${repairs.length} repairs done`);
    };
    const sweepNow = async (): Promise<Record<string, unknown>> =>
      (await api.call('sweep', 'POST', '/_local/sweep')).body as Record<string, unknown>;
    await settleStep('after the last restart');
    if (!allDone()) await settleStep('after a sweep', sweepNow);
    if (!allDone()) {
      await settleStep('after a clock move of one day and a sweep', async () => {
        const clock = await api.call('clock', 'GET', '/_local/clock');
        const next = new Date(Date.parse(String(clock.body.now)) + 24 * 3600 * 1000).toISOString();
        await api.call('clock', 'POST', '/_local/clock', { json: { now: next } });
        return sweepNow();
      });
    }

    rec.stop();
    await Promise.allSettled([...clients, operator, world.outbox.stopped()]);
    const final = new RunRecorder(options.verbose ? say : undefined);
    // The checks run on their own recorder (the clients' is stopped) and are merged below.
    const checkWorld: World = { ...world, rec: final, api: new ResilientApi(supervisor, final, rng.fork()) };
    await checkSetupAcks(checkWorld);
    const states = new Map<Repair, FinalState>();
    for (const repair of repairs) {
      const state = await readFinalState(checkWorld, repair);
      states.set(repair, state);
      checkFinalState(final, repair, state, rec.violations);
    }
    for (const repair of repairs) await checkSameKeyRetry(checkWorld, repair, states.get(repair)!);
    await checkListingChanges(final, dataDir, repairs);
    const outbox = await checkWorld.api.call('outbox', 'GET', '/_local/outbox');
    const messages = JSON.parse(outbox.text) as OutboxMessage[];
    world.outbox.update(messages);
    await checkOutcomeEmails(final, dataDir, messages, repairs, supervisor.lives);
    rec.violations.push(...final.violations);
    rec.notes.push(...final.notes);

    await supervisor.stop();

    // What is stored behind each unfinished repair, and the task tokens for the log check.
    const store = await StoredState.open(dataDir);
    try {
      for (const repair of repairs) {
        const state = states.get(repair)!;
        const ids = [
          ...new Set([
            ...state.applications.map((a) => a.id),
            ...(state.enterprise?.openApplicationId ? [state.enterprise.openApplicationId] : []),
          ]),
        ];
        if (rec.violations.some((v) => v.enterpriseId === repair.enterpriseId && v.check === 'final-state')) {
          forensics[repair.enterpriseId] = {
            diagnosis: diagnose(repair, state, rec.violations),
            stored: await store.describe(repair.enterpriseId, ids),
          };
        }
        for (const token of await store.taskTokens(ids)) secrets.add('task-token', token);
      }
      forensics['idempotency records IN_PROGRESS'] = await store.idempotencyInProgress();
    } finally {
      await store.close();
    }
  } catch (error) {
    rec.stop();
    await supervisor.stop().catch(() => undefined);
    if (!(error instanceof RunStopped)) {
      say(`the run failed: ${(error as Error).stack ?? String(error)}`);
      throw error;
    }
  }

  // Log hygiene: the banners may print dev tokens; nothing after them may print any secret.
  const { banners, rest } = splitBanner(supervisor.log);
  for (const banner of banners) for (const token of bannerTokens(banner)) secrets.add('jwt', token);
  const secretFindings = findSecrets(rest, secrets);
  for (const finding of secretFindings.slice(0, 20)) {
    rec.violate({ check: 'log-hygiene', detail: `${finding.kind} ${finding.masked} in: ${finding.line}` });
  }

  const report: CrashReport = {
    seed: options.seed,
    repairs: options.repairs,
    kills,
    lives: supervisor.lives,
    settle,
    durationMs: Date.now() - startedAt,
    violations: rec.violations,
    notes: rec.notes,
    counters: Object.fromEntries(rec.counters),
    secretFindings,
    secretsCollected: secrets.counts(),
    forensics,
    outputBytes: Buffer.byteLength(supervisor.log.text()),
    dataDir,
    log: supervisor.log,
  };
  if (options.keepDataDir) {
    // Beside the kept folder: every life's output, to read what the runtime said around a failure.
    await writeFile(
      `${dataDir}.log`,
      supervisor.log.chunks.map((c) => `[life ${c.life} ${c.stream}] ${c.text}`).join(''),
    );
  } else await rm(dataDir, { recursive: true, force: true });
  return report;
}

/** An operator's POST /_local/sweep now and then: a kill may land in the middle of one. */
async function runOperatorSweeps(world: World, every: readonly [number, number]): Promise<void> {
  try {
    for (;;) {
      await world.api.pause(every[0], every[1]);
      const reply = await world.api.once('sweep', 'POST', '/_local/sweep');
      if (reply?.status === 200) world.rec.count('operator sweeps');
      else if (reply !== undefined && reply.status >= 500) {
        world.rec.violate({
          check: 'no-5xx',
          key: `5xx sweep ${reply.status}`,
          detail: `POST /_local/sweep answered ${reply.status}`,
        });
      }
    }
  } catch (error) {
    if (!(error instanceof RunStopped)) throw error;
  }
}

/** A one-line summary per check, for a test's failure message or the bench's stderr. */
export function describeViolations(violations: readonly Violation[]): string {
  return violations
    .map(
      (v) =>
        `- [${v.check}]${v.enterpriseId ? ` ${v.enterpriseId}` : ''}${v.applicationId ? ` (${v.applicationId})` : ''}: ${v.detail}${
          v.repeats === undefined ? '' : ` (×${v.repeats})`
        }`,
    )
    .join('\n');
}
