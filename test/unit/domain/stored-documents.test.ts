import { describe, expect, it } from 'vitest';
import { matchesSignature, SIGNATURE_BYTES, verifyStoredDocument } from '../../../domain/documents.ts';
import { POLICY } from '../../../domain/policy.ts';

const PDF = Buffer.from('%PDF-1.7\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]);

describe('a stored file checked against its declaration', () => {
  it('recognises PDF, PNG and JPEG by their first bytes, whatever the parameters of the type', () => {
    expect(matchesSignature('application/pdf', PDF)).toBe(true);
    expect(matchesSignature('image/png', PNG)).toBe(true);
    expect(matchesSignature('IMAGE/JPEG; charset=binary', JPEG)).toBe(true);
    expect(matchesSignature('application/pdf', PNG)).toBe(false);
    expect(matchesSignature('image/png', PNG.subarray(0, 4))).toBe(false);
    expect(matchesSignature('text/html', Buffer.from('<html>'))).toBe(false);
    expect(SIGNATURE_BYTES).toBe(8);
  });

  it('names the first problem: over the limit, empty, another size, another type, another signature', () => {
    const declared = { size: 100, contentType: 'application/pdf' };
    const stored = { size: 100, contentType: 'application/pdf', firstBytes: PDF };
    expect(verifyStoredDocument(declared, stored, POLICY)).toBeNull();
    const over = POLICY.evidence.maxBytes + 1;
    expect(verifyStoredDocument({ ...declared, size: over }, { ...stored, size: over }, POLICY)).toBe(
      'FILE_TOO_LARGE',
    );
    expect(verifyStoredDocument(declared, { ...stored, size: 0, firstBytes: new Uint8Array() }, POLICY)).toBe(
      'EMPTY_FILE',
    );
    expect(verifyStoredDocument({ ...declared, size: 10 }, { ...stored, size: 5000 }, POLICY)).toBe(
      'SIZE_MISMATCH',
    );
    expect(verifyStoredDocument(declared, { ...stored, contentType: 'text/plain' }, POLICY)).toBe(
      'CONTENT_TYPE_MISMATCH',
    );
    expect(verifyStoredDocument(declared, { ...stored, contentType: undefined }, POLICY)).toBe(
      'CONTENT_TYPE_MISMATCH',
    );
    expect(verifyStoredDocument(declared, { ...stored, firstBytes: PNG }, POLICY)).toBe('SIGNATURE_MISMATCH');
  });
});
