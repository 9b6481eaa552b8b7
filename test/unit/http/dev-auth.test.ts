import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_KEY_FILE, loadDevAuth } from '../../../local/dev-auth.ts';

const dirs: string[] = [];
const freshDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dev-auth-'));
  dirs.push(dir);
  return dir;
};
afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('dev auth', () => {
  it('mints tokens with the claims the authorizer passes, and verifies them', async () => {
    const auth = await loadDevAuth(await freshDir());
    const claims = await auth.verifyToken(
      await auth.mintToken({ role: 'applicant', enterprises: ['ENT0000001'] }),
    );
    expect(claims).toMatchObject({
      iss: DEV_ISSUER,
      aud: DEV_AUDIENCE,
      sub: 'applicant-ENT0000001',
      role: 'applicant',
      enterprises: ['ENT0000001'],
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(12 * 3600);
    const officer = await auth.verifyToken(await auth.mintToken({ role: 'officer', subject: 'chief' }));
    expect(officer).toMatchObject({ sub: 'chief', role: 'officer' });
    expect(officer.enterprises).toBeUndefined();
  });

  it('keeps its key in the data folder: tokens survive a restart', async () => {
    const dir = await freshDir();
    const token = await (await loadDevAuth(dir)).mintToken({ role: 'officer' });
    const restarted = await loadDevAuth(dir);
    await expect(restarted.verifyToken(token)).resolves.toMatchObject({ role: 'officer' });
    const stored = JSON.parse(await readFile(join(dir, DEV_KEY_FILE), 'utf8')) as Record<string, unknown>;
    expect(stored).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(restarted.publicJwk.d).toBeUndefined();
  });

  it('refuses tokens of another key, tampered tokens and applicants without enterprises', async () => {
    const mine = await loadDevAuth(await freshDir());
    const theirs = await loadDevAuth(await freshDir());
    await expect(mine.verifyToken(await theirs.mintToken({ role: 'officer' }))).rejects.toThrow();
    const [header, , signature] = (await mine.mintToken({ role: 'officer' })).split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ role: 'officer', sub: 'x' })).toString('base64url');
    await expect(mine.verifyToken(`${header}.${forgedPayload}.${signature}`)).rejects.toThrow();
    await expect(mine.mintToken({ role: 'applicant' })).rejects.toThrow(/at least one enterprise/);
  });
});
