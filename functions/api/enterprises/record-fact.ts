import { actorOf } from '../../auth/principal.ts';
import { routeHandler } from '../../http/handler.ts';
import { json } from '../../http/response.ts';
import { recordFact as recordFactUseCase, settleFactChange } from '../../usecases/enterprises/facts.ts';
import { recordFactRoute } from '../routes/record-fact.ts';
import { factPorts } from './fact-ports.ts';

/** POST /enterprises/{id}/facts: records a fact; a new cause the open application does not cover ends it. */
export const recordFact = routeHandler(recordFactRoute, async ({ params, body, principal }) => {
  const ports = factPorts();
  const who = { now: ports.clock.now().toISOString(), actor: actorOf(principal) };
  const change = await recordFactUseCase(ports.store, params.id, body, who);
  return json(201, await settleFactChange(ports, change, who));
});
