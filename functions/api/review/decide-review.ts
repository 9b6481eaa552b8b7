import { clock } from '../../composition/clock.ts';
import { linkSecret } from '../../composition/link-secret.ts';
import { store } from '../../composition/store.ts';
import { workflow } from '../../composition/workflow.ts';
import { routeHandler } from '../../http/handler.ts';
import { html } from '../../http/response.ts';
import { setApplicationCorrelation } from '../../observability/logger.ts';
import type { FormError } from '../../pages/review/confirmation.ts';
import {
  renderAlreadyUsedPage,
  renderDecisionRecordedPage,
  renderGonePage,
  renderInvalidFormPage,
  renderStaleFormPage,
} from '../../pages/review/results.ts';
import { decideReview as decide } from '../../usecases/reviews/decide.ts';
import { reviewPage } from '../../usecases/reviews/page.ts';
import { decideReviewRoute } from '../routes/decide-review.ts';
import { linkIdOf, notFound, pageFor } from './link-pages.ts';

const COMMENT_REQUIRED_ERROR: FormError = {
  message: {
    zh: '驳回或要求补正时，请填写意见。未记录任何决定。',
    en: 'A comment is required to reject or to request changes. Nothing was recorded.',
  },
};

/**
 * POST /review/{linkId}: the form's decision, with the link's one-time nonce. The form arrives as
 * it was posted (a `pages` route): it is checked here, so a malformed one gets a page a person can
 * read rather than a JSON problem.
 */
export const decideReview = routeHandler(decideReviewRoute, async ({ params, body }) => {
  const linkId = linkIdOf(params);
  if (linkId === undefined) return notFound();
  const parsed = decideReviewRoute.request.body.schema.safeParse(body);
  if (!parsed.success) {
    return html(
      400,
      renderInvalidFormPage(
        parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || 'form'}: ${issue.message}`),
      ),
    );
  }
  const form = parsed.data;
  const ports = { store: store(), clock: clock(), workflow: workflow(), linkSecret: linkSecret() };
  const at = ports.clock.now();
  const result = await decide(ports, linkId, form, at);
  if (result.kind === 'DECIDED' || result.kind === 'ALREADY_USED') {
    setApplicationCorrelation(result.decision.applicationId);
  }
  switch (result.kind) {
    case 'DECIDED':
      return html(200, renderDecisionRecordedPage(result.decision));
    case 'ALREADY_USED':
      return html(409, renderAlreadyUsedPage(result.decision));
    case 'GONE':
      return html(410, renderGonePage(result.reason));
    case 'BAD_NONCE':
      return html(403, renderStaleFormPage());
    case 'NOT_FOUND':
      return notFound();
    case 'COMMENT_REQUIRED': {
      const page = await reviewPage(ports, linkId, at);
      if (page === undefined) return notFound();
      return pageFor(page, {
        echo: {
          decision: result.decision,
          ...(form.comment === undefined ? {} : { comment: form.comment }),
        },
        error: COMMENT_REQUIRED_ERROR,
      });
    }
  }
});
