import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * S3's browser-upload rules (POST Object with a SigV4-signed policy), checked the way S3 checks
 * them, for the local object store, whose emulator checks none of them: the policy's signature
 * under this runtime's key, its expiry, every condition (exact, prefix, size range), and that
 * every form field is covered by a condition. Plus what S3 allows but no key of ours ever needs:
 * `..` segments, backslashes, encoded separators and control characters in the key are refused,
 * so a key can never name a file outside the bucket's folder.
 */

export interface UploadForm {
  /** Form fields by their name as sent (S3 compares names case-insensitively). */
  readonly fields: ReadonlyMap<string, string>;
  /** The `file` part's bytes. */
  readonly file: Buffer;
}

export type PolicyVerdict =
  | { readonly ok: true; readonly key: string }
  | { readonly ok: false; readonly status: number; readonly code: string; readonly message: string };

const refuse = (status: number, code: string, message: string): PolicyVerdict => ({
  ok: false,
  status,
  code,
  message,
});

/** Fields S3 never asks a condition for. */
const UNCONDITIONED = new Set(['policy', 'x-amz-signature', 'file']);

/** A key our evidence store could have issued: no traversal, no smuggled separators, no controls. */
export function unsafeKeyReason(key: string): string | null {
  if (key === '' || key.length > 1024) return 'the key is empty or too long';
  if (key.startsWith('/')) return 'the key starts with a separator';
  if (key.includes('\\')) return 'the key contains a backslash';
  if (/%(2f|5c|2e)/i.test(key)) return 'the key contains an encoded separator or dot';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) return 'the key contains a control character';
  if (key.split('/').some((segment) => segment === '..' || segment === '.' || segment === ''))
    return 'the key contains an empty, "." or ".." segment';
  if (key.includes('${filename}')) return 'the key asks for the file name to be substituted';
  return null;
}

function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

const sameHex = (a: string, b: string): boolean =>
  a.length === b.length && /^[0-9a-f]+$/.test(a) && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Checks one browser upload to `bucket` against its policy, signed with `credentials`.
 * `now` is the wall clock (presigned policies expire by the signer's system clock).
 */
export function checkUploadPolicy(
  form: UploadForm,
  bucket: string,
  credentials: { readonly accessKeyId: string; readonly secretAccessKey: string },
  now: Date,
): PolicyVerdict {
  const fields = new Map<string, string>();
  for (const [name, value] of form.fields) {
    const lower = name.toLowerCase();
    if (fields.has(lower)) return refuse(400, 'InvalidArgument', `the field ${name} is given twice`);
    fields.set(lower, value);
  }
  const policyB64 = fields.get('policy');
  const signature = fields.get('x-amz-signature');
  const credential = fields.get('x-amz-credential');
  if (policyB64 === undefined || signature === undefined || credential === undefined) {
    return refuse(403, 'AccessDenied', 'an upload needs a signed policy');
  }
  if (fields.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') {
    return refuse(400, 'InvalidArgument', 'only AWS4-HMAC-SHA256 policies are accepted');
  }
  const [accessKeyId, date, region, service, terminator, ...rest] = credential.split('/');
  if (
    rest.length > 0 ||
    accessKeyId !== credentials.accessKeyId ||
    date === undefined ||
    !/^\d{8}$/.test(date) ||
    region === undefined ||
    service !== 's3' ||
    terminator !== 'aws4_request'
  ) {
    return refuse(403, 'InvalidAccessKeyId', 'the credential is not this runtime’s');
  }
  const expected = createHmac('sha256', signingKey(credentials.secretAccessKey, date, region, 's3'))
    .update(policyB64)
    .digest('hex');
  if (!sameHex(signature.toLowerCase(), expected)) {
    return refuse(403, 'SignatureDoesNotMatch', 'the policy signature does not match');
  }

  let policy: { expiration?: unknown; conditions?: unknown };
  try {
    policy = JSON.parse(Buffer.from(policyB64, 'base64').toString('utf8')) as typeof policy;
  } catch {
    return refuse(400, 'InvalidPolicyDocument', 'the policy is not JSON');
  }
  const expiration = typeof policy.expiration === 'string' ? Date.parse(policy.expiration) : NaN;
  if (Number.isNaN(expiration)) return refuse(400, 'InvalidPolicyDocument', 'the policy has no expiration');
  if (expiration <= now.getTime())
    return refuse(403, 'AccessDenied', 'Invalid according to Policy: Policy expired.');
  if (!Array.isArray(policy.conditions))
    return refuse(400, 'InvalidPolicyDocument', 'the policy has no conditions');

  const valueOf = (name: string): string | undefined => (name === 'bucket' ? bucket : fields.get(name));
  const covered = new Set<string>();
  let sizeRange: readonly [number, number] | undefined;
  for (const condition of policy.conditions as unknown[]) {
    if (Array.isArray(condition)) {
      const [op, target, value] = condition as unknown[];
      if (op === 'content-length-range' && typeof target === 'number' && typeof value === 'number') {
        sizeRange = [target, value];
        continue;
      }
      if ((op !== 'eq' && op !== 'starts-with') || typeof target !== 'string' || typeof value !== 'string') {
        return refuse(400, 'InvalidPolicyDocument', 'a condition is not one S3 knows');
      }
      const name = target.replace(/^\$/, '').toLowerCase();
      const actual = valueOf(name);
      const holds = actual !== undefined && (op === 'eq' ? actual === value : actual.startsWith(value));
      if (!holds)
        return refuse(403, 'AccessDenied', `Invalid according to Policy: Policy Condition failed: ${name}`);
      covered.add(name);
    } else if (typeof condition === 'object' && condition !== null) {
      for (const [rawName, value] of Object.entries(condition)) {
        const name = rawName.toLowerCase();
        if (valueOf(name) !== value) {
          return refuse(403, 'AccessDenied', `Invalid according to Policy: Policy Condition failed: ${name}`);
        }
        covered.add(name);
      }
    } else {
      return refuse(400, 'InvalidPolicyDocument', 'a condition is not one S3 knows');
    }
  }
  for (const name of fields.keys()) {
    if (!UNCONDITIONED.has(name) && !name.startsWith('x-ignore-') && !covered.has(name)) {
      return refuse(403, 'AccessDenied', `Invalid according to Policy: Extra input fields: ${name}`);
    }
  }
  if (sizeRange !== undefined) {
    const [min, max] = sizeRange;
    if (form.file.length < min)
      return refuse(400, 'EntityTooSmall', 'the file is smaller than the policy allows');
    if (form.file.length > max)
      return refuse(400, 'EntityTooLarge', 'the file is larger than the policy allows');
  }
  const key = fields.get('key');
  if (key === undefined) return refuse(400, 'InvalidArgument', 'an upload needs a key');
  const unsafe = unsafeKeyReason(key);
  if (unsafe !== null) return refuse(400, 'InvalidArgument', unsafe);
  return { ok: true, key };
}

/**
 * The parts of a multipart/form-data body: fields as text, the `file` part as bytes. Null when the
 * body is not well-formed multipart (the caller refuses it).
 */
export function parseMultipart(body: Buffer, contentType: string): UploadForm | null {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const token = boundary?.[1] ?? boundary?.[2];
  if (token === undefined) return null;
  const delimiter = Buffer.from(`--${token}`);
  const fields = new Map<string, string>();
  let file: Buffer | undefined;
  let at = body.indexOf(delimiter);
  if (at < 0) return null;
  for (;;) {
    const partStart = at + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, partStart);
    if (next < 0) return null;
    // Each part: CRLF, headers, CRLF CRLF, content, CRLF (before the next delimiter).
    const part = body.subarray(partStart + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) return null;
    const headers = part.subarray(0, split).toString('utf8');
    const content = part.subarray(split + 4);
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1];
    if (name === undefined) return null;
    if (name.toLowerCase() === 'file') {
      if (file !== undefined) return null;
      file = Buffer.from(content);
    } else {
      if (fields.has(name)) return null;
      fields.set(name, content.toString('utf8'));
    }
    at = next;
  }
  return file === undefined ? null : { fields, file };
}
