import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';

/**
 * The embedded runtime's identity provider: one ES256 key per data folder, kept as a JWK file so
 * tokens minted before a restart still verify after it. `verifyToken` is the local stand-in for
 * API Gateway's JWT authorizer, with the same checks (signature, issuer, audience, expiry).
 *
 * Token claims (functions/auth/claims.ts reads them): `sub`, `role`, and for applicants
 * `enterprises` as a JSON array of enterprise ids.
 */

export const DEV_ISSUER = 'credit-repair-local';
export const DEV_AUDIENCE = 'credit-repair';
export const DEV_TOKEN_LIFETIME = '12h';
export const DEV_KEY_FILE = 'dev-signing-key.jwk.json';
const ALGORITHM = 'ES256';

export type DevRole = 'officer' | 'applicant';

export interface MintOptions {
  readonly role: DevRole;
  readonly enterprises?: readonly string[];
  readonly subject?: string;
}

export interface DevAuth {
  mintToken(options: MintOptions): Promise<string>;
  /** The verified claims; throws when the token is not one this key signed, or has expired. */
  verifyToken(token: string): Promise<JWTPayload>;
  readonly publicJwk: JWK;
}

async function readOrCreateKey(dir: string): Promise<JWK> {
  const file = join(dir, DEV_KEY_FILE);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as JWK;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(dir, { recursive: true });
  const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: ALGORITHM, kid: `local-${Date.now().toString(36)}` };
  try {
    // `wx`: if another process created the file meanwhile, use its key rather than replace it.
    await writeFile(file, JSON.stringify(jwk), { flag: 'wx', mode: 0o600 });
    return jwk;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return JSON.parse(await readFile(file, 'utf8')) as JWK;
  }
}

export async function loadDevAuth(dataDir: string): Promise<DevAuth> {
  const privateJwk = await readOrCreateKey(dataDir);
  const { d: _private, ...publicJwk } = privateJwk;
  const privateKey = await importJWK(privateJwk, ALGORITHM);
  const publicKey = await importJWK(publicJwk, ALGORITHM);

  return {
    publicJwk,
    async mintToken({ role, enterprises = [], subject }) {
      if (role === 'applicant' && enterprises.length === 0) {
        throw new Error('an applicant token must name at least one enterprise');
      }
      const claims: JWTPayload = role === 'applicant' ? { role, enterprises: [...enterprises] } : { role };
      return new SignJWT(claims)
        .setProtectedHeader({
          alg: ALGORITHM,
          typ: 'JWT',
          ...(privateJwk.kid === undefined ? {} : { kid: privateJwk.kid }),
        })
        .setSubject(subject ?? (role === 'officer' ? 'officer-local' : `applicant-${enterprises.join('-')}`))
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(DEV_TOKEN_LIFETIME)
        .sign(privateKey);
    },
    async verifyToken(token) {
      const { payload } = await jwtVerify(token, publicKey, {
        issuer: DEV_ISSUER,
        audience: DEV_AUDIENCE,
        algorithms: [ALGORITHM],
      });
      return payload;
    },
  };
}
