import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../functions/adapters/s3/client.ts';
import { LOCAL_EVIDENCE_BUCKET, type Runtime } from '../../local/runtime.ts';
import { startEmbeddedRuntime, type EmbeddedRuntime } from '../support/embedded-runtime.ts';
import { minimalPdf } from '../support/pdf-files.ts';
import {
  apply,
  callAs,
  decideWithLink,
  openPage,
  reviewLinks,
  ReviewFlow,
  submitEvidence,
  type Caller,
} from '../support/review-flow.ts';
import type { Reply } from '../support/http-client.ts';

/**
 * Evidence on the embedded runtime as a hostile applicant and a reviewer meet it: every file is
 * verified at submission (size, type signature, limit) and frozen, reviewers open exactly the
 * frozen bytes from the review page, and the local object store refuses what S3 would (a reused
 * or tampered ticket, a traversal key, an unsigned request).
 */

let embedded: EmbeddedRuntime;
let runtime: Runtime;
let flow: ReviewFlow;

beforeAll(async () => {
  embedded = await startEmbeddedRuntime('evidence-frozen');
  runtime = embedded.runtime;
  flow = new ReviewFlow(runtime, { prefix: 'EVFZ' });
});

afterAll(async () => {
  await embedded?.stop();
});

interface Ticket {
  readonly evidenceId: string;
  readonly upload: { readonly url: string; readonly fields: Record<string, string> };
}

/** An application of a fresh eligible enterprise, awaiting evidence. */
async function newApplication(): Promise<{ applicant: Caller; id: string; required: string[] }> {
  const enterprise = await flow.eligibleEnterprise();
  const applicant = { baseUrl: runtime.url, token: enterprise.token };
  const created = await apply(applicant, enterprise.id, 'All taxes were paid.');
  expect(created.status, created.text).toBe(201);
  return { applicant, id: created.body.id as string, required: created.body.requiredDocuments as string[] };
}

async function ticketFor(
  applicant: Caller,
  id: string,
  documentType: string,
  declared: { fileName?: string; contentType?: string; size: number },
): Promise<Ticket> {
  const reply = await callAs(applicant, 'POST', `/applications/${id}/evidence`, {
    documentType,
    fileName: declared.fileName ?? `${documentType.toLowerCase()}.pdf`,
    contentType: declared.contentType ?? 'application/pdf',
    size: declared.size,
  });
  expect(reply.status, reply.text).toBe(201);
  return reply.body as unknown as Ticket;
}

/** POSTs `file` with the ticket's form, `fields` overriding (or adding) form fields. */
async function post(ticket: Ticket, file: Buffer, fields: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...ticket.upload.fields, ...fields }))
    form.append(name, value);
  form.append('file', new Blob([file], { type: 'application/pdf' }), 'upload.pdf');
  return fetch(ticket.upload.url, { method: 'POST', body: form });
}

/** Announces and uploads one PDF per document; the bytes by document type. */
async function uploadAll(
  applicant: Caller,
  id: string,
  required: readonly string[],
): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const documentType of required) {
    const file = minimalPdf(`${documentType} of ${id}`);
    const ticket = await ticketFor(applicant, id, documentType, { size: file.length });
    const stored = await post(ticket, file);
    expect(stored.status, await stored.text()).toBeLessThan(300);
    files.set(documentType, file);
  }
  return files;
}

const submit = (applicant: Caller, id: string): Promise<Reply> =>
  callAs(applicant, 'POST', `/applications/${id}/evidence/submit`);

const withdraw = (applicant: Caller, id: string): Promise<Reply> =>
  callAs(applicant, 'POST', `/applications/${id}/withdraw`);

/** The document links on a review page, absolute. */
function documentLinks(pageUrl: string, html: string): string[] {
  return [...html.matchAll(/<a href="([^"]+\/documents\/[^"]+)"/g)].map(
    (m) => new URL(m[1] ?? '', pageUrl).href,
  );
}

/** Every path under `dir` (files and folders), relative. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map(String);
}

describe('evidence verified and frozen at submission', () => {
  it('shows each upload as it lands, and refuses mismatched, missing and oversize files at submit', async () => {
    const { applicant, id, required } = await newApplication();
    const [first, second, third] = required as [string, string, string];

    // Declared 10 bytes, uploaded 5,000 random bytes named fake.pdf (the case).
    const fake = await ticketFor(applicant, id, first, { fileName: 'fake.pdf', size: 10 });
    expect((await post(fake, randomBytes(5000))).status).toBeLessThan(300);
    // The declared size, but not a PDF.
    const notPdf = randomBytes(800);
    notPdf[0] = 0x00;
    const wrongType = await ticketFor(applicant, id, second, { size: notPdf.length });
    expect((await post(wrongType, notPdf)).status).toBeLessThan(300);
    // Requested, never uploaded.
    const never = await ticketFor(applicant, id, third, { size: 1000 });

    const view = await callAs(applicant, 'GET', `/applications/${id}`);
    expect(view.status).toBe(200);
    const statusOf = (evidenceId: string): unknown =>
      (view.body.evidence as { evidenceId: string; status: string; problem?: string }[]).find(
        (e) => e.evidenceId === evidenceId,
      );
    expect(statusOf(fake.evidenceId)).toMatchObject({ status: 'INVALID', problem: 'SIZE_MISMATCH' });
    expect(statusOf(wrongType.evidenceId)).toMatchObject({
      status: 'INVALID',
      problem: 'SIGNATURE_MISMATCH',
    });
    expect(statusOf(never.evidenceId)).toMatchObject({ status: 'PENDING_UPLOAD' });

    // A required document with no file at all is missing (checked before the files).
    const missing = await submit(applicant, id);
    expect(missing.status, missing.text).toBe(422);
    expect(missing.body).toMatchObject({
      code: 'MISSING_DOCUMENTS',
      missing: [{ documentType: third, problem: 'NOT_UPLOADED' }],
    });

    // Over the limit: the object store refuses it (the policy's size range)...
    const limit = 10 * 1024 * 1024;
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(limit + 1 - 9)]);
    const bigTicket = await ticketFor(applicant, id, third, { size: 1000 });
    const refused = await post(bigTicket, big);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('EntityTooLarge');
    // ...and one stored past any policy (as an emulator without checks would) is refused at submit.
    const placed = await ticketFor(applicant, id, third, { size: 1000 });
    const key = placed.upload.fields.key ?? '';
    await s3Client().send(
      new PutObjectCommand({
        Bucket: LOCAL_EVIDENCE_BUCKET,
        Key: key,
        Body: big,
        ContentType: 'application/pdf',
      }),
    );
    const invalid = await submit(applicant, id);
    expect(invalid.status, invalid.text).toBe(422);
    expect(invalid.body.code).toBe('EVIDENCE_INVALID');
    const entries = invalid.body.invalid as { documentType: string; evidenceId: string; problem: string }[];
    expect(entries.map((e) => [e.documentType, e.evidenceId, e.problem]).sort()).toEqual(
      [
        [first, fake.evidenceId, 'SIZE_MISMATCH'],
        [second, wrongType.evidenceId, 'SIGNATURE_MISMATCH'],
        [third, placed.evidenceId, 'FILE_TOO_LARGE'],
      ].sort(),
    );
    // A refused submission changes nothing.
    const after = await callAs(applicant, 'GET', `/applications/${id}`);
    expect(after.body.status).toBe('AWAITING_EVIDENCE');
    expect((await withdraw(applicant, id)).status).toBe(200);
  });

  it('gives each document at most five upload tickets a round (429 TOO_MANY_UPLOADS)', async () => {
    const { applicant, id, required } = await newApplication();
    const documentType = required[0] ?? '';
    for (let n = 0; n < 5; n += 1) await ticketFor(applicant, id, documentType, { size: 100 });
    const sixth = await callAs(applicant, 'POST', `/applications/${id}/evidence`, {
      documentType,
      fileName: 'sixth.pdf',
      contentType: 'application/pdf',
      size: 100,
    });
    expect(sixth.status, sixth.text).toBe(429);
    expect(sixth.body).toMatchObject({ code: 'TOO_MANY_UPLOADS', status: 429 });
    expect(sixth.headers['content-type']).toContain('application/problem+json');
    // Another document still has its own.
    await ticketFor(applicant, id, required[1] ?? '', { size: 100 });
    expect((await withdraw(applicant, id)).status).toBe(200);
  });

  it('serves reviewers the bytes verified at submit, whatever is uploaded to the same key later', async () => {
    const { applicant, id, required } = await newApplication();
    const files = await uploadAll(applicant, id, required);
    await submitEvidence(applicant, id);
    const view = await callAs(applicant, 'GET', `/applications/${id}`);
    expect((view.body.evidence as { status: string }[]).map((e) => e.status)).toEqual(
      required.map(() => 'UPLOADED'),
    );

    // The swap: the upload keys are overwritten after the 202 (on AWS a ticket stays valid for
    // minutes; here straight through the S3 API, past the object store's single-use check).
    for (const evidence of view.body.evidence as { evidenceId: string; fileName: string }[]) {
      await s3Client().send(
        new PutObjectCommand({
          Bucket: LOCAL_EVIDENCE_BUCKET,
          Key: `applications/${id}/${evidence.evidenceId}/${evidence.fileName}`,
          Body: Buffer.from('%PDF-1.4 SWAPPED AFTER SUBMIT'),
          ContentType: 'application/pdf',
        }),
      );
    }

    const { CUSTOMS: link } = await reviewLinks(runtime.url, id);
    const page = await openPage(link);
    expect(page.status).toBe(200);
    const documents = documentLinks(link, page.html);
    expect(documents).toHaveLength(required.length);
    const received: Buffer[] = [];
    for (const url of documents) {
      const redirect = await fetch(url, { redirect: 'manual' });
      expect(redirect.status).toBe(302);
      expect(redirect.headers.get('cache-control')).toBe('no-store');
      expect(redirect.headers.get('referrer-policy')).toBe('no-referrer');
      const location = redirect.headers.get('location') ?? '';
      const linkId = new URL(link).pathname.split('/').pop() ?? '';
      expect(location).not.toContain(linkId);
      expect(new URL(location).searchParams.get('X-Amz-Expires')).toBe('300');
      const document = await fetch(location);
      expect(document.status).toBe(200);
      expect(document.headers.get('content-disposition')).toMatch(/^inline; filename="/);
      expect(document.headers.get('content-type')).toBe('application/pdf');
      received.push(Buffer.from(await document.arrayBuffer()));
    }
    expect(received.map((b) => b.toString('latin1')).sort()).toEqual(
      [...files.values()].map((b) => b.toString('latin1')).sort(),
    );

    // An evidence id not in the review's snapshot is unknown; a malformed one too.
    const someDocument = documents[0] ?? '';
    expect(
      (await fetch(someDocument.replace(/[^/]+$/, '01JNOSUCHEVIDENCE000000000'), { redirect: 'manual' }))
        .status,
    ).toBe(404);
    expect(
      (await fetch(someDocument.replace(/[^/]+$/, 'not%20an%20id'), { redirect: 'manual' })).status,
    ).toBe(404);

    // Once the link decided, its documents are gone (410), as they are for a withdrawn application.
    const decided = await decideWithLink(link, { decision: 'APPROVE' });
    expect(decided.status).toBe(200);
    const gone = await fetch(someDocument, { redirect: 'manual' });
    expect(gone.status).toBe(410);
    expect(gone.headers.get('content-type')).toContain('text/html');
    const { TAX: taxLink } = await reviewLinks(runtime.url, id);
    const taxDocument = documentLinks(taxLink, (await openPage(taxLink)).html)[0] ?? '';
    expect((await fetch(taxDocument, { redirect: 'manual' })).status).toBe(302);
    expect((await withdraw(applicant, id)).status).toBe(200);
    expect((await fetch(taxDocument, { redirect: 'manual' })).status).toBe(410);
  });
});

describe('the local object store checks what S3 checks', () => {
  it('takes a ticket once, and refuses a tampered policy or key', async () => {
    const { applicant, id, required } = await newApplication();
    const file = minimalPdf('once');
    const ticket = await ticketFor(applicant, id, required[0] ?? '', { size: file.length });
    expect((await post(ticket, file)).status).toBeLessThan(300);
    const again = await post(ticket, Buffer.from('%PDF-1.4 SWAPPED AFTER UPLOAD'));
    expect(again.status).toBe(403);
    expect(await again.text()).toContain('used already');

    const other = await ticketFor(applicant, id, required[1] ?? '', { size: file.length });
    // Another Content-Type than the policy pins, another key, a policy that was not signed.
    expect((await post(other, file, { 'Content-Type': 'text/html' })).status).toBe(403);
    expect((await post(other, file, { key: `applications/${id}/OTHER/x.pdf` })).status).toBe(403);
    const policy = JSON.parse(Buffer.from(other.upload.fields.Policy ?? '', 'base64').toString('utf8')) as {
      conditions: unknown[];
    };
    policy.conditions = policy.conditions.filter(
      (c) => !(Array.isArray(c) && c[0] === 'content-length-range'),
    );
    const forged = Buffer.from(JSON.stringify(policy)).toString('base64');
    const unsigned = await post(other, file, { Policy: forged });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain('SignatureDoesNotMatch');
    // An extra field no condition covers.
    expect((await post(other, file, { 'x-amz-meta-note': 'hi' })).status).toBe(403);
    // The ticket itself still works.
    expect((await post(other, file)).status).toBeLessThan(300);
    expect((await withdraw(applicant, id)).status).toBe(200);
  });

  it('writes no file outside the bucket for a traversal key, signed or not', async () => {
    const { applicant, id, required } = await newApplication();
    const file = Buffer.from('%PDF-1.4 pwned');
    const ticket = await ticketFor(applicant, id, required[0] ?? '', { size: file.length });
    const marker = `outside-${randomBytes(6).toString('hex')}`;
    const s3Dir = join(runtime.dataDir, 's3');
    // Where s3rver (objects at <s3>/<bucket>/<key>) would have put each key's file.
    const landing = (key: string): string => resolve(s3Dir, LOCAL_EVIDENCE_BUCKET, key.replace(/\\/g, '/'));

    const keys = [
      `../../../../../../${marker}/pwned`,
      `../../${marker}/zzz`,
      `applications/${id}/..%2F..%2F${marker}`,
      `applications/${id}/..\\..\\${marker}`,
    ];
    for (const key of keys) {
      const withTicket = await post(ticket, file, { key });
      expect(withTicket.status, key).toBeGreaterThanOrEqual(400);
      // The form: no policy at all.
      const bare = new FormData();
      bare.append('key', key);
      bare.append('Content-Type', 'application/pdf');
      bare.append('file', new Blob([file]), 'x.pdf');
      const unsigned = await fetch(ticket.upload.url, { method: 'POST', body: bare });
      expect(unsigned.status, key).toBeGreaterThanOrEqual(400);
    }
    // Through the path: encoded separators and dot segments are refused before the emulator sees them.
    const bucketUrl = ticket.upload.url.replace(/\/$/, '');
    for (const path of [`/..%2F..%2F${marker}`, `/%2e%2e/%2e%2e/${marker}`, `/a/..%5C..%5C${marker}`]) {
      const put = await fetch(`${bucketUrl}${path}`, { method: 'PUT', body: file });
      expect(put.status, path).toBeGreaterThanOrEqual(400);
    }

    for (const key of keys) {
      const target = landing(decodeURIComponent(key));
      const markerPath = target.slice(0, target.indexOf(marker) + marker.length);
      expect(existsSync(markerPath), markerPath).toBe(false);
      expect(existsSync(`${target}._S3rver_object`), target).toBe(false);
    }
    expect(existsSync(resolve(runtime.dataDir, '..', marker))).toBe(false);
    expect((await tree(runtime.dataDir)).filter((p) => p.includes(marker))).toEqual([]);
    expect((await withdraw(applicant, id)).status).toBe(200);
  });

  it('refuses unsigned reads and listings, and answers CORS only for the console origin', async () => {
    const { applicant, id, required } = await newApplication();
    const file = minimalPdf('private');
    const ticket = await ticketFor(applicant, id, required[0] ?? '', { size: file.length });
    expect((await post(ticket, file)).status).toBeLessThan(300);
    const objectUrl = `${ticket.upload.url.replace(/\/$/, '')}/${ticket.upload.fields.key ?? ''}`;

    expect((await fetch(objectUrl)).status).toBe(403);
    expect((await fetch(ticket.upload.url.replace(/\/$/, ''))).status).toBe(403);
    // A forged signature under this runtime's key id.
    const forged = `${objectUrl}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=S3RVER%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20990101T000000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=${'0'.repeat(64)}`;
    expect((await fetch(forged)).status).toBe(403);

    const preflight = (origin: string): Promise<Response> =>
      fetch(ticket.upload.url, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    const hostile = await preflight('http://attacker.example');
    expect(hostile.headers.get('access-control-allow-origin')).toBeNull();
    const console = await preflight(new URL(runtime.url).origin);
    expect(console.status).toBe(200);
    expect(console.headers.get('access-control-allow-origin')).toBe(new URL(runtime.url).origin);
    expect((await withdraw(applicant, id)).status).toBe(200);
  });
});
