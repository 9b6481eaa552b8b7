import { request } from 'node:http';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import type { Runtime } from '../../../local/runtime.ts';
import {
  anyRouteRequest,
  fuzzRoutes,
  type Credentials,
  type FuzzRequest,
  type KnownIds,
} from './route-requests.ts';
import { digestDiff, settledDigest, stateDigest, type StateDigest } from './state-digest.ts';

/**
 * The route fuzz of issue 13 against an embedded runtime: requests drawn from route-requests.ts
 * go over real HTTP, one at a time, and each answer is judged:
 *
 * - never a 5xx (a client cannot cause a server error);
 * - an error answer is a problem document (JSON routes) or an HTML page (review pages, inbox);
 * - a refused request (4xx) and any GET change nothing: the state digest after it equals the one
 *   before (after a successful write the runtime is let settle and a new baseline is taken);
 * - no promise rejection goes unhandled in the runtime's process (the test's own, here).
 *
 * Findings are collected, not thrown, so one run lists every distinct defect it met.
 */

export interface FuzzFinding {
  readonly kind: '5xx' | 'state-change' | 'unhandled-rejection' | 'malformed-error';
  readonly route: string;
  readonly status: number;
  readonly request: string;
  readonly detail: string;
}

export interface FuzzReport {
  readonly runs: number;
  readonly seed: number;
  readonly findings: FuzzFinding[];
  /** Answers per route and status, to see that the fuzz reached past authentication and validation. */
  readonly statuses: Record<string, Record<number, number>>;
  readonly durationMs: number;
}

interface RawReply {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

function sendRaw(baseUrl: string, req: FuzzRequest): Promise<RawReply> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(req.body.length);
    const outgoing = request(
      { host: url.hostname, port: url.port, method: req.method, path: req.path, headers },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            contentType: String(incoming.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    outgoing.setTimeout(30_000, () => outgoing.destroy(new Error('no answer within 30 s')));
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

/** A request as one line: what a failing run prints so it can be sent again by hand. */
export function describeRequest(req: FuzzRequest): string {
  const headers = Object.entries(req.headers)
    .map(
      ([name, value]) =>
        `${name}: ${name === 'authorization' ? `${value.slice(0, 12)}…` : value.slice(0, 60)}`,
    )
    .join('; ');
  const body =
    req.body === undefined
      ? ''
      : ` body(${req.body.length} bytes) ${JSON.stringify(req.body.toString('utf8').slice(0, 160))}`;
  return `${req.method} ${req.path.slice(0, 200)} [${headers}]${body}`;
}

function malformedError(reply: RawReply, method: string): string | undefined {
  // A HEAD answer has no body, by HTTP.
  if (reply.status < 400 || method === 'HEAD') return undefined;
  if (reply.contentType.startsWith('text/html')) return undefined;
  if (!reply.contentType.startsWith('application/problem+json'))
    return `a ${reply.status} answered as ${reply.contentType || 'no content type'}`;
  try {
    const body = JSON.parse(reply.text) as Record<string, unknown>;
    if (typeof body.code !== 'string' || body.status !== reply.status)
      return `a problem document without code or with status ${String(body.status)}`;
  } catch {
    return 'a problem document that is not JSON';
  }
  return undefined;
}

/** A JWT this runtime did not sign (an attacker's, or another deployment's). */
export async function foreignToken(): Promise<string> {
  return new SignJWT({ role: 'officer' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('intruder')
    .setIssuer('credit-repair-local')
    .setAudience('credit-repair')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode('not the runtime key, 32 bytes long!'));
}

export interface FuzzOptions {
  readonly runs: number;
  readonly seed: number;
  readonly known: KnownIds;
  readonly credentials: Credentials;
  /** Progress every so many runs (bench). */
  readonly onProgress?: (done: number) => void;
}

/** Runs the fuzz; `unhandled` is read after each request (the caller listens to the process). */
export async function runRouteFuzz(
  runtime: Runtime,
  options: FuzzOptions,
  unhandled: () => unknown[],
): Promise<FuzzReport> {
  const started = Date.now();
  const findings: FuzzFinding[] = [];
  const statuses: Record<string, Record<number, number>> = {};
  const arbitrary = anyRouteRequest(fuzzRoutes(), options.known, options.credentials);
  let baseline: StateDigest = await settledDigest(runtime.dataDir);
  let done = 0;
  let seenRejections = unhandled().length;
  await fc.assert(
    fc.asyncProperty(arbitrary, async (req) => {
      const described = describeRequest(req);
      // Armed faults live in memory, not in the data folder the digest reads.
      const faultsBefore = JSON.stringify(runtime.faults.list());
      let reply: RawReply;
      try {
        reply = await sendRaw(runtime.url, req);
      } catch (error) {
        findings.push({
          kind: '5xx',
          route: req.route,
          status: 0,
          request: described,
          detail: `no answer: ${(error as Error).message}`,
        });
        return true;
      }
      const byRoute = (statuses[req.route] ??= {});
      byRoute[reply.status] = (byRoute[reply.status] ?? 0) + 1;
      if (reply.status >= 500) {
        findings.push({
          kind: '5xx',
          route: req.route,
          status: reply.status,
          request: described,
          detail: reply.text.slice(0, 300),
        });
      }
      const malformed = malformedError(reply, req.method);
      if (malformed)
        findings.push({
          kind: 'malformed-error',
          route: req.route,
          status: reply.status,
          request: described,
          detail: malformed,
        });
      const writes = reply.status < 400 && req.method !== 'GET' && req.method !== 'HEAD';
      const after = writes ? await settledDigest(runtime.dataDir) : await stateDigest(runtime.dataDir);
      if (!writes) {
        const changes = digestDiff(baseline, after);
        if (changes.length > 0) {
          findings.push({
            kind: 'state-change',
            route: req.route,
            status: reply.status,
            request: described,
            detail: `a ${reply.status < 400 ? `${req.method} answered ${reply.status}` : `refused request (${reply.status})`} changed ${changes.join(', ')}`,
          });
        }
      }
      baseline = after;
      if (req.route.endsWith(' /_local/faults')) {
        if (
          (reply.status >= 400 || req.method === 'GET') &&
          JSON.stringify(runtime.faults.list()) !== faultsBefore
        ) {
          findings.push({
            kind: 'state-change',
            route: req.route,
            status: reply.status,
            request: described,
            detail: `a ${reply.status < 400 ? 'GET' : 'refused request'} changed the armed faults`,
          });
        }
        // An armed fault would fail later requests on purpose: each is disarmed at once.
        runtime.faults.clear();
      }
      const rejections = unhandled();
      if (rejections.length > seenRejections) {
        findings.push({
          kind: 'unhandled-rejection',
          route: req.route,
          status: reply.status,
          request: described,
          detail: rejections.slice(seenRejections).map(String).join('; ').slice(0, 300),
        });
        seenRejections = rejections.length;
      }
      done += 1;
      if (done % 100 === 0) options.onProgress?.(done);
      return true;
    }),
    { numRuns: options.runs, seed: options.seed, endOnFailure: true },
  );
  return { runs: options.runs, seed: options.seed, findings, statuses, durationMs: Date.now() - started };
}

/** Findings grouped by kind, route and status: the distinct defects, with one example request each. */
export function distinctFindings(findings: readonly FuzzFinding[]): string[] {
  const groups = new Map<string, { count: number; example: FuzzFinding }>();
  for (const finding of findings) {
    const key = `${finding.kind} ${finding.route} ${finding.status}`;
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { count: 1, example: finding });
  }
  return [...groups.entries()].map(
    ([key, { count, example }]) => `${key} ×${count}: ${example.detail} — e.g. ${example.request}`,
  );
}
