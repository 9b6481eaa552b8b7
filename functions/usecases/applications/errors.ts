import { APPLICATION_LIMIT } from '../../../domain/application-limit.ts';
import type { LocalDate } from '../../../domain/dates.ts';
import type { Refusal } from '../../../domain/eligibility.ts';
import { DomainError } from '../../../domain/errors.ts';
import type { UploadIssue } from '../../../domain/documents.ts';
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

/** Why a required document has no usable upload; UNREADABLE: storage could not read the newest one(s). */
export type MissingDocumentProblem =
  'NOT_UPLOADED' | 'FILE_TOO_LARGE' | 'CONTENT_TYPE_NOT_ALLOWED' | 'EMPTY_FILE' | 'UNREADABLE';

export interface MissingDocument {
  readonly documentType: DocumentType;
  readonly problem: MissingDocumentProblem;
}

/** 422 MISSING_DOCUMENTS: a required document is absent from the bucket or outside the limits. */
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
