import { route, problem } from '../../http/route.ts';
import { EnterprisePathParams } from '../schemas/common.ts';
import { RecordFactBody } from '../schemas/facts.ts';
import { NOT_FOUND, CONCURRENT_UPDATE } from './shared.ts';

/** `POST /enterprises/{id}/facts`. */
export const recordFactRoute = route('recordFact', {
  method: 'POST',
  path: '/enterprises/{id}/facts',
  module: 'functions/api/enterprises/record-fact.ts',
  auth: 'jwt',
  roles: ['officer'],
  tag: 'enterprises',
  summary:
    'Record a fact (fine, tax assessment, bribery, obstruction, major infraction); the tier is recomputed',
  request: { params: EnterprisePathParams, body: { name: 'RecordFactRequest', schema: RecordFactBody } },
  responses: {
    201: {
      description: 'the fact and the enterprise',
      schema: 'FactWithEnterprise',
    },
  },
  problems: [
    NOT_FOUND('enterprise'),
    CONCURRENT_UPDATE,
    problem('DATE_IN_FUTURE', 'imposedOn or occurredOn is after today'),
    problem('BEFORE_FIRST_POLICY'),
  ],
  description:
    "A cause the fact determines ends the enterprise's open application at once (REJECTED, NEW_CAUSE_DETERMINED).",
});
