import { route, problem } from '../../http/route.ts';
import { ReviewerChangePathParams } from '../schemas/common.ts';
import { NOT_FOUND } from './shared.ts';

/** `POST /reviewers/{party}/changes/{changeId}/cancel`. */
export const cancelReviewerChangeRoute = route('cancelReviewerChange', {
  method: 'POST',
  path: '/reviewers/{party}/changes/{changeId}/cancel',
  module: 'functions/api/reviewers/cancel-reviewer-change.ts',
  auth: 'jwt',
  roles: ['officer'],
  tag: 'reviewers',
  summary: 'Cancel a pending reviewer change (its proposer withdraws it, or another officer refuses it)',
  request: { params: ReviewerChangePathParams },
  responses: {
    200: {
      description: 'the cancelled change; the party is free for a new proposal',
      schema: 'ReviewerChange',
    },
  },
  problems: [NOT_FOUND('change'), problem('CHANGE_DECIDED')],
});
