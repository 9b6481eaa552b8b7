import { describe, expect, it } from 'vitest';
import { UPLOAD_ISSUE_CODES } from '../../../domain/documents.ts';
import { DomainError, TRANSITION_ERROR_CODES } from '../../../domain/errors.ts';
import { FACT_HISTORY_ERROR_CODES } from '../../../domain/facts.ts';
import { ROUTES } from '../../../functions/api/routes.ts';
import { ForbiddenError } from '../../../functions/auth/principal.ts';
import { toProblem } from '../../../functions/http/middleware.ts';
import { PROBLEM_DESCRIPTIONS } from '../../../functions/http/problem-descriptions.ts';
import { HTTP_LAYER_CODES, isProblemCode, PROBLEMS } from '../../../functions/http/problems.ts';
import { InvalidPageTokenError } from '../../../functions/ports/store/errors.ts';
import {
  ApplicationBusyError,
  ApplicationNotFoundError,
  MissingDocumentsError,
  NotEligibleError,
} from '../../../functions/usecases/applications/errors.ts';
import { ResponseRequiredError } from '../../../functions/usecases/applications/evidence.ts';
import {
  ApplicationOpenError,
  EnterpriseExistsError,
  EnterpriseNotFoundError,
  ProfileContentionError,
  RegistrationRefusedError,
} from '../../../functions/usecases/enterprises/errors.ts';

/**
 * One problem catalogue (functions/http/problems.ts): every code the domain and the use cases can
 * raise is in it, the routes name their problems from it, and the middleware answers each code
 * with the catalogue's status, whoever raised it.
 */

const USE_CASE_ERRORS: readonly DomainError[] = [
  new NotEligibleError([], null),
  new MissingDocumentsError([]),
  new ResponseRequiredError(2),
  new ApplicationBusyError('app'),
  new ApplicationNotFoundError('app'),
  new ApplicationOpenError('ENT0000001', 'app'),
  new EnterpriseExistsError('ENT0000001'),
  new EnterpriseNotFoundError('ENT0000001'),
  new ProfileContentionError('ENT0000001'),
  new RegistrationRefusedError('TIER_NOT_REGISTRABLE', 'no'),
  new RegistrationRefusedError('DATE_IN_FUTURE', 'no'),
  new InvalidPageTokenError(),
  new ForbiddenError('no'),
];

const RAISED = [
  ...TRANSITION_ERROR_CODES,
  ...FACT_HISTORY_ERROR_CODES,
  ...UPLOAD_ISSUE_CODES,
  ...USE_CASE_ERRORS.map((error) => error.code),
];

describe('the problem catalogue', () => {
  it.each(RAISED)('has %s, which the domain or a use case raises', (code) => {
    expect(isProblemCode(code)).toBe(true);
  });

  it.each(RAISED)('is how the middleware answers a DomainError %s', (code) => {
    const entry = PROBLEMS[code as keyof typeof PROBLEMS];
    const { problem, unexpected } = toProblem(new DomainError(code, 'refused'));
    expect(unexpected).toBe(false);
    expect(problem.status).toBe(entry.status);
    expect(problem.code).toBe(entry.answeredAs ?? code);
  });

  it('gives every route problem the catalogue’s status', () => {
    for (const route of ROUTES) {
      for (const problem of route.problems ?? []) {
        expect(PROBLEMS[problem.code].status, `${route.method} ${route.path} ${problem.code}`).toBe(
          problem.status,
        );
      }
    }
  });

  it('has a description of every code for the OpenAPI document, and none of a code it lacks', () => {
    for (const code of Object.keys(PROBLEMS)) {
      expect(PROBLEM_DESCRIPTIONS[code as keyof typeof PROBLEMS], code).toMatch(/\S/);
    }
    expect(Object.keys(PROBLEM_DESCRIPTIONS).sort()).toEqual(Object.keys(PROBLEMS).sort());
  });

  it('gives the HTTP layer’s own codes a title of their own, and others their status’s', () => {
    for (const code of HTTP_LAYER_CODES) expect(PROBLEMS[code].title).toBeDefined();
    expect(toProblem(new DomainError('NOT_ELIGIBLE', 'no')).problem.title).toBe(
      'The request was refused by a rule',
    );
    expect(toProblem(new DomainError('APPLICATION_OPEN', 'no')).problem.title).toBe('Conflict');
  });
});
