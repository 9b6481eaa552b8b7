import { route, problem } from '../../http/route.ts';
import { EnterprisePathParams } from '../schemas/common.ts';
import { EnterpriseEventsQuery } from '../schemas/enterprise-requests.ts';
import { NOT_FOUND } from './shared.ts';

/** `GET /enterprises/{id}/events`. */
export const listEnterpriseEventsRoute = route('listEnterpriseEvents', {
  method: 'GET',
  path: '/enterprises/{id}/events',
  module: 'functions/api/enterprises/list-enterprise-events.ts',
  auth: 'jwt',
  roles: ['officer', 'applicant'],
  tag: 'enterprises',
  summary: "The enterprise's timeline (tier changes, determinations, notices, listing changes), newest first",
  request: { params: EnterprisePathParams, query: EnterpriseEventsQuery },
  responses: {
    200: {
      description: 'a page of events',
      schema: 'EnterpriseEventList',
    },
  },
  problems: [NOT_FOUND('enterprise'), problem('INVALID_NEXT_TOKEN')],
});
