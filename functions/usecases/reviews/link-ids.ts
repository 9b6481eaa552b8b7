import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Review-link secrets (DESIGN.md principle 6). A link id is 256 random bits; the table stores only
 * its hash, so a leaked table or backup opens no review. With a link secret the hash is an HMAC,
 * so even a guessed id cannot be checked against a stolen table without the secret.
 * None of these values is ever logged.
 *
 * Where the secret comes from, first match wins:
 * 1. LINK_SECRET_ARN (AWS: infra/constructs/grant-access.ts sets it, with GetSecretValue on that
 *    secret alone): read from Secrets Manager once per cold start.
 * 2. LINK_SECRET (the embedded runtime or tests): the secret itself.
 * 3. Neither: plain SHA-256. Still no usable id in the table, but an attacker holding the table can
 *    test guesses offline; ids carry 256 bits, so guessing is hopeless either way.
 * The secret is never rotated: every stored hash depends on it, so a new secret voids open links.
 */

export const LINK_SECRET_ARN_ENV = 'LINK_SECRET_ARN';
export const LINK_SECRET_ENV = 'LINK_SECRET';

const LINK_ID_BYTES = 32;
const NONCE_BYTES = 16;
/**
 * Powertools' cache lifetime for the secret. The value never changes while links are open, so a
 * container keeps it for its whole life; the module-level cache below already holds it, this only
 * keeps Powertools from refetching if anything else asks it for the same secret.
 */
const SECRET_MAX_AGE_SECONDS = 24 * 60 * 60;

/** A new link id: 32 random bytes as base64url (43 characters, 256 bits). */
export function newLinkId(): string {
  return randomBytes(LINK_ID_BYTES).toString('base64url');
}

/** The shape every id `newLinkId` makes; anything else is rejected before a table read. */
export function isWellFormedLinkId(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** The hex digest of `linkId`: HMAC-SHA-256 keyed by `secret`, or SHA-256 without one. */
export function hashLinkIdWith(linkId: string, secret: string | undefined): string {
  const hash = secret ? createHmac('sha256', secret) : createHash('sha256');
  return hash.update(linkId, 'utf8').digest('hex');
}

let fetched: { readonly arn: string; readonly secret: Promise<string> } | undefined;

async function fetchSecret(arn: string): Promise<string> {
  // Imported on demand: the Secrets Manager client is no dependency of this project (the Lambda
  // runtime provides it; bundles mark @aws-sdk/* external), so the embedded runtime and tests,
  // which never set the ARN, must not load it.
  const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
  const value: unknown = await getSecret(arn, { maxAge: SECRET_MAX_AGE_SECONDS });
  // Falling back to plain SHA-256 here would store links no later lookup can find: fail instead.
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`the link secret ${arn} has no string value`);
  }
  return value;
}

/**
 * The link secret for the current environment, or undefined for plain SHA-256 (see above). The
 * Secrets Manager value is fetched once per container and ARN; a failed fetch is not kept, so the
 * next call tries again.
 */
export async function linkSecret(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const arn = env[LINK_SECRET_ARN_ENV];
  if (!arn) return env[LINK_SECRET_ENV] || undefined;
  if (fetched?.arn === arn) return fetched.secret;
  const secret = fetchSecret(arn);
  fetched = { arn, secret };
  secret.catch(() => {
    if (fetched?.secret === secret) fetched = undefined;
  });
  return secret;
}

/** The hex digest under which a link is stored, with the secret of the current environment. */
export async function hashLinkId(linkId: string): Promise<string> {
  return hashLinkIdWith(linkId, await linkSecret());
}

/** A one-time form nonce (128 bits, base64url) for the review confirmation page. */
export function newNonce(): string {
  return randomBytes(NONCE_BYTES).toString('base64url');
}

/** Compares a submitted secret with the stored one in constant time. */
export function sameSecret(submitted: string, stored: string): boolean {
  const a = Buffer.from(submitted, 'utf8');
  const b = Buffer.from(stored, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
