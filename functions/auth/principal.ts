import { DomainError } from '../../domain/errors.ts';

/**
 * Who acts, once the edge has read it from a verified token (claims.ts): a subject with one role,
 * and for an applicant the enterprises it acts for. Use cases check what the principal may do here.
 */

export const ROLES = ['officer', 'applicant'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  readonly subject: string;
  readonly role: Role;
  /** Enterprises an applicant acts for; empty for officers (who act for all). */
  readonly enterprises: readonly string[];
}

/** How the timeline names who acted: `<role>:<subject>`. */
export const actorOf = (principal: Principal): string => `${principal.role}:${principal.subject}`;

/** 403 FORBIDDEN: the principal may not act for that enterprise. */
export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super('FORBIDDEN', message);
    this.name = 'ForbiddenError';
  }
}

export function canActFor(principal: Principal, enterpriseId: string): boolean {
  return principal.role === 'officer' || principal.enterprises.includes(enterpriseId);
}

/** Officers act for every enterprise; an applicant only for the ones its token names (403 otherwise). */
export function assertCanActFor(principal: Principal, enterpriseId: string): void {
  if (!canActFor(principal, enterpriseId)) {
    throw new ForbiddenError('This token does not act for that enterprise.');
  }
}
