import { route, problem } from '../../http/route.ts';
import { CreateApplicationBody, IdempotencyHeaders } from '../schemas/application-requests.ts';
import { NOT_FOUND } from './shared.ts';

/** `POST /applications`. */
export const createApplicationRoute = route('createApplication', {
  method: 'POST',
  path: '/applications',
  module: 'functions/api/applications/create-application.ts',
  auth: 'jwt',
  roles: ['officer', 'applicant'],
  tag: 'applications',
  summary: 'Apply for credit repair',
  description:
    'Requires an Idempotency-Key header: the same key with the same body answers the first response again; ' +
    'with another body 409 IDEMPOTENCY_KEY_REUSED.',
  request: {
    headers: IdempotencyHeaders,
    body: { name: 'CreateApplicationRequest', schema: CreateApplicationBody },
  },
  responses: {
    201: { description: 'the application', schema: 'Application' },
  },
  problems: [
    NOT_FOUND('enterprise'),
    problem('APPLICATION_OPEN'),
    problem('IDEMPOTENCY_KEY_REUSED'),
    problem('IDEMPOTENCY_KEY_IN_PROGRESS'),
    problem('NOT_ELIGIBLE'),
    problem('TOO_MANY_APPLICATIONS'),
  ],
});
