import { assertCanActFor } from '../../auth/principal.ts';
import { storeReader } from '../../composition/store.ts';
import { bodilessRouteHandler } from '../../http/bodiless-handler.ts';
import { json } from '../../http/response.ts';
import { listEnterpriseEvents as listEventPage } from '../../usecases/enterprises/timeline.ts';
import { listEnterpriseEventsRoute } from '../routes/list-enterprise-events.ts';

const DEFAULT_EVENTS_PAGE_SIZE = 50;

/** GET /enterprises/{id}/events: the enterprise's audit log, newest first. */
export const listEnterpriseEvents = bodilessRouteHandler(
  listEnterpriseEventsRoute,
  async ({ params, query, principal }) => {
    assertCanActFor(principal, params.id);
    const page = await listEventPage(storeReader(), params.id, {
      limit: query.limit ?? DEFAULT_EVENTS_PAGE_SIZE,
      ...(query.nextToken === undefined ? {} : { nextToken: query.nextToken }),
    });
    return json(200, page);
  },
);
