import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkUploadPolicy, parseMultipart, unsafeKeyReason } from './post-policy.ts';
import { verifySigV4 } from './sigv4.ts';

/**
 * The front of the local object store: the only address handlers and browsers are given for it.
 * s3rver behind it enforces no POST policy and writes a key like `../../x` outside its folder, so
 * everything passes here first:
 * - a browser upload (POST to the bucket) must carry a policy signed with this runtime's key, not
 *   expired, whose every condition holds (key, Content-Type, size range); its key must be a plain
 *   one (no `..`, backslash, encoded separator); and a ticket works once (a key that holds an
 *   object is refused), as an applicant must not replace a file after it was checked;
 * - every other request must carry a valid SigV4 signature by this runtime's key (header or
 *   presigned query, within its expiry; the emulator checks no V4 signature) and name a plain key;
 * - CORS answers only the origins allowed (the gateway's, for the console), never `*`.
 */

export interface ObjectStoreFront {
  readonly endpoint: string;
  /** Lets a browser page on `origin` upload and read (the console's origin, once it is known). */
  allowOrigin(origin: string): void;
  close(): Promise<void>;
}

export interface ObjectStoreFrontOptions {
  /** s3rver's endpoint (loopback). */
  readonly upstream: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Whether `bucket` holds `key` now. */
  readonly exists: (bucket: string, key: string) => Promise<boolean>;
  readonly host?: string;
  /** The largest upload body read at all; the policy's size range is the real limit. */
  readonly maxUploadBytes: number;
}

/** An S3-style XML error. */
function s3Error(response: ServerResponse, status: number, code: string, message: string): void {
  const escape = (text: string): string => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
  response.writeHead(status, { 'content-type': 'application/xml' });
  response.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escape(message)}</Message></Error>`,
  );
}

/** The bucket and key of a path-style URL path, undecoded and decoded; null when it is not plain. */
function bucketAndKey(rawPath: string): { bucket: string; key: string } | { refused: string } {
  if (/%(2f|5c)/i.test(rawPath) || rawPath.includes('\\'))
    return { refused: 'an encoded separator in the path' };
  const segments = rawPath.split('/').slice(1);
  let decoded: string[];
  try {
    decoded = segments.map((s) => decodeURIComponent(s));
  } catch {
    return { refused: 'a malformed path' };
  }
  const [bucket = '', ...rest] = decoded;
  const key = rest.join('/');
  if (key === '') return { bucket, key };
  const unsafe = unsafeKeyReason(key);
  return unsafe === null ? { bucket, key } : { refused: unsafe };
}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function startObjectStoreFront(options: ObjectStoreFrontOptions): Promise<ObjectStoreFront> {
  const upstream = new URL(options.upstream);
  const origins = new Set<string>();
  /** Keys being uploaded right now: a ticket used twice at once is still used once. */
  const inFlight = new Set<string>();

  const corsHeaders = (request: IncomingMessage): Record<string, string> => {
    const origin = request.headers.origin;
    if (origin === undefined || !origins.has(origin)) return {};
    return { 'access-control-allow-origin': origin, 'access-control-expose-headers': 'ETag', vary: 'Origin' };
  };

  const forward = (
    request: IncomingMessage,
    response: ServerResponse,
    body: Buffer | IncomingMessage,
  ): void => {
    const headers = { ...request.headers, host: upstream.host };
    delete headers.origin;
    const outgoing = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers },
      (answer) => {
        const passed: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(answer.headers)) {
          if (value !== undefined && !name.startsWith('access-control-')) passed[name] = value;
        }
        response.writeHead(answer.statusCode ?? 502, { ...passed, ...corsHeaders(request) });
        answer.pipe(response);
      },
    );
    outgoing.on('error', () => {
      if (!response.headersSent)
        s3Error(response, 502, 'ServiceUnavailable', 'the object store is not answering');
      else response.destroy();
    });
    if (Buffer.isBuffer(body)) outgoing.end(body);
    else body.pipe(outgoing);
  };

  const upload = async (
    request: IncomingMessage,
    response: ServerResponse,
    bucket: string,
  ): Promise<void> => {
    const body = await readBody(request, options.maxUploadBytes);
    if (body === null) return s3Error(response, 400, 'EntityTooLarge', 'the upload is too large');
    const form = parseMultipart(body, request.headers['content-type'] ?? '');
    if (form === null)
      return s3Error(response, 400, 'MalformedPOSTRequest', 'the body is not a multipart form with a file');
    const verdict = checkUploadPolicy(form, bucket, options.credentials, new Date());
    if (!verdict.ok) return s3Error(response, verdict.status, verdict.code, verdict.message);
    const slot = `${bucket}/${verdict.key}`;
    if (inFlight.has(slot) || (await options.exists(bucket, verdict.key))) {
      return s3Error(response, 403, 'AccessDenied', 'this upload ticket was used already; ask for a new one');
    }
    inFlight.add(slot);
    response.on('close', () => inFlight.delete(slot));
    forward(request, response, body);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const rawPath = (request.url ?? '/').split('?')[0] ?? '/';
    const target = bucketAndKey(rawPath);
    if ('refused' in target) return s3Error(response, 400, 'InvalidArgument', `refused: ${target.refused}`);
    const method = (request.method ?? 'GET').toUpperCase();
    if (method === 'OPTIONS') {
      const cors = corsHeaders(request);
      if (cors['access-control-allow-origin'] === undefined) {
        return s3Error(response, 403, 'AccessForbidden', 'CORS is not allowed for this origin');
      }
      response.writeHead(200, {
        ...cors,
        'access-control-allow-methods': 'GET, HEAD, POST',
        'access-control-allow-headers': request.headers['access-control-request-headers'] ?? '',
        'access-control-max-age': '600',
      });
      return void response.end();
    }
    const isUpload =
      method === 'POST' &&
      target.key === '' &&
      /^multipart\/form-data/i.test(request.headers['content-type'] ?? '') &&
      !request.headers.authorization;
    if (isUpload) return upload(request, response, target.bucket);
    const signed = verifySigV4(
      { method, target: request.url ?? '/', headers: request.headers },
      options.credentials,
      new Date(),
    );
    if (!signed) {
      return s3Error(
        response,
        403,
        'AccessDenied',
        'requests must be signed with this runtime’s credentials',
      );
    }
    forward(request, response, request);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) s3Error(response, 500, 'InternalError', 'the object store front failed');
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    endpoint: `http://${address}:${port}`,
    allowOrigin: (origin) => void origins.add(origin),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
