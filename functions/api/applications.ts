import { assertCanActFor } from '../auth/principal.ts';
import { clock } from '../composition/clock.ts';
import { applicationIdempotency } from '../composition/idempotency.ts';
import { store } from '../composition/store.ts';
import { workflow } from '../composition/workflow.ts';
import { routeHandler } from '../http/handler.ts';
import { ROUTE } from './routes.ts';
import { ProblemError } from '../http/problem.ts';
import { json } from '../http/response.ts';
import { setApplicationCorrelation } from '../observability/logger.ts';
import { IdempotencyInProgressError, IdempotencyKeyReusedError } from '../ports/idempotency.ts';
import { listApplications as listApplicationPage } from '../usecases/applications/list.ts';
import { submitApplicationOnce } from '../usecases/applications/submit.ts';
import { requireApplicationView } from '../usecases/applications/view.ts';
import { withdrawApplication as withdraw } from '../usecases/applications/withdraw.ts';
import { applicationWorkflow } from '../usecases/applications/workflow-view.ts';
import { localDateIn } from '../../domain/dates.ts';

/**
 * The application routes (CONTRACT.md): thin adapters from HTTP to the application use cases.
 * Each parses (httpHandler + zod), calls one use case and maps its result or refusal to a status.
 */

const DEFAULT_PAGE_SIZE = 20;

/** POST /applications, once per Idempotency-Key. */
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

/** GET /applications/{id} */
export const getApplication = routeHandler(ROUTE.getApplication, async ({ params, principal }) => {
  setApplicationCorrelation(params.id);
  const view = await requireApplicationView(store(), params.id);
  assertCanActFor(principal, view.enterpriseId);
  return json(200, view);
});

/** GET /applications/{id}/workflow: an applicant of another enterprise gets the unknown id's 404. */
export const getApplicationWorkflow = routeHandler(
  ROUTE.getApplicationWorkflow,
  async ({ params, principal }) => {
    setApplicationCorrelation(params.id);
    const view = await applicationWorkflow(
      { store: store(), workflow: workflow() },
      params.id,
      (enterpriseId) => assertCanActFor(principal, enterpriseId),
    );
    return json(200, view);
  },
);

/** GET /applications */
export const listApplications = routeHandler(ROUTE.listApplications, async ({ query, principal }) => {
  if (principal.role === 'applicant') {
    if (query.enterpriseId === undefined) {
      throw ProblemError.of('VALIDATION_FAILED', 'Applicants must name one of their enterprises.', {
        errors: [{ in: 'query', path: 'enterpriseId', message: 'required for applicants' }],
      });
    }
    assertCanActFor(principal, query.enterpriseId);
  }
  const page = await listApplicationPage(store(), {
    today: localDateIn(clock().now()),
    limit: query.limit ?? DEFAULT_PAGE_SIZE,
    ...(query.enterpriseId === undefined ? {} : { enterpriseId: query.enterpriseId }),
    ...(query.status === undefined ? {} : { status: query.status }),
    ...(query.nextToken === undefined ? {} : { nextToken: query.nextToken }),
  });
  return json(200, page);
});

/** POST /applications/{id}/withdraw */
export const withdrawApplication = routeHandler(ROUTE.withdrawApplication, async ({ params, principal }) => {
  setApplicationCorrelation(params.id);
  const ports = { store: store(), clock: clock(), workflow: workflow() };
  const record = await withdraw(ports, params.id, principal, ports.clock.now());
  return json(200, await requireApplicationView(ports.store, record.state.id));
});
