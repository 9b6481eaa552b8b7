/**
 * One `npm start` per data folder. The lock is a file naming the holder (pid and, on Linux, the
 * process's start time, so a pid reused after a reboot or a SIGKILL is not mistaken for the holder).
 * It is taken before anything in the folder is opened or written: LevelDB rotates its LOG file on
 * open, before it takes its own lock, and the clock, keys and demo data are written on start.
 *
 * A holder that died (SIGKILL, power loss) leaves its lock behind; the next start sees that the
 * named process is gone and takes the lock over. Starts racing for a stale lock are settled by a
 * takeover guard (`lock.takeover`, created exclusively): only its holder removes the stale lock, and
 * then every start competes for the lock again with an exclusive create.
 */
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export const LOCK_FILE = 'lock';

/** Who holds a data folder. */
export interface LockHolder {
  readonly pid: number;
  /** Start time of the process in clock ticks since boot (/proc/PID/stat field 22), where known. */
  readonly startTicks?: number;
}

export class DataFolderInUseError extends Error {
  readonly pid: number;

  constructor(pid: number) {
    super(`data folder in use (pid ${pid})`);
    this.name = 'DataFolderInUseError';
    this.pid = pid;
  }
}

export interface DataFolderLock {
  /** Removes the lock file if it still names this process. */
  release(): Promise<void>;
}

async function startTicksOf(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

async function isAlive(holder: LockHolder): Promise<boolean> {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (holder.startTicks === undefined) return true;
  const ticks = await startTicksOf(holder.pid);
  return ticks === undefined || ticks === holder.startTicks;
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid !== 'number' || !Number.isInteger(value.pid) || value.pid <= 0) return undefined;
    return typeof value.startTicks === 'number'
      ? { pid: value.pid, startTicks: value.startTicks }
      : { pid: value.pid };
  } catch {
    return undefined;
  }
}

async function readLock(file: string): Promise<{ text: string; holder: LockHolder | undefined } | undefined> {
  try {
    const text = await readFile(file, 'utf8');
    return { text, holder: parseHolder(text) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A takeover guard older than this was left by a start that died taking over. */
const GUARD_STALE_MS = 10_000;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the data folder's lock, or throws DataFolderInUseError naming the live holder. Reads only
 * while the folder is held by another process: a refused start changes nothing in it.
 */
export async function lockDataFolder(dataDir: string): Promise<DataFolderLock> {
  const file = join(dataDir, LOCK_FILE);
  const ticks = await startTicksOf(process.pid);
  const me: LockHolder = ticks === undefined ? { pid: process.pid } : { pid: process.pid, startTicks: ticks };
  const mine = JSON.stringify(me);

  for (let attempt = 0; attempt < 20; attempt += 1) {
    try {
      const handle = await open(file, 'wx', 0o600);
      try {
        await handle.writeFile(mine);
      } finally {
        await handle.close();
      }
      return {
        async release() {
          const now = await readLock(file).catch(() => undefined);
          if (now?.text === mine) await unlink(file).catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const seen = await readLock(file);
    if (seen === undefined) continue;
    if (seen.holder === undefined) {
      // Being written this instant by another start, or left empty by one that died doing so.
      await pause(50);
      const again = await readLock(file);
      if (again === undefined || again.text !== seen.text) continue;
    } else if (await isAlive(seen.holder)) {
      throw new DataFolderInUseError(seen.holder.pid);
    }
    // Stale. Only the start holding the takeover guard may remove it: a plain rename or unlink
    // could remove a lock another start has just taken, leaving two holders.
    const guard = `${file}.takeover`;
    try {
      await (await open(guard, 'wx', 0o600)).close();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Another start is taking over; a guard left by one that died is old and removed.
      const age = await stat(guard).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > GUARD_STALE_MS) await unlink(guard).catch(() => undefined);
      await pause(50);
      continue;
    }
    try {
      // While the stale lock stands no start can create one, so still seeing it means it is stale.
      const again = await readLock(file);
      if (again?.text === seen.text) await unlink(file).catch(() => undefined);
    } finally {
      await unlink(guard).catch(() => undefined);
    }
  }
  throw new Error(`could not take the lock of ${dataDir}`);
}
