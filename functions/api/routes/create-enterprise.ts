import { route, problem } from '../../http/route.ts';
import { CreateEnterpriseBody } from '../schemas/enterprise-requests.ts';

/** `POST /enterprises`. */
export const createEnterpriseRoute = route('createEnterprise', {
  method: 'POST',
  path: '/enterprises',
  module: 'functions/api/enterprises/create-enterprise.ts',
  auth: 'jwt',
  roles: ['officer'],
  tag: 'enterprises',
  summary: 'Register an enterprise',
  request: { body: { name: 'CreateEnterpriseRequest', schema: CreateEnterpriseBody } },
  responses: { 201: { description: 'the enterprise', schema: 'Enterprise' } },
  problems: [
    problem('ENTERPRISE_EXISTS'),
    problem('TIER_NOT_REGISTRABLE'),
    problem('DATE_IN_FUTURE', 'certifiedOn is after today'),
  ],
});
