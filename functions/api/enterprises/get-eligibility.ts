import { localDateIn } from '../../../domain/dates.ts';
import { assertCanActFor } from '../../auth/principal.ts';
import { clock } from '../../composition/clock.ts';
import { store } from '../../composition/store.ts';
import { routeHandler } from '../../http/handler.ts';
import { json } from '../../http/response.ts';
import { enterpriseEligibility } from '../../usecases/enterprises/eligibility.ts';
import { ROUTE } from '../routes.ts';

/** GET /enterprises/{id}/eligibility: every refusal reason, and the earliest date to apply. */
export const getEligibility = routeHandler(ROUTE.getEligibility, async ({ params, principal }) => {
  assertCanActFor(principal, params.id);
  return json(200, await enterpriseEligibility(store(), params.id, localDateIn(clock().now())));
});
