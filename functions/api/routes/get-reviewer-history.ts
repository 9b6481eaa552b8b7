import { route } from '../../http/route.ts';
import { ReviewerPathParams } from '../schemas/common.ts';

/** `GET /reviewers/{party}/history`. */
export const getReviewerHistoryRoute = route('getReviewerHistory', {
  method: 'GET',
  path: '/reviewers/{party}/history',
  module: 'functions/api/reviewers/get-reviewer-history.ts',
  auth: 'jwt',
  roles: ['officer'],
  tag: 'reviewers',
  summary: "Every change of a party's reviewer, and the audit timeline with the officer of each step",
  request: { params: ReviewerPathParams },
  responses: {
    200: {
      description: 'the history, oldest first',
      schema: 'ReviewerHistory',
    },
  },
});
