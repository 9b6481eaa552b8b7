/**
 * s3rver on loopback, storing objects as files under the data folder, with the evidence bucket
 * configured, behind the object store front (object-store-front.ts), whose address is the only
 * one handed out: it checks every upload against its signed policy, every other request's
 * signature, every key, and answers CORS for the allowed origins only.
 *
 * Durability: s3rver 3 answers an upload once its copy stream has been *read*, not once the file
 * has been written, so a SIGKILL right after an acknowledged upload could leave a short file.
 * `putObject` is replaced here by one that resolves only after the file stream has finished
 * writing to the operating system (then the metadata is written, as s3rver does).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { POLICY } from '../../domain/policy.ts';
import { startObjectStoreFront } from './object-store-front.ts';

/**
 * The access key id s3rver knows (it checks that a V4 signature names it, not the signature).
 * The secret is the front's: one per runtime (startLocalS3), so only this runtime's handlers sign.
 */
export const S3RVER_ACCESS_KEY_ID = 'S3RVER';

interface StoredObject {
  readonly bucket: string;
  readonly key: string;
  readonly metadata: Record<string, string>;
  readonly content: Buffer | Readable;
}

interface FilesystemStore {
  existsObject(bucket: string, key: string): Promise<boolean>;
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5: string): Promise<void>;
  putObject(object: StoredObject): Promise<{ size: number; md5: string }>;
}

interface S3rverInstance {
  readonly store: FilesystemStore;
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

/**
 * s3rver's own CORS rule; the front answers CORS itself (allowed origins only) and drops s3rver's
 * headers, so this only lets s3rver accept what the front passed on.
 */
export const EVIDENCE_BUCKET_CORS = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

export interface LocalS3 {
  /** The front's address (the one to sign for and to hand out). */
  readonly endpoint: string;
  /** The key pair requests and upload policies must be signed with. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Lets a browser page on `origin` upload and read. */
  allowOrigin(origin: string): void;
  close(): Promise<void>;
}

/** The largest upload body the front reads at all (the policy's size range is the real limit). */
const MAX_UPLOAD_BODY_BYTES = POLICY.evidence.maxBytes + 64 * 1024;

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
}): Promise<LocalS3> {
  await mkdir(options.directory, { recursive: true });
  const host = options.host ?? '127.0.0.1';
  const server = new S3rver({
    // Only the front reaches it.
    address: '127.0.0.1',
    port: 0,
    directory: options.directory,
    silent: true,
    // Path-style only: there is no DNS for `<bucket>.127.0.0.1`.
    vhostBuckets: false,
    configureBuckets: [{ name: options.bucket, configs: [EVIDENCE_BUCKET_CORS] }],
  });
  writeObjectsDurably(server.store);
  const { port } = await server.run();
  const credentials = {
    accessKeyId: S3RVER_ACCESS_KEY_ID,
    secretAccessKey: randomBytes(32).toString('base64url'),
  };
  const front = await startObjectStoreFront({
    upstream: `http://127.0.0.1:${port}`,
    credentials,
    exists: (bucket, key) => server.store.existsObject(bucket, key),
    host,
    maxUploadBytes: MAX_UPLOAD_BODY_BYTES,
  });
  return {
    endpoint: front.endpoint,
    credentials,
    allowOrigin: (origin) => front.allowOrigin(origin),
    async close() {
      await front.close();
      server.httpServer?.closeAllConnections();
      await server.close();
    },
  };
}
