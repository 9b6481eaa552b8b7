import { clock } from '../composition/clock.ts';
import { store } from '../composition/store.ts';
import { routeHandler } from '../http/handler.ts';
import { ROUTE } from './routes.ts';
import { json } from '../http/response.ts';
import {
  listReviewers as listDirectory,
  putReviewer as setReviewer,
} from '../usecases/directory/reviewers.ts';

/** The reviewer directory routes (officers only). */

export const putReviewer = routeHandler(ROUTE.putReviewer, async ({ params, body }) =>
  json(200, await setReviewer(store(), params.party, body, clock().now().toISOString())),
);

export const listReviewers = routeHandler(ROUTE.listReviewers, async () =>
  json(200, { items: await listDirectory(store()) }),
);
