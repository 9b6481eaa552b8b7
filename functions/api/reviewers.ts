import { clock } from '../composition/clock.ts';
import { store } from '../composition/store.ts';
import { routeHandler } from '../http/handler.ts';
import { cancelReviewerChangeRoute } from './routes/cancel-reviewer-change.ts';
import { getReviewerHistoryRoute } from './routes/get-reviewer-history.ts';
import { listReviewersRoute } from './routes/list-reviewers.ts';
import { putReviewerRoute } from './routes/put-reviewer.ts';
import { json } from '../http/response.ts';
import {
  cancelReviewerChange as cancelChange,
  proposeReviewer,
  reviewerHistory,
} from '../usecases/directory/changes.ts';
import { listReviewers as listDirectory } from '../usecases/directory/reviewers.ts';

/**
 * The reviewer directory routes (officers only; replacing a reviewer takes two of them). The
 * confirmation, which mails, has its own module (reviewers/confirm-reviewer-change.ts).
 */

export const putReviewer = routeHandler(putReviewerRoute, async ({ params, body, principal }) => {
  const result = await proposeReviewer({ store: store(), clock: clock() }, params.party, body, principal);
  return result.kind === 'PROPOSED' ? json(202, { change: result.change }) : json(200, result.reviewer);
});

export const cancelReviewerChange = routeHandler(cancelReviewerChangeRoute, async ({ params, principal }) =>
  json(200, await cancelChange({ store: store(), clock: clock() }, params.party, params.changeId, principal)),
);

export const getReviewerHistory = routeHandler(getReviewerHistoryRoute, async ({ params }) =>
  json(200, await reviewerHistory(store(), params.party)),
);

export const listReviewers = routeHandler(listReviewersRoute, async () =>
  json(200, { items: await listDirectory(store()) }),
);
