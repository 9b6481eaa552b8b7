import { storeReader } from '../../composition/store.ts';
import { workflow } from '../../composition/workflow.ts';
import { bodilessRouteHandler } from '../../http/bodiless-handler.ts';
import { json } from '../../http/response.ts';
import { setApplicationCorrelation } from '../../observability/logger.ts';
import { assertOwnApplication } from '../../usecases/applications/access.ts';
import { applicationWorkflow } from '../../usecases/applications/workflow-view.ts';
import { getApplicationWorkflowRoute } from '../routes/get-application-workflow.ts';

/** GET /applications/{id}/workflow: an applicant of another enterprise gets the unknown id's 404. */
export const getApplicationWorkflow = bodilessRouteHandler(
  getApplicationWorkflowRoute,
  async ({ params, principal }) => {
    setApplicationCorrelation(params.id);
    const view = await applicationWorkflow(
      { store: storeReader(), workflow: workflow() },
      params.id,
      (enterpriseId) => assertOwnApplication(principal, { id: params.id, enterpriseId }),
    );
    return json(200, view);
  },
);
