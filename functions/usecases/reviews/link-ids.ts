import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { LinkSecret } from '../../ports/link-secret.ts';

/**
 * Review-link ids and nonces (DESIGN.md principle 6). A link id is 256 random bits; the table
 * stores only its hash, so a leaked table or backup opens no review. With a link secret (the
 * link-secret port) the hash is an HMAC, so even a guessed id cannot be checked against a stolen
 * table without the secret. None of these values is ever logged.
 */

const LINK_ID_BYTES = 32;
const NONCE_BYTES = 16;

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

/** The hex digest under which a link is stored, with the deployment's secret. */
export async function hashLinkId(linkId: string, secret: LinkSecret): Promise<string> {
  return hashLinkIdWith(linkId, await secret.value());
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

/** Where a link id opens its page: `${base}/review/<id>` (the id goes into emails only). */
export function reviewUrl(base: string, linkId: string): string {
  return `${base.replace(/\/+$/, '')}/review/${linkId}`;
}
