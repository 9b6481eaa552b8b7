import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StoredState } from '../support/crash/forensics.ts';
import {
  freePort,
  groupGone,
  killGroup,
  spawnNpmStart,
  startNpm,
  type NpmStartProcess,
} from '../support/npm-start.ts';

/**
 * Issue 13, "Data folder lock": a second `npm start` on a data folder in use exits at once with
 * `data folder in use (pid N)`, N the holder, and changes nothing in the folder (CONTRACT.md,
 * Revision 2); a port already taken is reported before any demo data is written.
 */

const started: NpmStartProcess[] = [];
const folders: string[] = [];

afterEach(async () => {
  for (const proc of started.splice(0)) {
    if (proc.child.pid !== undefined) {
      try {
        process.kill(-proc.child.pid, 'SIGCONT');
      } catch {
        // already gone
      }
    }
    await killGroup(proc, 'SIGKILL');
    await groupGone(proc);
  }
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function newFolder(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `${name}-`));
  folders.push(dir);
  return dir;
}

/** Every file under `dir` with its size and content hash (what "changing nothing" compares). */
async function folderSnapshot(dir: string): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) {
        snapshot[`${path.slice(dir.length)}/`] = 'dir';
        await walk(path);
      } else {
        const content = await readFile(path);
        snapshot[path.slice(dir.length)] =
          `${(await stat(path)).size} ${createHash('sha256').update(content).digest('hex').slice(0, 12)}`;
      }
    }
  };
  await walk(dir);
  return snapshot;
}

/** The process group of a pid (field 5 of /proc/PID/stat), or undefined when there is no such process. */
async function processGroupOf(pid: number): Promise<number | undefined> {
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).replace(/^.*\) /, '').split(' ');
    return Number(fields[2]);
  } catch {
    return undefined;
  }
}

const EXIT_DEADLINE_MS = 30_000;

async function exitOf(
  proc: NpmStartProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'still running'> {
  return Promise.race([
    proc.exited,
    new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), EXIT_DEADLINE_MS)),
  ]);
}

describe('a data folder in use', () => {
  it('makes a second npm start exit at once with "data folder in use (pid N)", N the holder, changing nothing', async () => {
    const dataDir = await newFolder('lock-holder');
    const holder = await startNpm({ dataDir, port: await freePort() });
    started.push(holder);
    // The holder is stopped (SIGSTOP): it keeps the folder and writes nothing (not even its clock),
    // so whatever changes in the folder from here on is the second start's doing.
    process.kill(-holder.child.pid!, 'SIGSTOP');
    const before = await folderSnapshot(dataDir);

    const second = spawnNpmStart({ dataDir, port: await freePort(), life: 1 });
    started.push(second);
    const exit = await exitOf(second);
    const output = second.output();
    // Every way the second start can fail the contract, listed together.
    const problems: string[] = [];
    if (exit === 'still running') problems.push(`still running after ${EXIT_DEADLINE_MS} ms`);
    else if (exit.code === 0) problems.push('exited with 0');
    const match = /data folder in use \(pid (\d+)\)/.exec(output);
    if (!match) problems.push('no "data folder in use (pid N)" in its output');
    // The pid is the holder's: a live process of the first npm start's process group.
    else if ((await processGroupOf(Number(match[1]))) !== holder.child.pid)
      problems.push(`pid ${match[1]} is not the holder`);
    const after = await folderSnapshot(dataDir);
    for (const path of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (before[path] !== after[path])
        problems.push(`${path}: ${before[path] ?? 'absent'} → ${after[path] ?? 'absent'}`);
    }
    if (/\n\s+at /.test(output)) problems.push(`a stack trace: ${/^.*Error.*$/m.exec(output)?.[0] ?? ''}`);
    expect(problems, output).toEqual([]);
  }, 90_000);
});

describe('a port in use', () => {
  let blocker: Server | undefined;

  afterEach(async () => {
    await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
    blocker = undefined;
  });

  it('is reported before any demo data is written to a new data folder', async () => {
    const dataDir = await newFolder('port-clash');
    const port = await freePort();
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(port, '127.0.0.1', resolve));

    const proc = spawnNpmStart({ dataDir, port });
    started.push(proc);
    const exit = await exitOf(proc);
    const output = proc.output();
    const problems: string[] = [];
    if (exit === 'still running') problems.push(`still running after ${EXIT_DEADLINE_MS} ms`);
    else if (exit.code === 0) problems.push('exited with 0');
    if (!new RegExp(`${port}.*in use|in use.*${port}`).test(output))
      problems.push(`no "port ${port} in use" in its output`);
    // No demo data: no manifest, and no enterprise in the table (if a table was made at all).
    if (existsSync(join(dataDir, 'demo.json'))) problems.push('demo.json was written');
    if (existsSync(join(dataDir, 'dynamodb'))) {
      const store = await StoredState.open(dataDir);
      try {
        const enterprises = await store.countItems('ENT#');
        if (enterprises > 0) problems.push(`${enterprises} enterprise items were written`);
      } finally {
        await store.close();
      }
    }
    expect(problems, output).toEqual([]);
  }, 90_000);
});
