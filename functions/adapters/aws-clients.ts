/**
 * The registry of shared SDK clients. Each AWS adapter folder builds its own client on first use
 * (its client.ts), so a function loads and builds only the clients of the adapters it uses, and the
 * embedded runtime can set its endpoint variables before any is built. This module imports no SDK.
 *
 * Endpoints are not configured anywhere: SDK v3 reads `AWS_ENDPOINT_URL_<SERVICE>` itself
 * (DYNAMODB, S3, SFN, SESV2, EVENTBRIDGE). On Lambda they are unset and the clients go to the
 * regional endpoints; the embedded runtime sets them to its loopback services.
 */

interface Destroyable {
  destroy(): void;
}

const resets = new Set<() => void>();
const onBuilt = new Set<(client: object) => void>();

/** A getter of one shared client, built on first use and again after resetAwsClients(). */
export function sharedClient<C extends Destroyable>(build: () => C): () => C {
  let client: C | undefined;
  resets.add(() => {
    client?.destroy();
    client = undefined;
  });
  return () => {
    if (client === undefined) {
      client = build();
      for (const hook of onBuilt) hook(client);
    }
    return client;
  };
}

/**
 * Runs `hook` on every client built from now on (the embedded runtime adds its fault-injection
 * middleware this way; on Lambda nothing is registered). Returns what unregisters it.
 */
export function onClientBuilt(hook: (client: object) => void): () => void {
  onBuilt.add(hook);
  return () => onBuilt.delete(hook);
}

/**
 * Drops every client built so far, so the next use builds it from the current environment: for
 * the embedded runtime's start and stop, and for tests that point the SDK at a fresh emulator.
 */
export function resetAwsClients(): void {
  for (const reset of resets) reset();
}
