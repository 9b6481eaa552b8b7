import { DomainError } from '../../../domain/errors.ts';
import { ProblemError } from '../http/problem.ts';
import { ProfileContentionError } from './errors.ts';

/**
 * How the enterprise use cases' errors read over HTTP. Codes are the domain's own (FactHistoryError,
 * the registration refusals); only "unknown id" is folded into the API-wide NOT_FOUND.
 */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  NOT_FOUND: 404,
  UNKNOWN_FACT: 404,
  ENTERPRISE_EXISTS: 409,
  APPLICATION_OPEN: 409,
  ALREADY_PAID: 409,
  ALREADY_VOIDED: 409,
  FACT_VOIDED: 409,
  NOT_PAYABLE: 422,
  PAID_BEFORE_IMPOSED: 422,
  DATE_IN_FUTURE: 422,
  TIER_NOT_REGISTRABLE: 422,
  REASON_REQUIRED: 400,
};

export function enterpriseProblem(error: unknown): unknown {
  if (error instanceof ProfileContentionError) {
    return new ProblemError({
      status: 409,
      code: 'CONCURRENT_UPDATE',
      detail: 'The enterprise changed under concurrent requests; retry.',
    });
  }
  if (!(error instanceof DomainError)) return error;
  const status = STATUS_BY_CODE[error.code];
  if (status === undefined) return error;
  return new ProblemError({
    status,
    code: error.code === 'UNKNOWN_FACT' ? 'NOT_FOUND' : error.code,
    detail: error.message,
    ...(error.details === undefined ? {} : { extensions: error.details }),
  });
}

/** Runs a use case and rethrows its domain errors as problem documents. */
export async function asProblems<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw enterpriseProblem(error);
  }
}
