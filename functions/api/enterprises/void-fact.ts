import { actorOf } from '../../auth/principal.ts';
import { routeHandler } from '../../http/handler.ts';
import { json } from '../../http/response.ts';
import { voidFact as voidFactUseCase, settleFactChange } from '../../usecases/enterprises/facts.ts';
import { voidFactRoute } from '../routes/void-fact.ts';
import { factPorts } from './fact-ports.ts';

/** POST /enterprises/{id}/facts/{factId}/void: voids a fact recorded in error; a covered cause left with nothing to repair ends the open application. */
export const voidFact = routeHandler(voidFactRoute, async ({ params, body, principal }) => {
  const ports = factPorts();
  const who = { now: ports.clock.now().toISOString(), actor: actorOf(principal) };
  const change = await voidFactUseCase(ports.store, params.id, params.factId, body, who);
  return json(200, await settleFactChange(ports, change, who));
});
