import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  hashLinkId,
  isWellFormedLinkId,
  newLinkId,
  newNonce,
  sameSecret,
} from '../../../functions/lib/review-links.ts';

describe('review link ids', () => {
  it('are 256 random bits in base64url', () => {
    const id = newLinkId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(id, 'base64url')).toHaveLength(32);
    expect(isWellFormedLinkId(id)).toBe(true);
  });

  it('do not repeat and use the whole alphabet', () => {
    const ids = Array.from({ length: 2000 }, newLinkId);
    expect(new Set(ids).size).toBe(ids.length);
    const alphabet = new Set(ids.join(''));
    // 86,000 characters drawn from 64 symbols: a biased or truncated source would miss some.
    expect(alphabet.size).toBe(64);
  });

  it('reject ids of another shape before any lookup', () => {
    expect(isWellFormedLinkId('short')).toBe(false);
    expect(isWellFormedLinkId(`${newLinkId()}x`)).toBe(false);
    expect(isWellFormedLinkId('a'.repeat(42) + '/')).toBe(false);
  });
});

describe('hashLinkId', () => {
  it('is the SHA-256 hex digest without a secret', () => {
    const id = newLinkId();
    expect(hashLinkId(id, undefined)).toBe(createHash('sha256').update(id).digest('hex'));
    expect(hashLinkId(id, undefined)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is an HMAC keyed by the secret when one is set', () => {
    const id = newLinkId();
    const keyed = hashLinkId(id, 'server-secret');
    expect(keyed).toBe(createHmac('sha256', 'server-secret').update(id).digest('hex'));
    expect(keyed).not.toBe(hashLinkId(id, undefined));
    expect(keyed).not.toBe(hashLinkId(id, 'another-secret'));
  });

  it('is stable for one id and differs between ids', () => {
    const a = newLinkId();
    expect(hashLinkId(a, undefined)).toBe(hashLinkId(a, undefined));
    expect(hashLinkId(a, undefined)).not.toBe(hashLinkId(newLinkId(), undefined));
  });
});

describe('nonces', () => {
  it('are 128 random bits and compare in constant time', () => {
    const nonce = newNonce();
    expect(Buffer.from(nonce, 'base64url')).toHaveLength(16);
    expect(nonce).not.toBe(newNonce());
    expect(sameSecret(nonce, nonce)).toBe(true);
    expect(sameSecret(nonce, newNonce())).toBe(false);
    expect(sameSecret(nonce, nonce.slice(1))).toBe(false);
  });
});
