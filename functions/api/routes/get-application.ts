import { route } from '../../http/route.ts';
import { ApplicationPathParams } from '../schemas/common.ts';
import { NOT_FOUND } from './shared.ts';

/** `GET /applications/{id}`. */
export const getApplicationRoute = route('getApplication', {
  method: 'GET',
  path: '/applications/{id}',
  module: 'functions/api/applications/get-application.ts',
  auth: 'jwt',
  roles: ['officer', 'applicant'],
  tag: 'applications',
  summary: 'An application with its evidence, current reviews and timeline',
  request: { params: ApplicationPathParams },
  responses: {
    200: { description: 'the application', schema: 'Application' },
  },
  problems: [NOT_FOUND('application')],
});
