import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICY } from '../../../domain/policy.ts';
import { s3Client } from '../../../functions/adapters/s3/client.ts';
import { S3EvidenceStore } from '../../../functions/adapters/s3/evidence-store.ts';
import { SIGNATURE_BYTES } from '../../../domain/documents.ts';
import {
  DOCUMENT_LINK_EXPIRES_SECONDS,
  evidenceKey,
  frozenKey,
  sanitizeFileName,
  UPLOAD_EXPIRES_SECONDS,
} from '../../../functions/ports/evidence-store.ts';
import { useAwsEnv } from '../../support/aws-env.ts';

// s3rver is CommonJS without type declarations.
const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
};

const BUCKET = 'evidence-test';
const evidence = new S3EvidenceStore({ bucket: BUCKET });
let dir: string;
let server: InstanceType<typeof S3rver>;
let restoreEnv: () => void;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3rver-'));
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir });
  const { port } = await server.run();
  // s3rver checks signatures against its one built-in key pair (S3RVER/S3RVER).
  restoreEnv = useAwsEnv({
    AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    EVIDENCE_BUCKET: BUCKET,
  });
  await s3Client().send(new CreateBucketCommand({ Bucket: BUCKET }));
});

afterAll(async () => {
  restoreEnv();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('evidence keys', () => {
  it('place a sanitized file name under the application and evidence ids', () => {
    expect(evidenceKey('APP1', 'EV1', '缴款凭证 (final).pdf')).toBe('applications/APP1/EV1/_final_.pdf');
    expect(evidenceKey('APP1', 'EV1', '../../etc/passwd')).toBe('applications/APP1/EV1/passwd');
    expect(() => evidenceKey('APP/1', 'EV1', 'a.pdf')).toThrow();
  });

  it('never produce an empty, hidden or overlong name', () => {
    expect(sanitizeFileName('...')).toBe('file');
    expect(sanitizeFileName('.env')).toBe('env');
    expect(sanitizeFileName('收据')).toBe('file');
    const long = sanitizeFileName(`${'a'.repeat(300)}.pdf`);
    expect(long).toHaveLength(100);
    expect(long.endsWith('.pdf')).toBe(true);
  });
});

describe('presigned evidence uploads', () => {
  it('pins the content type and size range, and lets the file land under the key', async () => {
    const now = new Date('2026-05-01T00:00:00.000Z');
    const upload = await evidence.presignUpload({
      applicationId: 'APP1',
      evidenceId: 'EV1',
      fileName: 'payment proof.pdf',
      contentType: 'application/pdf',
      limits: POLICY.evidence,
      now,
    });
    expect(upload.key).toBe('applications/APP1/EV1/payment_proof.pdf');
    expect(upload.url).toContain(`/${BUCKET}`);
    expect(upload.fields['Content-Type']).toBe('application/pdf');
    expect(upload.expiresAt).toBe(new Date(now.getTime() + UPLOAD_EXPIRES_SECONDS * 1000).toISOString());
    const policy = JSON.parse(Buffer.from(upload.fields.Policy ?? '', 'base64').toString('utf8')) as {
      conditions: unknown[];
    };
    expect(policy.conditions).toContainEqual(['eq', '$Content-Type', 'application/pdf']);
    expect(policy.conditions).toContainEqual(['content-length-range', 1, 10 * 1024 * 1024]);
    expect(policy.conditions).toContainEqual({ key: upload.key });

    expect(await evidence.inspect(upload.key)).toEqual({ exists: false });

    const content = Buffer.from('%PDF-1.7\n% a tiny test document\n');
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', new Blob([content], { type: 'application/pdf' }), 'payment proof.pdf');
    const response = await fetch(upload.url, { method: 'POST', body: form });
    expect(response.status).toBeGreaterThanOrEqual(200);
    expect(response.status).toBeLessThan(300);

    expect(await evidence.inspect(upload.key)).toEqual({
      exists: true,
      size: content.length,
      contentType: 'application/pdf',
      firstBytes: new Uint8Array(content.subarray(0, SIGNATURE_BYTES)),
    });

    // Frozen: a copy under the frozen prefix that a later upload to the same key does not change.
    const pinned = frozenKey('APP1', 'EV1', 'payment proof.pdf');
    expect(pinned).toBe('frozen/APP1/EV1/payment_proof.pdf');
    expect(await evidence.freeze(upload.key, pinned)).toBe(true);
    const swapped = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) swapped.append(name, value);
    swapped.append('file', new Blob([Buffer.from('%PDF-1.4 SWAPPED')], { type: 'application/pdf' }), 'x.pdf');
    await fetch(upload.url, { method: 'POST', body: swapped });
    expect((await evidence.inspect(pinned)).exists && (await evidence.inspect(pinned))).toMatchObject({
      size: content.length,
    });
    expect(await evidence.freeze('applications/APP1/NONE/x.pdf', 'frozen/APP1/NONE/x.pdf')).toBe(false);

    // Opened: a presigned GET of the frozen copy, shown inline with the verified type.
    const now2 = new Date();
    const link = await evidence.presignDocumentLink({
      key: pinned,
      fileName: 'payment proof.pdf',
      contentType: 'application/pdf',
      now: now2,
    });
    expect(link.expiresAt).toBe(
      new Date(now2.getTime() + DOCUMENT_LINK_EXPIRES_SECONDS * 1000).toISOString(),
    );
    expect(new URL(link.url).searchParams.get('X-Amz-Expires')).toBe(String(DOCUMENT_LINK_EXPIRES_SECONDS));
    const opened = await fetch(link.url);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('content-disposition')).toBe('inline; filename="payment_proof.pdf"');
    expect(opened.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await opened.arrayBuffer())).toEqual(content);
  });

  it('reads the size of an object larger than the bytes it reads', async () => {
    const upload = await evidence.presignUpload({
      applicationId: 'APP1',
      evidenceId: 'EV3',
      fileName: 'big.png',
      contentType: 'image/png',
      limits: POLICY.evidence,
      now: new Date(),
    });
    const content = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(5000),
    ]);
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', new Blob([content], { type: 'image/png' }), 'big.png');
    expect((await fetch(upload.url, { method: 'POST', body: form })).status).toBeLessThan(300);
    const stored = await evidence.inspect(upload.key);
    expect(stored).toMatchObject({ exists: true, size: 5008, contentType: 'image/png' });
    expect(stored.exists && stored.firstBytes.length).toBe(SIGNATURE_BYTES);
  });

  it('refuses content types the policy does not allow', async () => {
    await expect(
      evidence.presignUpload({
        applicationId: 'APP1',
        evidenceId: 'EV2',
        fileName: 'x.exe',
        contentType: 'application/x-msdownload',
        limits: POLICY.evidence,
        now: new Date(),
      }),
    ).rejects.toThrow(/not allowed/);
  });
});
