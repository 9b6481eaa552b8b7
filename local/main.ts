/**
 * `npm start`: the whole system on this machine (README: "Running it on one machine").
 *
 * Environment: PORT (3000), HOST (127.0.0.1), DATA_DIR (./.data), SMTP_URL (mail over SMTP instead
 * of the outbox), SWEEP_INTERVAL_MS (60000), LOCAL_FAULTS (transient faults armed at start: a JSON
 * array of {target, error, times}, local/faults/faults.ts). Flag: --no-demo (no demo data in a new DATA_DIR).
 * Prints one line containing `ready at http://HOST:PORT` once requests are accepted.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAULTS_ENV, parseFaultsEnv, type FaultRequest } from './faults/faults.ts';
import { startRuntime, type Runtime } from './runtime.ts';

interface MainConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly demo: boolean;
  readonly sweepIntervalMs?: number;
  readonly faults?: readonly FaultRequest[];
}

function positiveInteger(
  name: string,
  text: string | undefined,
  fallback: number,
  allowZero: boolean,
): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new Error(`${name} must be a${allowZero ? ' non-negative' : ' positive'} integer, got "${text}"`);
  }
  return value;
}

export function parseConfig(env: NodeJS.ProcessEnv, argv: readonly string[]): MainConfig {
  const unknown = argv.filter((arg) => arg !== '--no-demo');
  if (unknown.length > 0) throw new Error(`unknown argument(s): ${unknown.join(' ')} (only --no-demo)`);
  const port = positiveInteger('PORT', env['PORT'], 3000, true);
  if (port > 65535) throw new Error(`PORT must be at most 65535, got ${port}`);
  const sweepText = env['SWEEP_INTERVAL_MS'];
  const faults = parseFaultsEnv(env[FAULTS_ENV]);
  return {
    host: env['HOST'] || '127.0.0.1',
    port,
    dataDir: env['DATA_DIR'] || './.data',
    demo: !argv.includes('--no-demo'),
    ...(faults.length > 0 ? { faults } : {}),
    ...(sweepText ? { sweepIntervalMs: positiveInteger('SWEEP_INTERVAL_MS', sweepText, 60_000, false) } : {}),
  };
}

function banner(runtime: Runtime): string {
  const lines = [
    `credit-repair ready at ${runtime.url}`,
    `  console       ${runtime.url}/`,
    `  data folder   ${runtime.dataDir}`,
    `  dev inbox     ${runtime.url}/_local/inbox`,
    `  OpenAPI       ${runtime.url}/openapi.json`,
    `  clock         ${runtime.clock.now().toISOString()} (simulated; GET/POST ${runtime.url}/_local/clock)`,
    '',
    'Dev tokens (12 h; more from /_local/token?role=officer or ?role=applicant&enterprise=ID):',
    `  OFFICER_TOKEN=${runtime.tokens.officer}`,
  ];
  for (const applicant of runtime.tokens.applicants) {
    lines.push(`  # ${applicant.id} ${applicant.tier}: ${applicant.name}`);
    lines.push(`  APPLICANT_TOKEN_${applicant.id}=${applicant.token}`);
  }
  const armed = runtime.faults.list();
  if (armed.length > 0) {
    lines.push('', `Faults armed (${FAULTS_ENV}; GET ${runtime.url}/_local/faults):`);
    for (const f of armed) lines.push(`  ${f.target} fails ${f.times}× with ${f.error}`);
  }
  if (runtime.restarted.length > 0) {
    lines.push('', `Restarted the workflows of ${runtime.restarted.length} open application(s).`);
  }
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const config = parseConfig(process.env, process.argv.slice(2));
  const runtime = await startRuntime({
    dataDir: config.dataDir,
    host: config.host,
    port: config.port,
    demo: config.demo,
    ...(config.faults === undefined ? {} : { faults: config.faults }),
    ...(config.sweepIntervalMs === undefined ? {} : { sweepIntervalMs: config.sweepIntervalMs }),
  });
  process.stdout.write(banner(runtime));

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`[local] ${signal}: stopping\n`);
    runtime.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('[local] stop failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

// Run only as the entry point, so tests can import parseConfig.
const entryPoint = process.argv[1];
if (entryPoint !== undefined && resolve(entryPoint) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error('[local] could not start:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
