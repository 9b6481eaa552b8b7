import { localDateIn } from '../../../domain/dates.ts';
import { clock } from '../../composition/clock.ts';
import { itemCreator } from '../../composition/store.ts';
import { routeHandler } from '../../http/handler.ts';
import { json } from '../../http/response.ts';
import { createEnterprise as registerEnterprise } from '../../usecases/enterprises/register.ts';
import { enterpriseView } from '../../usecases/enterprises/view.ts';
import { createEnterpriseRoute } from '../routes/create-enterprise.ts';

/** POST /enterprises: registers an enterprise (one conditional put). */
export const createEnterprise = routeHandler(createEnterpriseRoute, async ({ body }) => {
  const now = clock().now().toISOString();
  const enterprise = await registerEnterprise(itemCreator(), body, now);
  return json(201, enterpriseView(enterprise, localDateIn(now)), {
    location: `/enterprises/${enterprise.profile.id}`,
  });
});
