import type { LinkSecret } from '../../ports/link-secret.ts';

/**
 * Where the review-link secret comes from, read from the environment on every call (a function
 * deployed with a new ARN reads it as a cold container would), first match wins:
 * 1. `arnVariable` (AWS: infra/constructs/grant-access.ts sets it, with GetSecretValue on that
 *    secret alone): read from Secrets Manager once per container and ARN.
 * 2. `valueVariable` (the embedded runtime or tests): the secret itself.
 * 3. Neither: plain SHA-256. Still no usable id in the table, but an attacker holding the table can
 *    test guesses offline; ids carry 256 bits, so guessing is hopeless either way.
 */

/**
 * Powertools' cache lifetime for the secret. The value never changes while links are open, so a
 * container keeps it for its whole life; the cache below already holds it, this only keeps
 * Powertools from refetching if anything else asks it for the same secret.
 */
const SECRET_MAX_AGE_SECONDS = 24 * 60 * 60;

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
