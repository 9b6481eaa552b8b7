import { route, problem } from '../../http/route.ts';
import { ApplicationPathParams } from '../schemas/common.ts';
import { NOT_FOUND } from './shared.ts';

/** `POST /applications/{id}/withdraw`. */
export const withdrawApplicationRoute = route('withdrawApplication', {
  method: 'POST',
  path: '/applications/{id}/withdraw',
  module: 'functions/api/applications/withdraw-application.ts',
  auth: 'jwt',
  roles: ['applicant'],
  tag: 'applications',
  summary: 'Withdraw an open application; its review links stop working',
  request: { params: ApplicationPathParams },
  responses: {
    200: { description: 'the withdrawn application', schema: 'Application' },
  },
  problems: [NOT_FOUND('application'), problem('APPLICATION_FINAL'), problem('ROUND_DECIDED')],
});
