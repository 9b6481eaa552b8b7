import { localDateIn } from '../../../domain/dates.ts';
import { assertCanActFor } from '../../auth/principal.ts';
import { clock } from '../../composition/clock.ts';
import { storeReader } from '../../composition/store.ts';
import { bodilessRouteHandler } from '../../http/bodiless-handler.ts';
import { json } from '../../http/response.ts';
import { requireEnterprise } from '../../usecases/enterprises/records.ts';
import { enterpriseView } from '../../usecases/enterprises/view.ts';
import { getEnterpriseRoute } from '../routes/get-enterprise.ts';

/** GET /enterprises/{id}: officers, and applicants of that enterprise. */
export const getEnterprise = bodilessRouteHandler(getEnterpriseRoute, async ({ params, principal }) => {
  assertCanActFor(principal, params.id);
  const enterprise = await requireEnterprise(storeReader(), params.id);
  return json(200, enterpriseView(enterprise, localDateIn(clock().now())));
});
