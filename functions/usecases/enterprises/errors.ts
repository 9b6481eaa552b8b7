import { DomainError } from '../../../domain/errors.ts';

/**
 * Errors of the enterprise repository and use cases. Each has a stable `code`; the HTTP edge maps
 * them to problem documents (functions/api/enterprises.ts) and other callers branch on the class.
 */

/** Another application of the enterprise is open: "one open application per enterprise". */
export class ApplicationOpenError extends DomainError {
  readonly existingId: string;

  constructor(enterpriseId: string, existingId: string) {
    super('APPLICATION_OPEN', `enterprise ${enterpriseId} already has open application ${existingId}`, {
      enterpriseId,
      openApplicationId: existingId,
    });
    this.name = 'ApplicationOpenError';
    this.existingId = existingId;
  }
}

export class EnterpriseNotFoundError extends DomainError {
  constructor(enterpriseId: string) {
    super('NOT_FOUND', `no enterprise ${enterpriseId}`, { enterpriseId });
    this.name = 'EnterpriseNotFoundError';
  }
}

export class EnterpriseExistsError extends DomainError {
  constructor(enterpriseId: string) {
    super('ENTERPRISE_EXISTS', `an enterprise ${enterpriseId} is already registered`, { enterpriseId });
    this.name = 'EnterpriseExistsError';
  }
}

/** A registration the rules refuse (a downgraded tier, a certification date after today). */
export class RegistrationRefusedError extends DomainError {
  constructor(
    code: 'TIER_NOT_REGISTRABLE' | 'DATE_IN_FUTURE',
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(code, message, details);
    this.name = 'RegistrationRefusedError';
  }
}

/** Concurrent writers kept moving the profile's version: give up rather than loop forever. */
export class ProfileContentionError extends DomainError {
  constructor(enterpriseId: string) {
    super(
      'CONCURRENT_UPDATE',
      `the profile of enterprise ${enterpriseId} kept changing under concurrent writes; retry`,
    );
    this.name = 'ProfileContentionError';
  }
}
