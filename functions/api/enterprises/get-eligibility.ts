import { localDateIn } from '../../../domain/dates.ts';
import { assertCanActFor } from '../../auth/principal.ts';
import { clock } from '../../composition/clock.ts';
import { storeReader } from '../../composition/store.ts';
import { bodilessRouteHandler } from '../../http/bodiless-handler.ts';
import { json } from '../../http/response.ts';
import { enterpriseEligibility } from '../../usecases/enterprises/eligibility.ts';
import { getEligibilityRoute } from '../routes/get-eligibility.ts';

/** GET /enterprises/{id}/eligibility: every refusal reason, and the earliest date to apply. */
export const getEligibility = bodilessRouteHandler(getEligibilityRoute, async ({ params, principal }) => {
  assertCanActFor(principal, params.id);
  return json(200, await enterpriseEligibility(storeReader(), params.id, localDateIn(clock().now())));
});
