import { clock } from '../../composition/clock.ts';
import { mailer } from '../../composition/mailer.ts';
import { store } from '../../composition/store.ts';
import { bodilessRouteHandler } from '../../http/bodiless-handler.ts';
import { json } from '../../http/response.ts';
import { confirmReviewerChange as confirmChange } from '../../usecases/directory/changes.ts';
import { confirmReviewerChangeRoute } from '../routes/confirm-reviewer-change.ts';

/**
 * POST /reviewers/{party}/changes/{changeId}/confirm: a second officer makes a replacement
 * effective; the previous reviewer and the escalation contacts are mailed. The only directory
 * route that mails, so the only one whose bundle carries the mail client.
 */
export const confirmReviewerChange = bodilessRouteHandler(
  confirmReviewerChangeRoute,
  async ({ params, principal }) =>
    json(
      200,
      await confirmChange(
        { store: store(), clock: clock(), mailer: mailer() },
        params.party,
        params.changeId,
        principal,
      ),
    ),
);
