import { route, problem } from '../../http/route.ts';
import { FactPathParams } from '../schemas/common.ts';
import { VoidFactBody } from '../schemas/facts.ts';
import { NOT_FOUND, CONCURRENT_UPDATE } from './shared.ts';

/** `POST /enterprises/{id}/facts/{factId}/void`. */
export const voidFactRoute = route('voidFact', {
  method: 'POST',
  path: '/enterprises/{id}/facts/{factId}/void',
  module: 'functions/api/enterprises/void-fact.ts',
  auth: 'jwt',
  roles: ['officer'],
  tag: 'enterprises',
  summary: 'Void a fact (a correction): it stays on record with the reason, and the rules ignore it',
  request: { params: FactPathParams, body: { name: 'VoidFactRequest', schema: VoidFactBody } },
  responses: {
    200: {
      description: 'the voided fact and the enterprise',
      schema: 'FactWithEnterprise',
    },
  },
  problems: [NOT_FOUND('enterprise or fact'), problem('ALREADY_VOIDED'), CONCURRENT_UPDATE],
});
