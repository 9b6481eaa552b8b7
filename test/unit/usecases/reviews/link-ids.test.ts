import { createHash, createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { LINK_SECRET_ARN_ENV, LINK_SECRET_ENV } from '../../../../functions/composition/environment.ts';
import {
  hashLinkId,
  hashLinkIdWith,
  isWellFormedLinkId,
  newLinkId,
  newNonce,
  sameSecret,
} from '../../../../functions/usecases/reviews/link-ids.ts';
import { linkSecret } from '../../../../functions/composition/link-secret.ts';
import { linkSecretFromEnv } from '../../../../functions/adapters/secrets-manager/link-secret.ts';

const VARIABLES = { arnVariable: LINK_SECRET_ARN_ENV, valueVariable: LINK_SECRET_ENV };

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

describe('hashLinkIdWith', () => {
  it('is the SHA-256 hex digest without a secret', () => {
    const id = newLinkId();
    expect(hashLinkIdWith(id, undefined)).toBe(createHash('sha256').update(id).digest('hex'));
    expect(hashLinkIdWith(id, undefined)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is an HMAC keyed by the secret when one is set', () => {
    const id = newLinkId();
    const keyed = hashLinkIdWith(id, 'server-secret');
    expect(keyed).toBe(createHmac('sha256', 'server-secret').update(id).digest('hex'));
    expect(keyed).not.toBe(hashLinkIdWith(id, undefined));
    expect(keyed).not.toBe(hashLinkIdWith(id, 'another-secret'));
  });

  it('is stable for one id and differs between ids', () => {
    const a = newLinkId();
    expect(hashLinkIdWith(a, undefined)).toBe(hashLinkIdWith(a, undefined));
    expect(hashLinkIdWith(a, undefined)).not.toBe(hashLinkIdWith(newLinkId(), undefined));
  });
});

describe('hashLinkId without a secret ARN', () => {
  const saved = { secret: process.env[LINK_SECRET_ENV], arn: process.env[LINK_SECRET_ARN_ENV] };
  afterEach(() => {
    for (const [name, value] of [
      [LINK_SECRET_ENV, saved.secret],
      [LINK_SECRET_ARN_ENV, saved.arn],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('keys the HMAC with LINK_SECRET when it is set (the embedded runtime, tests)', async () => {
    delete process.env[LINK_SECRET_ARN_ENV];
    process.env[LINK_SECRET_ENV] = 'local-secret';
    const id = newLinkId();
    expect(await hashLinkId(id, linkSecret())).toBe(hashLinkIdWith(id, 'local-secret'));
    expect(await linkSecret().value()).toBe('local-secret');
  });

  it('is plain SHA-256 when neither variable is set', async () => {
    delete process.env[LINK_SECRET_ARN_ENV];
    delete process.env[LINK_SECRET_ENV];
    const id = newLinkId();
    expect(await hashLinkId(id, linkSecret())).toBe(createHash('sha256').update(id).digest('hex'));
    expect(await linkSecretFromEnv(VARIABLES, { [LINK_SECRET_ENV]: '' }).value()).toBeUndefined();
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
