import { route, problem } from '../../http/route.ts';
import { FindEnterprisesQuery } from '../schemas/enterprise-requests.ts';

/** `GET /enterprises`. */
export const findEnterprisesRoute = route('findEnterprises', {
  method: 'GET',
  path: '/enterprises',
  module: 'functions/api/enterprises/find-enterprises.ts',
  auth: 'jwt',
  roles: ['officer'],
  tag: 'enterprises',
  summary: 'Find enterprises by tier and/or the start of the name, in name order, paginated',
  description:
    'Served by the tier entries of an index (no Scan). An entry whose tier moved by time alone since its last ' +
    'write shows today’s tier, and a tier search leaves it out once it no longer has that tier.',
  request: { query: FindEnterprisesQuery },
  responses: {
    200: {
      description: 'a page of enterprises',
      schema: 'EnterpriseList',
    },
  },
  problems: [problem('INVALID_NEXT_TOKEN')],
});
