import { describe, expect, it } from 'vitest';
import { int, object, string } from 'zod';
import {
  fromZodError,
  ProblemError,
  problemResponse,
  problemTypeFor,
} from '../../../functions/http/problem.ts';
import { PROBLEMS, type ProblemCode } from '../../../functions/http/problems.ts';

const bodyOf = (result: ReturnType<typeof problemResponse>) =>
  JSON.parse(result.body ?? 'null') as Record<string, unknown>;

describe('problem documents', () => {
  it('every catalogued code has its status and a stable kebab-case type URI', () => {
    for (const [code, { status }] of Object.entries(PROBLEMS)) {
      const doc = bodyOf(problemResponse(ProblemError.of(code as ProblemCode, 'd')));
      expect(doc.status).toBe(status);
      expect(doc.code).toBe(code);
      expect(doc.type).toBe(
        `https://credit-repair.example/problems/${code.toLowerCase().replaceAll('_', '-')}`,
      );
    }
    expect(problemTypeFor('IDEMPOTENCY_KEY_REUSED')).toBe(
      'https://credit-repair.example/problems/idempotency-key-reused',
    );
  });

  it('is served as application/problem+json, not cached, with the problem headers', () => {
    const result = problemResponse(
      ProblemError.of('UNAUTHORIZED', 'no token', { headers: { 'www-authenticate': 'Bearer' } }),
    );
    expect(result.statusCode).toBe(401);
    expect(result.headers).toMatchObject({
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
      'www-authenticate': 'Bearer',
    });
  });

  it('carries reasons and extensions, but an extension cannot overwrite a standard member', () => {
    const doc = bodyOf(
      problemResponse({
        status: 422,
        code: 'NOT_ELIGIBLE',
        detail: 'not yet',
        reasons: [{ code: 'RECTIFICATION_PERIOD_NOT_MET', earliestApplicationOn: '2026-10-01' }],
        extensions: { earliestApplicationOn: '2026-10-01', status: 200, code: 'OK' },
      }),
    );
    expect(doc).toEqual({
      type: 'https://credit-repair.example/problems/not-eligible',
      title: 'The request was refused by a rule',
      status: 422,
      detail: 'not yet',
      code: 'NOT_ELIGIBLE',
      reasons: [{ code: 'RECTIFICATION_PERIOD_NOT_MET', earliestApplicationOn: '2026-10-01' }],
      earliestApplicationOn: '2026-10-01',
    });
  });

  it('a handler-defined code with a known status gets a generic title', () => {
    const error = new ProblemError({ status: 409, code: 'ENTERPRISE_EXISTS', detail: 'exists' });
    expect(error.title).toBe('Conflict');
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('exists');
  });
});

describe('fromZodError', () => {
  const Schema = object({ name: string(), items: object({ count: int() }).array() });

  it('maps every issue to a 400 VALIDATION_FAILED field error with a dotted path', () => {
    const parsed = Schema.safeParse({ name: 1, items: [{ count: 1 }, { count: 'x' }] });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    const problem = fromZodError(parsed.error);
    expect(problem.status).toBe(400);
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors?.map((e) => [e.in, e.path])).toEqual([
      ['body', 'name'],
      ['body', 'items.1.count'],
    ]);
    expect(problem.detail).toBe('2 fields are not valid.');
    for (const issue of problem.errors ?? []) expect(issue.message.length).toBeGreaterThan(0);
  });

  it('names the location it was given; an issue on the whole value has an empty path', () => {
    const parsed = string().safeParse(5);
    if (parsed.success) throw new Error('expected failure');
    const problem = fromZodError(parsed.error, 'query');
    expect(problem.errors).toEqual([{ in: 'query', path: '', message: expect.any(String) }]);
    expect(problem.detail).toBe('1 field is not valid.');
  });
});
