import { route, problem } from '../../http/route.ts';
import { ListApplicationsQuery } from '../schemas/application-requests.ts';

/** `GET /applications`. */
export const listApplicationsRoute = route('listApplications', {
  method: 'GET',
  path: '/applications',
  module: 'functions/api/applications/list-applications.ts',
  auth: 'jwt',
  roles: ['officer', 'applicant'],
  tag: 'applications',
  summary: 'Applications, newest first, paginated with nextToken',
  description: 'Applicants must give an enterpriseId their token names.',
  request: { query: ListApplicationsQuery },
  responses: {
    200: {
      description: 'a page of applications',
      schema: 'ApplicationList',
    },
  },
  problems: [problem('INVALID_NEXT_TOKEN')],
});
