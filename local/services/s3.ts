/**
 * s3rver on loopback, storing objects as files under the data folder, with the evidence bucket
 * configured. Its CORS rule names the gateway's origin only (the console uploads with the
 * presigned POST the API hands out): the runtime sets it with PutBucketCors once the gateway
 * listens (evidenceBucketCors). Given credentials, it answers only requests signed with them
 * (s3-access.ts).
 *
 * Durability: s3rver 3 answers an upload once its copy stream has been *read*, not once the file
 * has been written, so a SIGKILL right after an acknowledged upload could leave a short file.
 * `putObject` is replaced here by one that resolves only after the file stream has finished
 * writing to the operating system (then the metadata is written, as s3rver does).
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requireRuntimeKey } from './s3-access.ts';
import type { LocalCredentials } from './signature.ts';

/** The S3 key pair s3rver accepts (it checks signatures against this one account). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

interface StoredObject {
  readonly bucket: string;
  readonly key: string;
  readonly metadata: Record<string, string>;
  readonly content: Buffer | Readable;
}

interface FilesystemStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5: string): Promise<void>;
  putObject(object: StoredObject): Promise<{ size: number; md5: string }>;
}

interface S3rverInstance {
  readonly store: FilesystemStore;
  /** Koa's middleware list, composed when the server starts listening. */
  readonly middleware: unknown[];
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  readonly httpServer?: Server;
}

interface S3rverOptions {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  vhostBuckets: boolean;
  configureBuckets: { name: string; configs: string[] }[];
}

// s3rver is CommonJS without type declarations.
const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as new (options: S3rverOptions) => S3rverInstance;

/** The evidence bucket's CORS rule: the console at `origins` may upload (POST) and read; never `*`. */
export const evidenceBucketCors = (origins: readonly string[]) => ({
  CORSRules: [
    {
      AllowedOrigins: [...origins],
      AllowedMethods: ['POST', 'GET', 'HEAD'],
      AllowedHeaders: ['*'],
      ExposeHeaders: ['ETag'],
      MaxAgeSeconds: 3000,
    },
  ],
});

export interface LocalS3 {
  readonly endpoint: string;
  close(): Promise<void>;
}

function writeObjectsDurably(store: FilesystemStore): void {
  store.putObject = async (object) => {
    const path = store.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(path), { recursive: true });
    const hash = createHash('md5');
    let size = 0;
    const source = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    // pipeline resolves after the file stream's 'finish': every byte has been handed to the OS.
    await pipeline(source, measure, createWriteStream(path));
    const md5 = hash.digest('hex');
    await store.putMetadata(object.bucket, object.key, object.metadata, md5);
    return { size, md5 };
  };
}

export async function startLocalS3(options: {
  directory: string;
  bucket: string;
  host?: string;
  /** Answer only requests signed with these (the embedded runtime always gives its own). */
  credentials?: LocalCredentials;
}): Promise<LocalS3> {
  await mkdir(options.directory, { recursive: true });
  const host = options.host ?? '127.0.0.1';
  const server = new S3rver({
    address: host,
    port: 0,
    directory: options.directory,
    silent: true,
    // Path-style only: there is no DNS for `<bucket>.127.0.0.1`.
    vhostBuckets: false,
    // No CORS rule until the runtime names the gateway's origin.
    configureBuckets: [{ name: options.bucket, configs: [] }],
  });
  writeObjectsDurably(server.store);
  if (options.credentials !== undefined) requireRuntimeKey(server, options.credentials);
  const { port } = await server.run();
  return {
    endpoint: `http://${host}:${port}`,
    async close() {
      server.httpServer?.closeAllConnections();
      await server.close();
    },
  };
}
