import { route } from '../../http/route.ts';
import { ReviewLinkPathParams } from '../schemas/common.ts';
import { ReviewDecisionForm } from '../schemas/review.ts';
import { REVIEW_LINK_PAGES } from './shared.ts';

/** `POST /review/{linkId}`. */
export const decideReviewRoute = route('decideReview', {
  method: 'POST',
  path: '/review/{linkId}',
  module: 'functions/api/review/decide-review.ts',
  auth: 'public',
  tag: 'review',
  summary: 'Record a review decision from the confirmation form',
  pages: true,
  maxBodyBytes: 32 * 1024,
  request: {
    params: ReviewLinkPathParams,
    body: {
      name: 'ReviewDecisionForm',
      schema: ReviewDecisionForm,
      mediaType: 'application/x-www-form-urlencoded',
    },
  },
  responses: {
    200: { description: 'the decision was recorded', mediaType: 'text/html' },
    400: {
      description:
        'the form is not valid (decision, nonce, comment length): a page naming the fields; ' +
        'an empty body answers a MALFORMED_FORM problem document',
      mediaType: 'text/html',
    },
    403: {
      description: "the form's nonce is not this link's: reopen the link from the email",
      mediaType: 'text/html',
    },
    ...REVIEW_LINK_PAGES,
    422: {
      description: 'REJECT or REQUEST_CHANGES without a comment: the form again, with the choice kept',
      mediaType: 'text/html',
    },
  },
});
