import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LINK_SECRET_ARN_ENV, LINK_SECRET_ENV } from '../../../functions/composition/environment.ts';
import { hashLinkId, hashLinkIdWith, newLinkId } from '../../../functions/usecases/reviews/link-ids.ts';
import { linkSecret } from '../../../functions/composition/link-secret.ts';
import { linkSecretFromEnv } from '../../../functions/adapters/secrets-manager/link-secret.ts';

const VARIABLES = { arnVariable: LINK_SECRET_ARN_ENV, valueVariable: LINK_SECRET_ENV };

/**
 * The failure paths of reading the link secret on AWS (access denied, a secret of the wrong kind),
 * which never fall back to an unkeyed hash. The working path goes over the real protocol in
 * link-secret-protocol.test.ts; these paths replace the GetSecretValue call, as Secrets Manager's
 * own refusals cannot be produced here.
 */

const secretValue = vi.hoisted(() => vi.fn<(arn: string) => Promise<string | Uint8Array | undefined>>());
vi.mock('../../../functions/adapters/secrets-manager/secret-value.ts', () => ({ secretValue }));

let arnCount = 0;
/** A fresh ARN per test: the secret is cached per container and ARN, as on Lambda. */
const newArn = () => `arn:aws:secretsmanager:us-east-1:123456789012:secret:link-${(arnCount += 1)}-AbCdEf`;

const saved = { secret: process.env[LINK_SECRET_ENV], arn: process.env[LINK_SECRET_ARN_ENV] };

beforeEach(() => {
  secretValue.mockReset();
});

afterEach(() => {
  for (const [name, value] of [
    [LINK_SECRET_ENV, saved.secret],
    [LINK_SECRET_ARN_ENV, saved.arn],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('the link secret from Secrets Manager', () => {
  it('fails instead of hashing without the secret, and tries again on the next call', async () => {
    process.env[LINK_SECRET_ARN_ENV] = newArn();
    secretValue.mockRejectedValueOnce(new Error('AccessDeniedException'));
    const id = newLinkId();
    await expect(hashLinkId(id, linkSecret())).rejects.toThrow('AccessDeniedException');

    secretValue.mockResolvedValueOnce('second-try');
    expect(await hashLinkId(id, linkSecret())).toBe(hashLinkIdWith(id, 'second-try'));
    expect(secretValue).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['an empty string', ''],
    ['a binary secret', new Uint8Array([1, 2, 3])],
    ['no value', undefined],
  ])('refuses %s as the secret', async (_label, value) => {
    const arn = newArn();
    secretValue.mockResolvedValue(value);
    await expect(linkSecretFromEnv(VARIABLES, { [LINK_SECRET_ARN_ENV]: arn }).value()).rejects.toThrow(arn);
  });
});
