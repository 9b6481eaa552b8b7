import { DomainError } from '../../../domain/errors.ts';

/** Refusals of the four-eyes directory (changes.ts), each with the code CONTRACT.md names. */

/** 403: the officer who proposed a change may not confirm it. */
export class SameOfficerError extends DomainError {
  constructor() {
    super('SAME_OFFICER', 'a change must be confirmed by another officer than the one who proposed it');
    this.name = 'SameOfficerError';
  }
}

/** 409: the party already has a proposal waiting for a second officer. */
export class ChangePendingError extends DomainError {
  constructor(changeId: string) {
    super('CHANGE_PENDING', 'another change of this reviewer awaits confirmation', {
      pendingChangeId: changeId,
    });
    this.name = 'ChangePendingError';
  }
}

/** 409: the change was confirmed already, or replaced by another. */
export class ChangeDecidedError extends DomainError {
  constructor(status: string) {
    super('CHANGE_DECIDED', `the change is no longer pending (${status})`, { status });
    this.name = 'ChangeDecidedError';
  }
}

/** 404: no such change for this party. */
export class UnknownChangeError extends DomainError {
  constructor() {
    super('UNKNOWN_CHANGE', 'no change with that id');
    this.name = 'UnknownChangeError';
  }
}
