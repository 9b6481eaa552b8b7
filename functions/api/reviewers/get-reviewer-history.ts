import { storeReader } from '../../composition/store.ts';
import { bodilessRouteHandler } from '../../http/bodiless-handler.ts';
import { json } from '../../http/response.ts';
import { reviewerHistory } from '../../usecases/directory/changes.ts';
import { getReviewerHistoryRoute } from '../routes/get-reviewer-history.ts';

/** GET /reviewers/{party}/history: every change of a party's reviewer and its audit timeline. */
export const getReviewerHistory = bodilessRouteHandler(getReviewerHistoryRoute, async ({ params }) =>
  json(200, await reviewerHistory(storeReader(), params.party)),
);
