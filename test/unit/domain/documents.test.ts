import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  normalizeContentType,
  requiredDocuments,
  validateDocumentUpload,
} from '../../../domain/documents.ts';
import { POLICY } from '../../../domain/policy.ts';
import { CAUSE_CODES } from '../../../domain/vocabulary.ts';

describe('requiredDocuments (RULES.md §4)', () => {
  const always = ['REPAIR_APPLICATION', 'COMMITMENT_LETTER'];
  it.each([
    [[], always],
    [['EXCESSIVE_FINES'], [...always, 'PENALTY_DECISION', 'PENALTY_PAID_PROOF']],
    [['FINE_ARREARS'], [...always, 'PENALTY_DECISION', 'PENALTY_PAID_PROOF']],
    [['TAX_ARREARS'], [...always, 'TAX_PAID_PROOF']],
    [['OBSTRUCTION'], [...always, 'PENALTY_DECISION', 'COOPERATION_PROOF']],
    [['BRIBERY'], [...always, 'PENALTY_DECISION', 'RECTIFICATION_REPORT']],
    [['REPEATED_MAJOR_INFRACTIONS'], [...always, 'PENALTY_DECISION', 'RECTIFICATION_REPORT']],
    [
      ['TAX_ARREARS', 'OBSTRUCTION', 'FINE_ARREARS'],
      [...always, 'PENALTY_DECISION', 'PENALTY_PAID_PROOF', 'TAX_PAID_PROOF', 'COOPERATION_PROOF'],
    ],
  ] as const)('%j → %j', (causes, expected) => {
    expect(requiredDocuments(causes, POLICY)).toEqual(expected);
  });

  it('is deduplicated and independent of the order of causes', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CAUSE_CODES), { maxLength: 8 }), (causes) => {
        const docs = requiredDocuments(causes, POLICY);
        expect(new Set(docs).size).toBe(docs.length);
        expect(requiredDocuments([...causes].reverse(), POLICY)).toEqual(docs);
        expect(docs.slice(0, 2)).toEqual(POLICY.alwaysRequiredDocuments);
      }),
    );
  });
});

describe('validateDocumentUpload', () => {
  const ok = { documentType: 'TAX_PAID_PROOF', contentType: 'application/pdf', size: 1024 };

  it.each(['application/pdf', 'image/jpeg', 'image/png', 'Image/PNG', 'application/pdf; charset=binary'])(
    'accepts %s',
    (contentType) => {
      expect(validateDocumentUpload({ ...ok, contentType }, POLICY)).toEqual({
        ok: true,
        documentType: 'TAX_PAID_PROOF',
        contentType: normalizeContentType(contentType),
      });
    },
  );

  it('accepts sizes from 1 byte to the limit, the limit included', () => {
    const max = POLICY.evidence.maxBytes;
    expect(validateDocumentUpload({ ...ok, size: 1 }, POLICY).ok).toBe(true);
    expect(validateDocumentUpload({ ...ok, size: max - 1 }, POLICY).ok).toBe(true);
    expect(validateDocumentUpload({ ...ok, size: max }, POLICY).ok).toBe(true);
    expect(validateDocumentUpload({ ...ok, size: max + 1 }, POLICY)).toMatchObject({
      ok: false,
      issues: [{ field: 'size', code: 'FILE_TOO_LARGE' }],
    });
  });

  it.each([
    [{ size: 0 }, 'EMPTY_FILE'],
    [{ size: 1.5 }, 'EMPTY_FILE'],
    [{ contentType: 'image/gif' }, 'CONTENT_TYPE_NOT_ALLOWED'],
    [{ contentType: 'text/html' }, 'CONTENT_TYPE_NOT_ALLOWED'],
    [{ documentType: 'SELFIE' }, 'UNKNOWN_DOCUMENT_TYPE'],
  ])('refuses %j with %s', (change, code) => {
    expect(validateDocumentUpload({ ...ok, ...change }, POLICY)).toMatchObject({
      ok: false,
      issues: [{ code }],
    });
  });

  it('refuses a document the application does not need, and reports every issue', () => {
    expect(validateDocumentUpload(ok, POLICY, ['REPAIR_APPLICATION', 'COMMITMENT_LETTER'])).toMatchObject({
      ok: false,
      issues: [{ field: 'documentType', code: 'DOCUMENT_NOT_REQUIRED' }],
    });
    expect(validateDocumentUpload(ok, POLICY, ['TAX_PAID_PROOF']).ok).toBe(true);
    const all = validateDocumentUpload({ documentType: 'X', contentType: 'text/plain', size: 0 }, POLICY);
    expect(all.ok ? [] : all.issues.map((i) => i.code)).toEqual([
      'UNKNOWN_DOCUMENT_TYPE',
      'CONTENT_TYPE_NOT_ALLOWED',
      'EMPTY_FILE',
    ]);
  });
});
