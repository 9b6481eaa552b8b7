import { localDateIn } from '../../domain/dates.ts';
import { clock } from '../composition/clock.ts';
import { store } from '../composition/store.ts';
import { routeHandler } from '../http/handler.ts';
import { ROUTE } from './routes.ts';
import { json } from '../http/response.ts';
import { requireEnterprise } from '../usecases/enterprises/records.ts';
import { publicCreditView } from '../usecases/enterprises/view.ts';

/** GET /public/credit/{enterpriseId}: what anyone may know of an enterprise's credit status. */
export const getPublicCredit = routeHandler(ROUTE.getPublicCredit, async ({ params }) => {
  const enterprise = await requireEnterprise(store(), params.enterpriseId);
  return json(200, publicCreditView(enterprise, localDateIn(clock().now())));
});
