import { describe, expect, it } from 'vitest';
import { FactHistoryError } from '../../../domain/facts.ts';
import { IllegalTransitionError } from '../../../domain/errors.ts';
import {
  ApplicationBusyError,
  InvalidUploadError,
  NotEligibleError,
} from '../../../functions/usecases/applications/errors.ts';
import {
  ApplicationOpenError,
  EnterpriseNotFoundError,
  ProfileContentionError,
} from '../../../functions/usecases/enterprises/errors.ts';
import { toProblem } from '../../../functions/http/middleware.ts';
import { InvalidPageTokenError } from '../../../functions/ports/store/errors.ts';

/** Every route answers a domain error the same way: one map from its code to a status. */

describe('domain errors as problem documents', () => {
  it.each([
    [new EnterpriseNotFoundError('ACME000001'), 404, 'NOT_FOUND'],
    [new FactHistoryError('UNKNOWN_FACT', 'no fact x', { factId: 'x' }), 404, 'NOT_FOUND'],
    [new FactHistoryError('ALREADY_PAID', 'paid'), 409, 'ALREADY_PAID'],
    [new FactHistoryError('NOT_PAYABLE', 'no money'), 422, 'NOT_PAYABLE'],
    [new FactHistoryError('DATE_IN_FUTURE', 'tomorrow'), 422, 'DATE_IN_FUTURE'],
    [new ApplicationOpenError('ACME000001', 'app-1'), 409, 'APPLICATION_OPEN'],
    [new ProfileContentionError('ACME000001'), 409, 'CONCURRENT_UPDATE'],
    [new ApplicationBusyError('app-1'), 409, 'CONCURRENT_UPDATE'],
    [new InvalidPageTokenError(), 400, 'INVALID_NEXT_TOKEN'],
    [new IllegalTransitionError('APPLICATION_FINAL', 'final'), 409, 'APPLICATION_FINAL'],
  ])('maps %s to %i %s', (error, status, code) => {
    const { problem, unexpected } = toProblem(error);
    expect(unexpected).toBe(false);
    expect(problem).toMatchObject({ status, code });
  });

  it('keeps the details a client can act on as members', () => {
    const { problem } = toProblem(new ApplicationOpenError('ACME000001', 'app-1'));
    expect(problem.toDocument()).toMatchObject({ openApplicationId: 'app-1' });
  });

  it("carries a refusal's rule codes as `reasons` and the earliest day as a member", () => {
    const refusal = new NotEligibleError(
      [{ code: 'RECTIFICATION_PERIOD_NOT_MET', earliestApplicationOn: '2027-01-10' }],
      '2027-01-10',
    );
    expect(toProblem(refusal).problem.toDocument()).toMatchObject({
      status: 422,
      code: 'NOT_ELIGIBLE',
      reasons: [{ code: 'RECTIFICATION_PERIOD_NOT_MET', earliestApplicationOn: '2027-01-10' }],
      earliestApplicationOn: '2027-01-10',
    });
  });

  it("answers a refused upload with the first rule's code and every field at fault as `errors`", () => {
    const refusal = new InvalidUploadError([
      { field: 'contentType', code: 'CONTENT_TYPE_NOT_ALLOWED', message: 'not PDF, JPEG or PNG' },
      { field: 'size', code: 'FILE_TOO_LARGE', message: 'over 10 MB' },
    ]);
    expect(toProblem(refusal).problem.toDocument()).toMatchObject({
      status: 422,
      code: 'CONTENT_TYPE_NOT_ALLOWED',
      errors: [
        { in: 'body', path: 'contentType', message: 'not PDF, JPEG or PNG' },
        { in: 'body', path: 'size', message: 'over 10 MB' },
      ],
      issues: [
        { field: 'contentType', code: 'CONTENT_TYPE_NOT_ALLOWED' },
        { field: 'size', code: 'FILE_TOO_LARGE' },
      ],
    });
  });

  it('turns anything else into a 500 INTERNAL that reveals nothing', () => {
    const { problem, unexpected } = toProblem(new TypeError('boom at /secret/path'));
    expect(unexpected).toBe(true);
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem.toDocument())).not.toContain('secret');
  });
});
