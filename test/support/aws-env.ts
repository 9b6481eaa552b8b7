import { resetAwsClients } from '../../functions/adapters/aws-clients.ts';

/**
 * Points the shared SDK clients at test endpoints through the same environment variables the embedded
 * runtime uses, and restores the previous environment afterwards.
 */
export function useAwsEnv(vars: Record<string, string>): () => void {
  const previous = new Map<string, string | undefined>();
  const all: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    ...vars,
  };
  for (const [name, value] of Object.entries(all)) {
    previous.set(name, process.env[name]);
    process.env[name] = value;
  }
  resetAwsClients();
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetAwsClients();
  };
}
