import { localDateIn } from '../../../domain/dates.ts';
import { assertCanActFor } from '../../auth/principal.ts';
import { clock } from '../../composition/clock.ts';
import { storeReader } from '../../composition/store.ts';
import { bodilessRouteHandler } from '../../http/bodiless-handler.ts';
import { ProblemError } from '../../http/problem.ts';
import { json } from '../../http/response.ts';
import { listApplications as listApplicationPage } from '../../usecases/applications/list.ts';
import { listApplicationsRoute } from '../routes/list-applications.ts';

const DEFAULT_PAGE_SIZE = 20;

/** GET /applications */
export const listApplications = bodilessRouteHandler(listApplicationsRoute, async ({ query, principal }) => {
  if (principal.role === 'applicant') {
    if (query.enterpriseId === undefined) {
      throw ProblemError.of('VALIDATION_FAILED', 'Applicants must name one of their enterprises.', {
        errors: [{ in: 'query', path: 'enterpriseId', message: 'required for applicants' }],
      });
    }
    assertCanActFor(principal, query.enterpriseId);
  }
  const page = await listApplicationPage(storeReader(), {
    today: localDateIn(clock().now()),
    limit: query.limit ?? DEFAULT_PAGE_SIZE,
    ...(query.enterpriseId === undefined ? {} : { enterpriseId: query.enterpriseId }),
    ...(query.status === undefined ? {} : { status: query.status }),
    ...(query.nextToken === undefined ? {} : { nextToken: query.nextToken }),
  });
  return json(200, page);
});
