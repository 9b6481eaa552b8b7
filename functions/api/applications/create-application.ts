import { clock } from '../../composition/clock.ts';
import { applicationIdempotency } from '../../composition/idempotency.ts';
import { store } from '../../composition/store.ts';
import { workflow } from '../../composition/workflow.ts';
import { routeHandler } from '../../http/handler.ts';
import { ProblemError } from '../../http/problem.ts';
import { json } from '../../http/response.ts';
import { setApplicationCorrelation } from '../../observability/logger.ts';
import { IdempotencyInProgressError, IdempotencyKeyReusedError } from '../../ports/idempotency.ts';
import { submitApplicationOnce } from '../../usecases/applications/submit.ts';
import { ROUTE } from '../routes.ts';

/** POST /applications, once per Idempotency-Key: persists the application, then starts its execution. */
export const createApplication = routeHandler(
  ROUTE.createApplication,
  async ({ body, headers, principal, context }) => {
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
        context,
      );
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
