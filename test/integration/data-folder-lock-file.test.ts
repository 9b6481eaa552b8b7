import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataFolderInUseError, LOCK_FILE, lockDataFolder } from '../../local/services/data-folder-lock.ts';

/**
 * The data folder's lock file (local/services/data-folder-lock.ts): held by a live process it refuses
 * and changes nothing; left by a dead one (SIGKILL) or naming a reused pid it is taken over; a lock
 * that is released is gone. The two-`npm start` case is test/integration/data-folder-lock.test.ts.
 */

const folders: string[] = [];
afterEach(async () => {
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lock-file-'));
  folders.push(dir);
  return dir;
}

/** A pid that named a process a moment ago and names none now. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('the data folder lock', () => {
  it('refuses a second holder with the first one pid, writing nothing, and is free again once released', async () => {
    const dir = await folder();
    const lock = await lockDataFolder(dir);
    const before = await readFile(join(dir, LOCK_FILE), 'utf8');
    const refused = await lockDataFolder(dir).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DataFolderInUseError);
    expect((refused as Error).message).toBe(`data folder in use (pid ${process.pid})`);
    expect(await readFile(join(dir, LOCK_FILE), 'utf8')).toBe(before);
    expect(await readdir(dir)).toEqual([LOCK_FILE]);
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
    await (await lockDataFolder(dir)).release();
  });

  it('takes over a lock whose holder died, leaving no stray file', async () => {
    const dir = await folder();
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid() }));
    const lock = await lockDataFolder(dir);
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    expect(await readdir(dir)).toEqual([LOCK_FILE]);
    await lock.release();
  });

  it('takes over a lock naming a live pid of another process start (a pid reused after a crash)', async () => {
    const dir = await folder();
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, startTicks: 1 }));
    const lock = await lockDataFolder(dir);
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('takes over an empty lock file (a start that died while writing it)', async () => {
    const dir = await folder();
    await writeFile(join(dir, LOCK_FILE), '');
    const lock = await lockDataFolder(dir);
    expect(await readdir(dir)).toEqual([LOCK_FILE]);
    await lock.release();
  });

  it('lets exactly one of several simultaneous starts take a stale lock', async () => {
    const dir = await folder();
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid() }));
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => lockDataFolder(dir)));
    // All run in this one process, so the winner's pid is ours: the others see it as alive.
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(DataFolderInUseError);
    expect(await readdir(dir)).toEqual([LOCK_FILE]);
    await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof lockDataFolder>>>).value.release();
  });
});
