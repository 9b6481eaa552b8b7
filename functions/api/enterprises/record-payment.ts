import { actorOf } from '../../auth/principal.ts';
import { routeHandler } from '../../http/handler.ts';
import { json } from '../../http/response.ts';
import { recordPayment as recordPaymentUseCase, settleFactChange } from '../../usecases/enterprises/facts.ts';
import { recordPaymentRoute } from '../routes/record-payment.ts';
import { factPorts } from './fact-ports.ts';

/** POST /enterprises/{id}/facts/{factId}/payment: settles an arrear; the answer shows the enterprise after it. */
export const recordPayment = routeHandler(recordPaymentRoute, async ({ params, body, principal }) => {
  const ports = factPorts();
  const who = { now: ports.clock.now().toISOString(), actor: actorOf(principal) };
  const change = await recordPaymentUseCase(ports.store, params.id, params.factId, body, who);
  return json(200, await settleFactChange(ports, change, who));
});
