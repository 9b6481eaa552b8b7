import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkUploadPolicy, parseMultipart, unsafeKeyReason } from '../../../local/services/post-policy.ts';

/**
 * The local object store's policy check (S3's POST Object rules), on forms signed here the way the
 * SDK's createPresignedPost signs them.
 */

const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'runtime-secret' };
const NOW = new Date('2026-05-01T00:00:00.000Z');
const KEY = 'applications/APP1/EV1/proof.pdf';

function sign(policy: object, secret = CREDENTIALS.secretAccessKey): Record<string, string> {
  const encoded = Buffer.from(JSON.stringify(policy)).toString('base64');
  const hmac = (key: Buffer | string, text: string): Buffer =>
    createHmac('sha256', key).update(text).digest();
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, '20260501'), 'us-east-1'), 's3'), 'aws4_request');
  return {
    Policy: encoded,
    'X-Amz-Signature': createHmac('sha256', key).update(encoded).digest('hex'),
  };
}

function form(
  overrides: { expiration?: string; secret?: string; fields?: Record<string, string>; size?: number } = {},
) {
  const base = {
    bucket: 'evidence',
    key: KEY,
    'Content-Type': 'application/pdf',
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': 'S3RVER/20260501/us-east-1/s3/aws4_request',
    'X-Amz-Date': '20260501T000000Z',
  };
  const policy = {
    expiration: overrides.expiration ?? '2026-05-01T00:05:00.000Z',
    conditions: [
      { bucket: 'evidence' },
      { key: KEY },
      ['eq', '$Content-Type', 'application/pdf'],
      ['content-length-range', 1, 100],
      { 'X-Amz-Algorithm': base['X-Amz-Algorithm'] },
      { 'X-Amz-Credential': base['X-Amz-Credential'] },
      { 'X-Amz-Date': base['X-Amz-Date'] },
    ],
  };
  const fields = new Map(Object.entries({ ...base, ...sign(policy, overrides.secret), ...overrides.fields }));
  return { fields, file: Buffer.alloc(overrides.size ?? 10, 0x25) };
}

const check = (upload: ReturnType<typeof form>, now = NOW) =>
  checkUploadPolicy(upload, 'evidence', CREDENTIALS, now);

describe('the local POST policy check', () => {
  it('accepts a form the policy covers, within its time and size', () => {
    expect(check(form())).toEqual({ ok: true, key: KEY });
  });

  it('refuses an expired policy, a foreign signature, a broken condition, an uncovered field', () => {
    expect(check(form(), new Date('2026-05-01T00:05:00.000Z'))).toMatchObject({
      ok: false,
      status: 403,
      message: expect.stringContaining('expired'),
    });
    expect(check(form({ secret: 'S3RVER' }))).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
    expect(check(form({ fields: { key: 'applications/APP1/EV2/x.pdf' } }))).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(check(form({ fields: { 'Content-Type': 'text/html' } }))).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(check(form({ fields: { 'x-amz-meta-a': 'b' } }))).toMatchObject({
      ok: false,
      message: expect.stringContaining('Extra input fields'),
    });
    expect(
      check(form({ fields: { 'X-Amz-Credential': 'OTHER/20260501/us-east-1/s3/aws4_request' } })),
    ).toMatchObject({ ok: false, code: 'InvalidAccessKeyId' });
  });

  it('refuses a file outside the size range', () => {
    expect(check(form({ size: 0 }))).toMatchObject({ ok: false, code: 'EntityTooSmall' });
    expect(check(form({ size: 101 }))).toMatchObject({ ok: false, code: 'EntityTooLarge' });
  });

  it('refuses keys that could leave the bucket folder', () => {
    for (const key of [
      '../x',
      'a/../../x',
      'a/..',
      './a',
      'a//b',
      '/a',
      'a\\..\\b',
      'a/..%2Fb',
      'a%2e%2e/b',
      'a/\u0000b',
      'a/${filename}',
    ]) {
      expect(unsafeKeyReason(key), key).not.toBeNull();
    }
    expect(unsafeKeyReason(KEY)).toBeNull();
    expect(unsafeKeyReason('frozen/APP1/EV1/a_b-c.d.pdf')).toBeNull();
  });

  it('reads a multipart body into fields and the file, refusing a malformed one', () => {
    const boundary = 'XyZ';
    const body = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\n${KEY}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-\r\n1\r\n` +
        `--${boundary}--\r\n`,
    );
    const parsed = parseMultipart(body, `multipart/form-data; boundary=${boundary}`);
    expect(parsed?.fields.get('key')).toBe(KEY);
    expect(parsed?.file.toString()).toBe('%PDF-\r\n1');
    expect(parseMultipart(body, 'multipart/form-data')).toBeNull();
    expect(
      parseMultipart(Buffer.from(`--${boundary}\r\nno headers`), `multipart/form-data; boundary=${boundary}`),
    ).toBeNull();
  });
});
