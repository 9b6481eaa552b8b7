import { request } from 'node:http';
import { expect } from 'vitest';

/**
 * A plain HTTP client for gateway tests. node:http rather than fetch, because fetch refuses a
 * body on GET and HEAD and the contract tests send bodies to every route.
 */

export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  /** The parsed JSON body; an empty object when the body is not JSON. */
  readonly body: Readonly<Record<string, unknown>>;
}

export interface SendOptions {
  readonly token?: string;
  /** Serialised as JSON with `content-type: application/json`. */
  readonly json?: unknown;
  /** Sent as is, with `contentType` (JSON by default). */
  readonly raw?: string | Buffer;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Gives up (rejects) when no answer came within this long; no limit when absent. */
  readonly timeoutMs?: number;
}

export function send(
  baseUrl: string,
  method: string,
  path: string,
  options: SendOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let payload: Buffer | undefined;
  if (options.json !== undefined) {
    payload = Buffer.from(JSON.stringify(options.json));
    headers['content-type'] = 'application/json';
  } else if (options.raw !== undefined) {
    payload = Buffer.isBuffer(options.raw) ? options.raw : Buffer.from(options.raw);
    headers['content-type'] = options.contentType ?? 'application/json';
  }
  if (payload !== undefined) headers['content-length'] = String(payload.length);
  return new Promise((resolve, reject) => {
    const outgoing = request(new URL(path, baseUrl), { method, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', reject);
      incoming.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: Record<string, unknown> = {};
        try {
          const parsed: unknown = JSON.parse(text);
          if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
        } catch {
          // an HTML or empty body
        }
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text, body });
      });
    });
    outgoing.on('error', reject);
    if (options.timeoutMs !== undefined) {
      outgoing.setTimeout(options.timeoutMs, () =>
        outgoing.destroy(new Error(`no answer within ${options.timeoutMs} ms`)),
      );
    }
    outgoing.end(payload);
  });
}

/**
 * An RFC 9457 problem document with this status and code: the media type, every member CONTRACT.md
 * names, the `type` URI derived from the code, and never a 5xx.
 */
export function expectProblem(reply: Reply, status: number, code: string): void {
  expect({ status: reply.status, code: reply.body.code }).toEqual({ status, code });
  expect(reply.headers['content-type']).toBe('application/problem+json');
  expect(reply.body).toMatchObject({
    type: `https://credit-repair.example/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: expect.any(String),
    status,
    detail: expect.any(String),
    code,
  });
}

/** A 400 VALIDATION_FAILED whose `errors` are field issues, each where it was found. */
export function expectFieldIssues(reply: Reply, location: 'body' | 'path' | 'query' | 'header'): void {
  expectProblem(reply, 400, 'VALIDATION_FAILED');
  const errors = reply.body.errors as { in: string; path: string; message: string }[];
  expect(errors.length).toBeGreaterThan(0);
  for (const issue of errors) {
    expect(issue).toEqual({ in: expect.any(String), path: expect.any(String), message: expect.any(String) });
  }
  expect(errors.map((issue) => issue.in)).toContain(location);
}
