import { route } from '../../http/route.ts';

/** `GET /reviewers`. */
export const listReviewersRoute = route('listReviewers', {
  method: 'GET',
  path: '/reviewers',
  module: 'functions/api/reviewers/list-reviewers.ts',
  auth: 'jwt',
  roles: ['officer'],
  tag: 'reviewers',
  summary: 'The reviewer directory',
  responses: {
    200: {
      description: 'every party with a reviewer',
      schema: 'ReviewerDirectory',
    },
  },
});
