import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * `npm start` as a child process, the way a user runs it: its own process group (npm, sh, tsx and
 * node, so one signal reaches them all), every byte of its stdout and stderr kept with the wall
 * time it arrived, and the ready line awaited with a deadline. Several starts on one data folder
 * share a `ProcessLog`, so a test can read the whole output of a run across crashes and restarts.
 */

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A free loopback port (listened on and released; the kernel hands out another next time). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface OutputChunk {
  /** Which start of the run wrote it (0 for the first). */
  readonly life: number;
  readonly stream: 'stdout' | 'stderr';
  readonly atMs: number;
  readonly text: string;
}

/** Everything the processes of one run wrote, in arrival order. */
export class ProcessLog {
  readonly chunks: OutputChunk[] = [];

  add(chunk: OutputChunk): void {
    this.chunks.push(chunk);
  }

  /** The text of one stream (both when absent) of one life (all when absent). */
  text(options: { life?: number; stream?: OutputChunk['stream'] } = {}): string {
    return this.chunks
      .filter((c) => options.life === undefined || c.life === options.life)
      .filter((c) => options.stream === undefined || c.stream === options.stream)
      .map((c) => c.text)
      .join('');
  }
}

export interface NpmStartOptions {
  readonly dataDir: string;
  readonly port: number;
  /** Arguments after `npm start --`, e.g. `['--no-demo']`. */
  readonly args?: readonly string[];
  /** Added to (and overriding) the environment of the test process. */
  readonly env?: Readonly<Record<string, string>>;
  readonly log?: ProcessLog;
  /** Which start of the run this is, for the log. */
  readonly life?: number;
}

export interface NpmStartProcess {
  readonly child: ChildProcess;
  readonly log: ProcessLog;
  readonly life: number;
  /** Settles when the process group leader exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** This life's stdout and stderr so far. */
  output(): string;
}

/** Spawns `npm start` without waiting for anything (a test of refusals waits for the exit instead). */
export function spawnNpmStart(options: NpmStartOptions): NpmStartProcess {
  const log = options.log ?? new ProcessLog();
  const life = options.life ?? 0;
  const args = options.args === undefined || options.args.length === 0 ? [] : ['--', ...options.args];
  const child = spawn('npm', ['start', ...args], {
    cwd: REPOSITORY_ROOT,
    env: {
      ...process.env,
      PORT: String(options.port),
      DATA_DIR: options.dataDir,
      HOST: '127.0.0.1',
      SMTP_URL: '',
      ...options.env,
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream]?.on('data', (chunk: Buffer) =>
      log.add({ life, stream, atMs: Date.now(), text: chunk.toString('utf8') }),
    );
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
    } else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child, log, life, exited, output: () => log.text({ life }) };
}

export interface ReadyNpmStart extends NpmStartProcess {
  /** `http://127.0.0.1:PORT`, from the ready line. */
  readonly url: string;
  /** Wall time the ready line arrived. */
  readonly readyAtMs: number;
}

/** Spawns `npm start` and waits for its ready line; a process that exits first is an error with its output. */
export async function startNpm(options: NpmStartOptions, timeoutMs = 60_000): Promise<ReadyNpmStart> {
  const started = spawnNpmStart(options);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /ready at (http:\/\/\S+)\n/.exec(
      started.log.text({ life: started.life, stream: 'stdout' }),
    );
    if (match?.[1]) return { ...started, url: match[1], readyAtMs: Date.now() };
    const exit = await Promise.race([
      started.exited,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 25)),
    ]);
    if (exit !== undefined) {
      throw new Error(`npm start exited (${exit.code ?? exit.signal}) before ready:\n${started.output()}`);
    }
    if (Date.now() > deadline) {
      await killGroup(started, 'SIGKILL');
      throw new Error(`npm start was not ready within ${timeoutMs} ms:\n${started.output()}`);
    }
  }
}

/** Signals the whole process group and waits for the leader to exit. */
export async function killGroup(started: NpmStartProcess, signal: NodeJS.Signals): Promise<void> {
  const { child } = started;
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
  await started.exited;
}

/**
 * After a SIGKILL of the group the leader (npm) is gone at once, but the node process under it may
 * still be on its way out and hold the port or the data folder for a moment: wait until no member
 * of the group is left (signal 0 probes without signalling).
 */
export async function groupGone(started: NpmStartProcess, timeoutMs = 10_000): Promise<void> {
  const pid = started.child.pid;
  if (pid === undefined) return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(-pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return;
      throw error;
    }
    if (Date.now() > deadline) throw new Error(`process group ${pid} still alive after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
