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
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { signatureProblem, type LocalCredentials } from './signature.ts';
import { installFullIndexKeys } from './dynalite-index-keys.ts';

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

/** DynamoDB's answer to a request without valid credentials. */
const UNRECOGNIZED_CLIENT = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#UnrecognizedClientException',
  message: 'The security token included in the request is invalid.',
});

const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/**
 * Puts a signature check in front of dynalite's own request handler: the body is read, the
 * signature checked, and only then is the request handed on (replayed from memory). dynalite
 * answers any origin with `Access-Control-Allow-Origin: *`; a request with an Origin comes from a
 * browser, which has no business here, and is refused before dynalite sees it.
 */
function requireSignature(server: Server, credentials: LocalCredentials): void {
  const [handler] = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  if (handler === undefined) throw new Error('dynalite has no request handler');
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const refuse = (): void => {
      request.resume();
      response.writeHead(403, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(UNRECOGNIZED_CLIENT);
    };
    if (request.headers.origin !== undefined) {
      refuse();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) request.destroy();
      else chunks.push(chunk);
    });
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const problem = signatureProblem(
        { method: request.method ?? '', url: request.url ?? '/', headers: request.headers },
        body,
        credentials,
      );
      if (problem !== undefined) {
        response.writeHead(403, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(UNRECOGNIZED_CLIENT);
        return;
      }
      // The same request, its body replayed for dynalite's handler.
      const replay = Object.assign(Readable.from(body.length === 0 ? [] : [body]), {
        method: request.method,
        url: request.url,
        headers: request.headers,
      }) as unknown as IncomingMessage;
      handler(replay, response);
    });
  });
}

export async function startLocalDynamoDb(options: {
  path: string;
  host?: string;
  /** Refuse requests not signed with these (the embedded runtime always gives its own). */
  credentials?: LocalCredentials;
}): Promise<LocalDynamoDb> {
  await mkdir(options.path, { recursive: true });
  installFullIndexKeys();
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  if (options.credentials !== undefined) requireSignature(server, options.credentials);
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
