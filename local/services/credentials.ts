/**
 * This runtime's AWS credentials: a key pair made for each data folder (kept in it, readable by its
 * owner only) that the handlers sign with and the embedded services check. A well-known pair would
 * let anyone on the machine, or a web page, talk to the services directly.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import type { LocalCredentials } from './signature.ts';

const isCredentials = (value: unknown): value is LocalCredentials =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as LocalCredentials).accessKeyId === 'string' &&
  typeof (value as LocalCredentials).secretAccessKey === 'string';

export async function runtimeCredentials(file: string): Promise<LocalCredentials> {
  try {
    const stored: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (isCredentials(stored)) return stored;
    throw new Error(`${file} does not hold credentials`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const credentials: LocalCredentials = {
    accessKeyId: `LOCAL${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  };
  try {
    await writeFile(file, JSON.stringify(credentials), { mode: 0o600, flag: 'wx' });
    return credentials;
  } catch (error) {
    // Another start wrote them meanwhile: use those.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return runtimeCredentials(file);
  }
}
