/**
 * s3rver on loopback, storing objects as files under the data folder, with the evidence bucket
 * configured, behind the object store front (object-store-front.ts), whose address is the only
 * one handed out: it checks every upload against its signed policy, every other request's
 * signature, every key, and answers CORS for the allowed origins only.
 * Given the runtime's credentials, s3rver itself also answers only requests signed with them
 * (s3-access.ts).
 *
 * Durability: s3rver 3 answers an upload once its copy stream has been *read*, not once the file
 * has been written, and writes each of an object's files (content, MD5, metadata) in place, so a
 * SIGKILL could leave a short file or an empty metadata file, which s3rver then answers with a 500
 * on every read of that key. `putObject` and `putMetadata` are replaced here by ones that write
 * each file under a temporary name beside it and rename it into place once written (a rename is
 * atomic): a reader sees the old file or the new one, never part of one. The object's content is
 * renamed last, so an object that can be read has its metadata; a write cut short leaves only a
 * temporary file, which no listing or read ever names.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requireRuntimeKey } from './s3-access.ts';
import type { LocalCredentials } from './signature.ts';
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
/** The standard headers s3rver keeps as an object's metadata (besides `x-amz-meta-*`). */
const ALLOWED_METADATA: ReadonlySet<string> = new Set(
  (require('s3rver/lib/models/object') as { ALLOWED_METADATA: readonly string[] }).ALLOWED_METADATA,
);

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
  /**
   * s3rver itself, on loopback behind the front, unsigned: for tests of how the store writes its
   * files. Never handed to handlers or browsers.
   */
  readonly storeEndpoint: string;
  /** Lets a browser page on `origin` upload and read. */
  allowOrigin(origin: string): void;
  close(): Promise<void>;
}

/** A name beside `path` that s3rver never reads or lists (it knows files by their `_S3rver_*` suffix). */
const temporaryBeside = (path: string): string =>
  `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;

/** Writes `content` to `path` so that a reader never sees part of it. */
async function writeFileAtomically(path: string, content: string): Promise<void> {
  const temporary = temporaryBeside(path);
  try {
    await writeFile(temporary, content);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** The metadata files s3rver writes for an object (metadata.json and the MD5), each atomically. */
function metadataWriter(store: FilesystemStore): FilesystemStore['putMetadata'] {
  return async (bucket, key, metadata, md5) => {
    const json: Record<string, string> = {};
    for (const [name, value] of Object.entries(metadata)) {
      if (ALLOWED_METADATA.has(name) || name.startsWith('x-amz-meta-')) json[name] = value;
    }
    if (md5) await writeFileAtomically(store.getResourcePath(bucket, key, 'object.md5'), md5);
    await writeFileAtomically(
      store.getResourcePath(bucket, key, 'metadata.json'),
      JSON.stringify(json, null, 2),
    );
  };
}
/** The largest upload body the front reads at all (the policy's size range is the real limit). */
const MAX_UPLOAD_BODY_BYTES = POLICY.evidence.maxBytes + 64 * 1024;

function writeObjectsDurably(store: FilesystemStore): void {
  store.putMetadata = metadataWriter(store);
  store.putObject = async (object) => {
    const path = store.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(path), { recursive: true });
    const temporary = temporaryBeside(path);
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
    try {
      // pipeline resolves after the file stream's 'finish': every byte has been handed to the OS.
      await pipeline(source, measure, createWriteStream(temporary));
      const md5 = hash.digest('hex');
      await store.putMetadata(object.bucket, object.key, object.metadata, md5);
      await rename(temporary, path);
      return { size, md5 };
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
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
  if (options.credentials !== undefined) requireRuntimeKey(server, options.credentials);
  const { port } = await server.run();
  const credentials = options.credentials ?? {
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
    storeEndpoint: `http://127.0.0.1:${port}`,
    credentials,
    allowOrigin: (origin) => front.allowOrigin(origin),
    async close() {
      await front.close();
      server.httpServer?.closeAllConnections();
      await server.close();
    },
  };
}
