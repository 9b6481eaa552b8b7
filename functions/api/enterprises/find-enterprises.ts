import { localDateIn } from '../../../domain/dates.ts';
import { clock } from '../../composition/clock.ts';
import { storeReader } from '../../composition/store.ts';
import { bodilessRouteHandler } from '../../http/bodiless-handler.ts';
import { json } from '../../http/response.ts';
import { findEnterprises as findEnterprisePage } from '../../usecases/enterprises/find.ts';
import { findEnterprisesRoute } from '../routes/find-enterprises.ts';

const DEFAULT_PAGE_SIZE = 20;

/** GET /enterprises?tier=&name=: officers find enterprises from index entries, never a Scan. */
export const findEnterprises = bodilessRouteHandler(findEnterprisesRoute, async ({ query }) => {
  const page = await findEnterprisePage(
    storeReader(),
    {
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      ...(query.tier === undefined ? {} : { tier: query.tier }),
      ...(query.name === undefined ? {} : { name: query.name }),
      ...(query.nextToken === undefined ? {} : { nextToken: query.nextToken }),
    },
    localDateIn(clock().now()),
  );
  return json(200, page);
});
