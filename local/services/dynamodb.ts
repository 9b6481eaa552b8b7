/**
 * dynalite on loopback, persisted with LevelDB under the data folder.
 *
 * Durability: dynalite answers a write after LevelDB's `put`/`batch` has completed, and LevelDB
 * (classic-level) appends every write to its log file and flushes it to the operating system
 * before completing, even without `sync`. So a write the API acknowledged survives a SIGKILL of
 * this process; only a crash of the machine itself could lose the last writes (which `sync`
 * would cover, and which a development runtime does not need to pay an fsync per write for).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';

// dynalite is CommonJS without type declarations.
const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (options: {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
  path?: string;
}) => Server;

export interface LocalDynamoDb {
  readonly endpoint: string;
  /** Stops accepting requests and closes LevelDB (which flushes it). */
  close(): Promise<void>;
}

export async function startLocalDynamoDb(options: { path: string; host?: string }): Promise<LocalDynamoDb> {
  await mkdir(options.path, { recursive: true });
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    async close() {
      // The SDK keeps connections alive; without this, close() would wait for them to idle out.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
