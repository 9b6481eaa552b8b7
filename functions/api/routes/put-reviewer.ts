import { route, problem } from '../../http/route.ts';
import { ReviewerPathParams } from '../schemas/common.ts';
import { PutReviewerBody } from '../schemas/reviewer-requests.ts';

/** `PUT /reviewers/{party}`. */
export const putReviewerRoute = route('putReviewer', {
  method: 'PUT',
  path: '/reviewers/{party}',
  module: 'functions/api/reviewers/put-reviewer.ts',
  auth: 'jwt',
  roles: ['officer'],
  tag: 'reviewers',
  summary: "Set a party's first reviewer, or propose replacing it (four eyes)",
  description:
    'A party without a reviewer gets this one at once (200). Replacing a reviewer is only proposed (202): ' +
    'it takes effect when a different officer confirms it. The same reviewer again answers 200 and changes nothing.',
  request: { params: ReviewerPathParams, body: { name: 'PutReviewerRequest', schema: PutReviewerBody } },
  responses: {
    200: { description: 'the reviewer, effective', schema: 'Reviewer' },
    202: {
      description: 'the replacement, pending a second officer; the directory is unchanged',
      schema: 'ProposedReviewerChange',
    },
  },
  problems: [problem('CHANGE_PENDING')],
});
