/**
 * `npm start`: the whole system on this machine (README: "Running it on one machine").
 *
 * Environment: PORT (3000), HOST (127.0.0.1), DATA_DIR (./.data), SMTP_URL (mail over SMTP instead
 * of the outbox), SWEEP_INTERVAL_MS (60000), LOCAL_FAULTS (transient faults armed at start: a JSON
 * array of {target, error, times}, local/faults/faults.ts), LOCAL_CONCURRENCY (16: route handlers
 * running at once), LOCAL_QUEUE_LIMIT (1000: requests waiting for one; more are answered 503) and
 * LOCAL_SLOT_WAIT_MS (15000: how long one may wait before it is answered 503). Flags: --no-demo (no demo data in a new
 * DATA_DIR); --expose[=NAME] (required for a HOST beyond loopback: NAME is the host name clients
 * use, HOST by default; the `/_local/*` controls then need the operator key printed at start).
 * Prints one line containing `ready at http://HOST:PORT` once requests are accepted.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostname } from 'node:os';
import { isLoopbackHost, type InvocationLimits } from './gateway/gateway.ts';
import { FAULTS_ENV, parseFaultsEnv, type FaultRequest } from './faults/faults.ts';
import { startRuntime, type Runtime } from './runtime.ts';
import { DEFAULT_LOCAL_CONCURRENCY, DEFAULT_LOCAL_MAX_QUEUED } from './gateway/invocation-slots.ts';

interface MainConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly demo: boolean;
  readonly sweepIntervalMs?: number;
  /** Listening beyond loopback: the host name clients use. */
  readonly expose?: { readonly publicHost: string };
  readonly faults?: readonly FaultRequest[];
  readonly invocations?: InvocationLimits;
}

/** How many route handlers run at once, and how many requests may wait (local/gateway/invocation-slots.ts). */
export const CONCURRENCY_ENV = 'LOCAL_CONCURRENCY';
export const QUEUE_LIMIT_ENV = 'LOCAL_QUEUE_LIMIT';
/** How long a request may wait for a slot (default: the integration limit less the function timeout). */
export const SLOT_WAIT_ENV = 'LOCAL_SLOT_WAIT_MS';

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

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
  const exposeArgs = argv.filter((arg) => arg === '--expose' || arg.startsWith('--expose='));
  const unknown = argv.filter((arg) => arg !== '--no-demo' && !exposeArgs.includes(arg));
  if (unknown.length > 0) {
    throw new Error(`unknown argument(s): ${unknown.join(' ')} (only --no-demo, --expose[=NAME])`);
  }
  const port = positiveInteger('PORT', env['PORT'], 3000, true);
  if (port > 65535) throw new Error(`PORT must be at most 65535, got ${port}`);
  const sweepText = env['SWEEP_INTERVAL_MS'];
  const host = env['HOST'] || '127.0.0.1';
  const exposeArg = exposeArgs.at(-1);
  if (exposeArg === undefined && !isLoopbackHost(host.replace(/^\[|\]$/g, ''))) {
    throw new Error(
      `HOST=${host} is reachable beyond this machine; pass --expose[=NAME] to serve it there ` +
        '(the runtime controls then need the operator key printed at start)',
    );
  }
  const named = exposeArg?.startsWith('--expose=') ? exposeArg.slice('--expose='.length) : '';
  const publicHost = named || (WILDCARD_HOSTS.has(host) ? hostname() : host);
  const faults = parseFaultsEnv(env[FAULTS_ENV]);
  const concurrencyText = env[CONCURRENCY_ENV];
  const queueText = env[QUEUE_LIMIT_ENV];
  const slotWaitText = env[SLOT_WAIT_ENV];
  const invocations = {
    ...(concurrencyText
      ? { concurrency: positiveInteger(CONCURRENCY_ENV, concurrencyText, DEFAULT_LOCAL_CONCURRENCY, false) }
      : {}),
    ...(queueText
      ? { maxQueued: positiveInteger(QUEUE_LIMIT_ENV, queueText, DEFAULT_LOCAL_MAX_QUEUED, true) }
      : {}),
    ...(slotWaitText ? { maxWaitMs: positiveInteger(SLOT_WAIT_ENV, slotWaitText, 0, true) } : {}),
  };
  return {
    ...(Object.keys(invocations).length > 0 ? { invocations } : {}),
    host,
    port,
    dataDir: env['DATA_DIR'] || './.data',
    demo: !argv.includes('--no-demo'),
    ...(faults.length > 0 ? { faults } : {}),
    ...(sweepText ? { sweepIntervalMs: positiveInteger('SWEEP_INTERVAL_MS', sweepText, 60_000, false) } : {}),
    ...(exposeArg === undefined ? {} : { expose: { publicHost } }),
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
  if (runtime.operatorKey !== undefined) {
    lines.push(
      '',
      `Exposed beyond loopback as ${runtime.url}: /_local/* needs the operator key (Authorization: Bearer KEY):`,
      `  OPERATOR_KEY=${runtime.operatorKey}`,
    );
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
    ...(config.expose === undefined ? {} : { expose: config.expose }),
    ...(config.invocations === undefined ? {} : { invocations: config.invocations }),
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
