import { APPLICATION_LIMIT } from '../../../domain/application-limit.ts';
import type { LocalDate } from '../../../domain/dates.ts';
import type { Refusal } from '../../../domain/eligibility.ts';
import { DomainError } from '../../../domain/errors.ts';
import type { StoredDocumentProblem, UploadIssue } from '../../../domain/documents.ts';
import type { DocumentType } from '../../../domain/vocabulary.ts';

/**
 * Refusals of the application use cases, each with the stable code CONTRACT.md names, so the
 * HTTP edge maps them to problem documents without reading messages.
 */

/** 422 NOT_ELIGIBLE: every rule that refuses the application, and the earliest day one may apply. */
export class NotEligibleError extends DomainError {
  readonly reasons: readonly Refusal[];
  readonly earliestApplicationOn: LocalDate | null;

  constructor(reasons: readonly Refusal[], earliestApplicationOn: LocalDate | null) {
    super('NOT_ELIGIBLE', `the enterprise may not apply: ${reasons.map((r) => r.code).join(', ')}`, {
      reasons,
      earliestApplicationOn,
    });
    this.name = 'NotEligibleError';
    this.reasons = reasons;
    this.earliestApplicationOn = earliestApplicationOn;
  }
}

/**
 * Why a required document has no usable file: none in storage at all, or storage could not read the
 * newest upload(s) (UNREADABLE: upload it again). A stored file that breaks its declaration is
 * EVIDENCE_INVALID.
 */
export type MissingDocumentProblem = 'NOT_UPLOADED' | 'UNREADABLE';

export interface MissingDocument {
  readonly documentType: DocumentType;
  readonly problem: MissingDocumentProblem;
}

/** 422 MISSING_DOCUMENTS: a required document has no upload in storage. */
export class MissingDocumentsError extends DomainError {
  readonly missing: readonly MissingDocument[];

  constructor(missing: readonly MissingDocument[]) {
    super(
      'MISSING_DOCUMENTS',
      `documents missing or unusable: ${missing.map((m) => m.documentType).join(', ')}`,
      {
        missing,
      },
    );
    this.name = 'MissingDocumentsError';
    this.missing = missing;
  }
}

/** One uploaded document whose stored file is not what was declared, and why. */
export interface InvalidDocument {
  readonly documentType: DocumentType;
  readonly evidenceId: string;
  readonly fileName: string;
  readonly problem: StoredDocumentProblem;
  readonly declared: { readonly size: number; readonly contentType: string };
  readonly stored: { readonly size: number; readonly contentType?: string };
}

/** 422 EVIDENCE_INVALID: one entry per document whose file breaks its declaration or the limits. */
export class EvidenceInvalidError extends DomainError {
  readonly invalid: readonly InvalidDocument[];

  constructor(invalid: readonly InvalidDocument[]) {
    super(
      'EVIDENCE_INVALID',
      invalid.map((d) => `${d.documentType} (${d.fileName}): ${d.problem}`).join('; '),
      { invalid },
    );
    this.name = 'EvidenceInvalidError';
    this.invalid = invalid;
  }
}

/** 429 TOO_MANY_UPLOADS: the round's upload tickets for this document are used up. */
export class TooManyUploadsError extends DomainError {
  constructor(documentType: DocumentType, limit: number) {
    super(
      'TOO_MANY_UPLOADS',
      `${documentType} already has ${limit} upload tickets in this round; submit or withdraw`,
      { documentType, limit },
    );
    this.name = 'TooManyUploadsError';
  }
}

/**
 * 422: the declared upload breaks the document rules. The code is the first rule broken (document
 * type, then content type, then size); `errors` name every field at fault, `issues` their codes.
 */
export class InvalidUploadError extends DomainError {
  readonly issues: readonly UploadIssue[];

  constructor(issues: readonly UploadIssue[]) {
    super(issues[0]?.code ?? 'INVALID_UPLOAD', issues.map((i) => i.message).join('; '), {
      errors: issues.map((issue) => ({ in: 'body', path: issue.field, message: issue.message })),
      issues: issues.map((issue) => ({ field: issue.field, code: issue.code })),
    });
    this.name = 'InvalidUploadError';
    this.issues = issues;
  }
}

/** Another writer kept winning the version race; the caller may answer 409 or retry later. */
export class ApplicationBusyError extends DomainError {
  constructor(applicationId: string) {
    super(
      'CONCURRENT_UPDATE',
      `application ${applicationId} changed under every attempt to update it; retry`,
    );
    this.name = 'ApplicationBusyError';
  }
}

export class ApplicationNotFoundError extends DomainError {
  constructor(applicationId: string) {
    super('NOT_FOUND', `application ${applicationId} does not exist`);
    this.name = 'ApplicationNotFoundError';
  }
}

/** 429: the enterprise reached the abuse limit on applications (domain/application-limit.ts). */
export class TooManyApplicationsError extends DomainError {
  constructor(retryAfterSeconds: number) {
    super(
      'TOO_MANY_APPLICATIONS',
      `this enterprise created ${APPLICATION_LIMIT.perWindow} applications in the last ${APPLICATION_LIMIT.windowDays} days; retry later`,
      { retryAfterSeconds },
    );
    this.name = 'TooManyApplicationsError';
  }
}
