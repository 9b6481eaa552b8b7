import { route } from '../../http/route.ts';
import { EnterprisePathParams } from '../schemas/common.ts';
import { NOT_FOUND } from './shared.ts';

/** `GET /enterprises/{id}/eligibility`. */
export const getEligibilityRoute = route('getEligibility', {
  method: 'GET',
  path: '/enterprises/{id}/eligibility',
  module: 'functions/api/enterprises/get-eligibility.ts',
  auth: 'jwt',
  roles: ['officer', 'applicant'],
  tag: 'enterprises',
  summary: 'Whether the enterprise may apply today: every refusal reason and the earliest date',
  description: 'The check POST /applications makes, without applying. Changes nothing.',
  request: { params: EnterprisePathParams },
  responses: {
    200: {
      description: 'the eligibility as of today',
      schema: 'Eligibility',
    },
  },
  problems: [NOT_FOUND('enterprise')],
});
