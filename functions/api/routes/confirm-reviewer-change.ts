import { route, problem } from '../../http/route.ts';
import { ReviewerChangePathParams } from '../schemas/common.ts';
import { NOT_FOUND } from './shared.ts';

/** `POST /reviewers/{party}/changes/{changeId}/confirm`. */
export const confirmReviewerChangeRoute = route('confirmReviewerChange', {
  method: 'POST',
  path: '/reviewers/{party}/changes/{changeId}/confirm',
  module: 'functions/api/reviewers/confirm-reviewer-change.ts',
  auth: 'jwt',
  roles: ['officer'],
  tag: 'reviewers',
  summary: 'Confirm a proposed reviewer change (another officer than its proposer)',
  description:
    'The change takes effect for review rounds that open from now on (links already sent stay with their ' +
    'recipients); the previous reviewer and the escalation contacts are emailed.',
  request: { params: ReviewerChangePathParams },
  responses: {
    200: {
      description: 'the reviewer now effective and the confirmed change',
      schema: 'ConfirmedReviewerChange',
    },
  },
  problems: [problem('SAME_OFFICER'), NOT_FOUND('change'), problem('CHANGE_DECIDED')],
});
