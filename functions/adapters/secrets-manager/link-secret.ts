import type { LinkSecret } from '../../ports/link-secret.ts';
import { secretValue } from './secret-value.ts';

/**
 * Where the review-link secret comes from, read from the environment on every call (a function
 * deployed with a new ARN reads it as a cold container would), first match wins:
 * 1. `arnVariable` (AWS: infra/constructs/grant-access.ts sets it, with GetSecretValue on that
 *    secret alone): read from Secrets Manager once per container and ARN.
 * 2. `valueVariable` (the embedded runtime or tests): the secret itself.
 * 3. Neither: plain SHA-256. Still no usable id in the table, but an attacker holding the table can
 *    test guesses offline; ids carry 256 bits, so guessing is hopeless either way.
 */

let fetched: { readonly arn: string; readonly secret: Promise<string> } | undefined;

async function fetchSecret(arn: string): Promise<string> {
  // The value never changes while links are open, so a container keeps it for its whole life.
  const value = await secretValue(arn);
  // Falling back to plain SHA-256 here would store links no later lookup can find: fail instead.
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`the link secret ${arn} has no string value`);
  }
  return value;
}

/** The secret the ARN in the environment names, fetched once; a failed fetch is not kept. */
function secretOf(arn: string): Promise<string> {
  if (fetched?.arn === arn) return fetched.secret;
  const secret = fetchSecret(arn);
  fetched = { arn, secret };
  secret.catch(() => {
    if (fetched?.secret === secret) fetched = undefined;
  });
  return secret;
}

export function linkSecretFromEnv(
  variables: { readonly arnVariable: string; readonly valueVariable: string },
  env: NodeJS.ProcessEnv = process.env,
): LinkSecret {
  return {
    value: async () => {
      const arn = env[variables.arnVariable];
      if (!arn) return env[variables.valueVariable] || undefined;
      return secretOf(arn);
    },
  };
}
