/**
 * A loopback HTTP server speaking the AWS JSON protocol (1.0 and 1.1): `POST /`, the operation in
 * `X-Amz-Target: <Prefix>.<Operation>`, JSON in and out, errors as HTTP 4xx with
 * `{"__type": "<ErrorName>", "message": "..."}`. The AWS SDK v3 clients, pointed here with an
 * endpoint, parse its answers into their own result shapes and modeled error classes.
 *
 * Given credentials (the embedded runtime always gives its own), a request must be signed with
 * them (Signature Version 4), as AWS requires: loopback is shared by every local user and every
 * web page the developer's browser opens. No CORS headers are ever sent.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signatureProblem, type LocalCredentials } from './services/signature.ts';

/** An error an AWS service would answer with: `name` is the wire's `__type`. */
export class AwsServiceError extends Error {
  readonly statusCode: number;

  constructor(errorType: string, message: string, statusCode = 400) {
    super(message);
    this.name = errorType;
    this.statusCode = statusCode;
  }
}

export type AwsJsonOperation = (request: Record<string, unknown>) => unknown;

export interface AwsJsonServerOptions {
  /** The part of `X-Amz-Target` before the dot, e.g. `AWSStepFunctions`. */
  readonly targetPrefix: string;
  readonly protocolVersion: '1.0' | '1.1';
  readonly operations: Readonly<Record<string, AwsJsonOperation>>;
}

export interface ListenOptions {
  readonly port?: number;
  readonly host?: string;
  /** Refuse requests not signed with these (403 UnrecognizedClientException). */
  readonly credentials?: LocalCredentials;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** AWS JSON timestamps are epoch seconds; JSON.stringify would write ISO strings. */
function encodeBody(value: unknown): string {
  return JSON.stringify(
    value ?? {},
    function replaceDates(this: Record<string, unknown>, key, current: unknown) {
      const original = this[key];
      return original instanceof Date ? original.getTime() / 1000 : current;
    },
  );
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES)
      throw new AwsServiceError('SerializationException', 'Request body too large', 413);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export class AwsJsonServer {
  readonly #options: AwsJsonServerOptions;
  readonly #contentType: string;
  #server: Server | undefined;
  #credentials: LocalCredentials | undefined;

  constructor(options: AwsJsonServerOptions) {
    this.#options = options;
    this.#contentType = `application/x-amz-json-${options.protocolVersion}`;
  }

  /** Starts listening (loopback and an ephemeral port by default) and returns the base URL. */
  async start(listen: ListenOptions = {}): Promise<string> {
    if (this.#server) throw new Error('Server already started');
    this.#credentials = listen.credentials;
    const server = createServer((request, response) => {
      void this.#handle(request, response);
    });
    this.#server = server;
    const host = listen.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listen.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const urlHost = host.includes(':') ? `[${host}]` : host;
    return `http://${urlHost}:${port}`;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    // SDK clients keep connections alive; close() alone would wait for them to time out.
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    try {
      const result = await this.#dispatch(request);
      this.#send(response, requestId, 200, encodeBody(result));
    } catch (error) {
      if (error instanceof AwsServiceError) {
        this.#sendError(response, requestId, error.statusCode, error.name, error.message);
        return;
      }
      console.error(`${this.#options.targetPrefix} internal error`, error);
      this.#sendError(response, requestId, 500, 'InternalFailure', 'The request processing has failed');
    }
  }

  async #dispatch(request: IncomingMessage): Promise<unknown> {
    // The signature first: an unsigned caller learns nothing, not even which operations exist.
    const bytes = await readBody(request);
    const credentials = this.#credentials;
    if (
      credentials !== undefined &&
      signatureProblem(
        { method: request.method ?? '', url: request.url ?? '/', headers: request.headers },
        bytes,
        credentials,
      ) !== undefined
    ) {
      throw new AwsServiceError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
        403,
      );
    }
    if (request.method !== 'POST' || (request.url ?? '/').split('?')[0] !== '/') {
      throw new AwsServiceError('UnknownOperationException', 'Only POST / is served', 404);
    }
    const target = request.headers['x-amz-target'];
    const prefix = `${this.#options.targetPrefix}.`;
    const operationName =
      typeof target === 'string' && target.startsWith(prefix) ? target.slice(prefix.length) : '';
    const operation = Object.hasOwn(this.#options.operations, operationName)
      ? this.#options.operations[operationName]
      : undefined;
    if (!operation) {
      throw new AwsServiceError('UnknownOperationException', `Unknown operation ${String(target)}`);
    }
    const text = bytes.toString('utf8');
    let body: unknown;
    try {
      body = text.length === 0 ? {} : JSON.parse(text);
    } catch {
      throw new AwsServiceError('SerializationException', 'Request body is not valid JSON');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new AwsServiceError('SerializationException', 'Request body must be a JSON object');
    }
    return operation(body as Record<string, unknown>);
  }

  #sendError(
    response: ServerResponse,
    requestId: string,
    status: number,
    type: string,
    message: string,
  ): void {
    this.#send(response, requestId, status, JSON.stringify({ __type: type, message }), type);
  }

  #send(response: ServerResponse, requestId: string, status: number, body: string, errorType?: string): void {
    const headers: Record<string, string> = {
      'content-type': this.#contentType,
      'content-length': String(Buffer.byteLength(body)),
      'x-amzn-requestid': requestId,
    };
    if (errorType) headers['x-amzn-errortype'] = errorType;
    response.writeHead(status, headers);
    response.end(body);
  }
}
