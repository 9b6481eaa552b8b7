import { evidenceInspection } from '../../composition/evidence-inspection.ts';
import { storeReader } from '../../composition/store.ts';
import { bodilessRouteHandler } from '../../http/bodiless-handler.ts';
import { json } from '../../http/response.ts';
import { setApplicationCorrelation } from '../../observability/logger.ts';
import { assertOwnApplication } from '../../usecases/applications/access.ts';
import { requireApplicationView } from '../../usecases/applications/view.ts';
import { getApplicationRoute } from '../routes/get-application.ts';

/** GET /applications/{id} */
export const getApplication = bodilessRouteHandler(getApplicationRoute, async ({ params, principal }) => {
  setApplicationCorrelation(params.id);
  const view = await requireApplicationView(storeReader(), params.id, {
    evidenceStore: evidenceInspection(),
    authorize: (enterpriseId) => assertOwnApplication(principal, { id: params.id, enterpriseId }),
  });
  return json(200, view);
});
