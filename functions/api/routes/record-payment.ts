import { route, problem } from '../../http/route.ts';
import { FactPathParams } from '../schemas/common.ts';
import { RecordPaymentBody } from '../schemas/facts.ts';
import { NOT_FOUND, CONCURRENT_UPDATE } from './shared.ts';

/** `POST /enterprises/{id}/facts/{factId}/payment`. */
export const recordPaymentRoute = route('recordPayment', {
  method: 'POST',
  path: '/enterprises/{id}/facts/{factId}/payment',
  module: 'functions/api/enterprises/record-payment.ts',
  auth: 'jwt',
  roles: ['officer'],
  tag: 'enterprises',
  summary: 'Record the payment of a fine or tax assessment',
  request: { params: FactPathParams, body: { name: 'RecordPaymentRequest', schema: RecordPaymentBody } },
  responses: {
    200: {
      description: 'the fact and the enterprise',
      schema: 'FactWithEnterprise',
    },
  },
  problems: [
    NOT_FOUND('enterprise or fact'),
    problem('ALREADY_PAID'),
    problem('FACT_VOIDED'),
    CONCURRENT_UPDATE,
    problem('NOT_PAYABLE'),
    problem('PAID_BEFORE_IMPOSED'),
    problem('DATE_IN_FUTURE', 'paidOn is after today'),
  ],
});
