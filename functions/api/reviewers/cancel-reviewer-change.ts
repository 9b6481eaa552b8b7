import { clock } from '../../composition/clock.ts';
import { store } from '../../composition/store.ts';
import { bodilessRouteHandler } from '../../http/bodiless-handler.ts';
import { json } from '../../http/response.ts';
import { cancelReviewerChange as cancelChange } from '../../usecases/directory/changes.ts';
import { cancelReviewerChangeRoute } from '../routes/cancel-reviewer-change.ts';

/** POST /reviewers/{party}/changes/{changeId}/cancel: a pending replacement withdrawn or refused. */
export const cancelReviewerChange = bodilessRouteHandler(
  cancelReviewerChangeRoute,
  async ({ params, principal }) =>
    json(
      200,
      await cancelChange({ store: store(), clock: clock() }, params.party, params.changeId, principal),
    ),
);
