import { storeReader } from '../../composition/store.ts';
import { bodilessRouteHandler } from '../../http/bodiless-handler.ts';
import { json } from '../../http/response.ts';
import { listReviewers as listDirectory } from '../../usecases/directory/reviewers.ts';
import { listReviewersRoute } from '../routes/list-reviewers.ts';

/** GET /reviewers: the reviewer directory, one reviewer per party. */
export const listReviewers = bodilessRouteHandler(listReviewersRoute, async () =>
  json(200, { items: await listDirectory(storeReader()) }),
);
