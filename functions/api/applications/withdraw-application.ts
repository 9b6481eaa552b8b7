import { clock } from '../../composition/clock.ts';
import { store } from '../../composition/store.ts';
import { workflow } from '../../composition/workflow.ts';
import { bodilessRouteHandler } from '../../http/bodiless-handler.ts';
import { json } from '../../http/response.ts';
import { setApplicationCorrelation } from '../../observability/logger.ts';
import { requireApplicationView } from '../../usecases/applications/view.ts';
import { withdrawAndRead } from '../../usecases/applications/withdraw.ts';
import { withdrawApplicationRoute } from '../routes/withdraw-application.ts';

/** POST /applications/{id}/withdraw: ends the application and stops its execution. */
export const withdrawApplication = bodilessRouteHandler(
  withdrawApplicationRoute,
  async ({ params, principal }) => {
    setApplicationCorrelation(params.id);
    const ports = { store: store(), clock: clock(), workflow: workflow() };
    const view = await withdrawAndRead(ports, params.id, principal, ports.clock.now(), (record) =>
      requireApplicationView(ports.store, record.state.id),
    );
    return json(200, view);
  },
);
