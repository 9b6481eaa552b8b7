import { route } from '../../http/route.ts';
import { EnterprisePathParams } from '../schemas/common.ts';
import { NOT_FOUND } from './shared.ts';

/** `GET /enterprises/{id}`. */
export const getEnterpriseRoute = route('getEnterprise', {
  method: 'GET',
  path: '/enterprises/{id}',
  module: 'functions/api/enterprises/get-enterprise.ts',
  auth: 'jwt',
  roles: ['officer', 'applicant'],
  tag: 'enterprises',
  summary: 'An enterprise with its causes, facts, listing and rectification status',
  request: { params: EnterprisePathParams },
  responses: { 200: { description: 'the enterprise', schema: 'Enterprise' } },
  problems: [NOT_FOUND('enterprise')],
});
