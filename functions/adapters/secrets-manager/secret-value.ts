import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { sharedClient } from '../aws-clients.ts';

/**
 * GetSecretValue for the secret readers (the review-link secret, the SMTP settings), which keep
 * what they read for the container's life. The SDK package is imported on demand: the Lambda
 * runtime provides it (bundles mark @aws-sdk/* external, and a dynamic import of it stays dynamic,
 * so no function loads the client at cold start), and the embedded runtime and tests, which never
 * name a secret ARN, never load it.
 */

let client: (() => SecretsManagerClient) | undefined;

/** The shared Secrets Manager client, built on first use as the other adapters' clients are. */
export async function secretsManagerClient(): Promise<SecretsManagerClient> {
  const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  client ??= sharedClient(() => new SecretsManagerClient({}));
  return client();
}

/** The secret's string, else its binary value, as GetSecretValue answers; undefined when it has neither. */
export async function secretValue(arn: string): Promise<string | Uint8Array | undefined> {
  const { GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const { SecretString, SecretBinary } = await (
    await secretsManagerClient()
  ).send(new GetSecretValueCommand({ SecretId: arn }));
  return SecretString || SecretBinary;
}
