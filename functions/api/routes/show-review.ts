import { route, problem } from '../../http/route.ts';
import { ReviewLinkPathParams } from '../schemas/common.ts';
import { REVIEW_LINK_PAGES } from './shared.ts';

/** `GET /review/{linkId}`. */
export const showReviewRoute = route('showReview', {
  method: 'GET',
  path: '/review/{linkId}',
  module: 'functions/api/review/show-review.ts',
  auth: 'public',
  tag: 'review',
  summary: 'Review confirmation page (changes nothing)',
  pages: true,
  request: { params: ReviewLinkPathParams },
  responses: {
    200: { description: 'the confirmation page with a one-time form', mediaType: 'text/html' },
    ...REVIEW_LINK_PAGES,
  },
  problems: [problem('METHOD_NOT_ALLOWED', 'HEAD: a link answers GET (the page) and POST (the form) only')],
});
