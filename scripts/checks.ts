import { spawn } from 'node:child_process';

/**
 * `npm run checks`: the static checks of `npm test` (the three TypeScript projects, ESLint,
 * Prettier) run at once instead of one after another, as none reads what another writes: on two
 * cores that halves their wall time (docs/performance.md "Test-suite time"). Each one's output is
 * printed whole when it ends, under its name, so outputs never interleave; the exit code is
 * non-zero when any check failed.
 *
 * Each tool keeps its cache under node_modules/.cache, so a second run in the same clone re-checks
 * only what changed (a clean clone, as CI's, starts without one).
 */

const CACHE = 'node_modules/.cache';

const CHECKS: Readonly<Record<string, readonly string[]>> = {
  'typecheck (functions, domain, local, tests)': [
    'tsc',
    '--noEmit',
    '--incremental',
    '--tsBuildInfoFile',
    `${CACHE}/tsc/main.tsbuildinfo`,
  ],
  'typecheck (infra)': [
    'tsc',
    '--noEmit',
    '-p',
    'tsconfig.infra.json',
    '--incremental',
    '--tsBuildInfoFile',
    `${CACHE}/tsc/infra.tsbuildinfo`,
  ],
  'typecheck (console)': [
    'tsc',
    '--noEmit',
    '-p',
    'console',
    '--incremental',
    '--tsBuildInfoFile',
    `${CACHE}/tsc/console.tsbuildinfo`,
  ],
  lint: ['eslint', '.', '--cache', '--cache-location', `${CACHE}/eslint/`],
  'format:check': ['prettier', '--check', '.', '--cache', '--cache-location', `${CACHE}/prettier/cache.json`],
};

interface Outcome {
  readonly name: string;
  readonly code: number | null;
  readonly seconds: number;
  readonly output: string;
}

function run(name: string, [command, ...args]: readonly string[]): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    // Through npm exec, as the README's commands run every tool: the project's pinned Node.
    const child = spawn('npm', ['exec', '--', command ?? '', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('close', (code) =>
      resolve({
        name,
        code,
        seconds: (performance.now() - started) / 1000,
        output: Buffer.concat(chunks).toString('utf8'),
      }),
    );
  });
}

const outcomes = await Promise.all(
  Object.entries(CHECKS).map(async ([name, command]) => {
    const outcome = await run(name, command);
    const verdict = outcome.code === 0 ? 'ok' : `FAILED (exit ${outcome.code ?? 'signal'})`;
    process.stdout.write(`\n> ${name}: ${verdict} in ${outcome.seconds.toFixed(1)} s\n${outcome.output}`);
    return outcome;
  }),
);
if (outcomes.some((outcome) => outcome.code !== 0)) process.exitCode = 1;
