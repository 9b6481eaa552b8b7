import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRuntime, type Runtime } from '../../local/runtime.ts';

/**
 * The embedded runtime on a fresh data folder and a free port, for one test file. Its timer sweeps
 * once an hour, so in a test only the test sweeps (POST /_local/sweep).
 */
export interface EmbeddedRuntime {
  readonly runtime: Runtime;
  /** Stops the runtime and deletes its data folder. */
  stop(): Promise<void>;
}

export async function startEmbeddedRuntime(name: string): Promise<EmbeddedRuntime> {
  const dataDir = await mkdtemp(join(tmpdir(), `${name}-`));
  const runtime = await startRuntime({ dataDir, port: 0, quiet: true, sweepIntervalMs: 3_600_000 });
  return {
    runtime,
    async stop() {
      await runtime.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
