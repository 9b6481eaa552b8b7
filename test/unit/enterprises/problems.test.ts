import { describe, expect, it } from 'vitest';
import { FactHistoryError } from '../../../domain/facts.ts';
import {
  ApplicationOpenError,
  EnterpriseNotFoundError,
  ProfileContentionError,
} from '../../../functions/lib/enterprises/errors.ts';
import { enterpriseProblem } from '../../../functions/lib/enterprises/problems.ts';
import { newFactId } from '../../../functions/lib/enterprises/ids.ts';
import { ProblemError } from '../../../functions/lib/http/problem.ts';

const problemOf = (error: unknown): ProblemError => {
  const mapped = enterpriseProblem(error);
  expect(mapped).toBeInstanceOf(ProblemError);
  return mapped as ProblemError;
};

describe('enterpriseProblem', () => {
  it.each([
    [new EnterpriseNotFoundError('ACME000001'), 404, 'NOT_FOUND'],
    [new FactHistoryError('UNKNOWN_FACT', 'no fact x', { factId: 'x' }), 404, 'NOT_FOUND'],
    [new FactHistoryError('ALREADY_PAID', 'paid'), 409, 'ALREADY_PAID'],
    [new FactHistoryError('NOT_PAYABLE', 'no money'), 422, 'NOT_PAYABLE'],
    [new FactHistoryError('DATE_IN_FUTURE', 'tomorrow'), 422, 'DATE_IN_FUTURE'],
    [new ApplicationOpenError('ACME000001', 'app-1'), 409, 'APPLICATION_OPEN'],
    [new ProfileContentionError('ACME000001'), 409, 'CONCURRENT_UPDATE'],
  ])('maps %s to %i %s', (error, status, code) => {
    expect(problemOf(error)).toMatchObject({ status, code });
  });

  it('keeps the details a client can act on', () => {
    expect(problemOf(new ApplicationOpenError('ACME000001', 'app-1')).toDocument()).toMatchObject({
      openApplicationId: 'app-1',
    });
  });

  it('leaves errors it does not know alone, so they stay 500s', () => {
    const bug = new TypeError('boom');
    expect(enterpriseProblem(bug)).toBe(bug);
  });
});

describe('newFactId', () => {
  it('sorts by recording time and differs at the same instant', () => {
    const a = newFactId('2026-06-15T02:00:00.000Z');
    const b = newFactId('2026-06-15T02:00:00.000Z');
    const later = newFactId('2026-06-15T02:00:00.001Z');
    expect(a).not.toBe(b);
    expect([later, a].sort()[1]).toBe(later);
    expect(a).toMatch(/^[a-z0-9]{9}-[0-9a-f]{20}$/);
  });
});
