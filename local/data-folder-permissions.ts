/**
 * The data folder holds live review links (the outbox), the link secret, the dev signing key and
 * the whole database: only its owner may read it. Folders are 700 and files 600: existing ones are
 * set so on start (a folder made by an earlier version, or copied in), and what the runtime and
 * its embedded services (LevelDB, s3rver, the outbox) create afterwards is created so, by the
 * process umask 077 this runtime holds while it runs.
 */
import { chmod, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export const DATA_FOLDER_MODE = 0o700;
export const DATA_FILE_MODE = 0o600;
const OWNER_ONLY_UMASK = 0o077;

/** Sets every folder under `dir` (itself included) to 700 and every file to 600; links are left alone. */
export async function restrictTree(dir: string): Promise<void> {
  const stat = await lstat(dir);
  if (stat.isSymbolicLink()) return;
  if (!stat.isDirectory()) {
    if ((stat.mode & 0o777) !== DATA_FILE_MODE) await chmod(dir, DATA_FILE_MODE);
    return;
  }
  if ((stat.mode & 0o777) !== DATA_FOLDER_MODE) await chmod(dir, DATA_FOLDER_MODE);
  for (const name of await readdir(dir)) await restrictTree(join(dir, name));
}

/**
 * Restricts the folder and sets the umask; returns what restores the previous umask (on stop).
 * The umask is the process's: one runtime per process holds it (several in a test process share it).
 */
export async function restrictDataFolder(dir: string): Promise<() => void> {
  const previous = process.umask(OWNER_ONLY_UMASK);
  await restrictTree(dir);
  return () => {
    process.umask(previous);
  };
}
