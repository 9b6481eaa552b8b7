import { clock } from '../../composition/clock.ts';
import { store } from '../../composition/store.ts';
import { routeHandler } from '../../http/handler.ts';
import { json } from '../../http/response.ts';
import { proposeReviewer } from '../../usecases/directory/changes.ts';
import { putReviewerRoute } from '../routes/put-reviewer.ts';

/**
 * PUT /reviewers/{party}: sets a party's first reviewer, or proposes replacing it (a second
 * officer confirms: four eyes). The only directory route with a body; each has its own module, so
 * a route's bundle holds neither the others' use cases nor, without a body, the body parser.
 */
export const putReviewer = routeHandler(putReviewerRoute, async ({ params, body, principal }) => {
  const result = await proposeReviewer({ store: store(), clock: clock() }, params.party, body, principal);
  return result.kind === 'PROPOSED' ? json(202, { change: result.change }) : json(200, result.reviewer);
});
