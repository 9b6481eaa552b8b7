import { clock } from '../../composition/clock.ts';
import { applicationIdempotency } from '../../composition/idempotency.ts';
import { store } from '../../composition/store.ts';
import { workflow } from '../../composition/workflow.ts';
import { routeHandler } from '../../http/handler.ts';
import { toProblem } from '../../http/middleware.ts';
import { PROBLEM_CONTENT_TYPE, ProblemError } from '../../http/problem.ts';
import { json } from '../../http/response.ts';
import { setApplicationCorrelation } from '../../observability/logger.ts';
import { IdempotencyInProgressError, IdempotencyKeyReusedError } from '../../ports/idempotency.ts';
import { submitApplicationOnce, type RefusalOf } from '../../usecases/applications/submit.ts';
import { createApplicationRoute } from '../routes/create-application.ts';

/**
 * The refusal a submission ended with, as it goes out (CONTRACT.md: a finished 4xx is replayed byte
 * for byte, so it is stored as sent). 429 and 5xx are not finished answers and are not stored.
 */
const finishedRefusal: RefusalOf = (error) => {
  const { problem, unexpected } = toProblem(error);
  if (unexpected || problem.status < 400 || problem.status >= 500 || problem.status === 429) return undefined;
  return { status: problem.status, headers: { ...problem.headers }, problem: problem.toDocument() };
};

/** POST /applications, once per Idempotency-Key: persists the application, then starts its execution. */
export const createApplication = routeHandler(
  createApplicationRoute,
  async ({ body, headers, principal }) => {
    const ports = {
      store: store(),
      clock: clock(),
      workflow: workflow(),
      idempotency: applicationIdempotency(),
    };
    try {
      const answer = await submitApplicationOnce(
        ports,
        { key: headers['idempotency-key'], body },
        principal,
        finishedRefusal,
      );
      if (!('application' in answer)) {
        return {
          status: answer.status,
          body: answer.problem,
          headers: answer.headers,
          contentType: PROBLEM_CONTENT_TYPE,
        };
      }
      setApplicationCorrelation(answer.application.id);
      return json(answer.status, answer.application, { location: answer.location });
    } catch (error) {
      if (error instanceof IdempotencyKeyReusedError) {
        throw ProblemError.of(
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was used with another body; use a new key for a new request.',
        );
      }
      if (error instanceof IdempotencyInProgressError) {
        throw ProblemError.of(
          'IDEMPOTENCY_KEY_IN_PROGRESS',
          'A request with this Idempotency-Key is still being processed; retry shortly.',
          { headers: { 'retry-after': '1' } },
        );
      }
      throw error;
    }
  },
);
