import { route, problem } from '../../http/route.ts';
import { SubmitEvidenceBody } from '../schemas/application-requests.ts';
import { ApplicationPathParams } from '../schemas/common.ts';
import { NOT_FOUND, EVIDENCE_STATE_PROBLEMS } from './shared.ts';

/** `POST /applications/{id}/evidence/submit`. */
export const submitEvidenceRoute = route('submitEvidence', {
  method: 'POST',
  path: '/applications/{id}/evidence/submit',
  module: 'functions/api/evidence/submit-evidence.ts',
  auth: 'jwt',
  roles: ['applicant'],
  tag: 'evidence',
  summary: 'Submit the uploaded evidence for review',
  description:
    'From round 2 the body carries `response`, what changed since the change requests. Checks, first failure ' +
    'answers: RESPONSE_REQUIRED, then MISSING_DOCUMENTS (a required document with no file), then ' +
    'EVIDENCE_INVALID (one entry per document whose file is not the declared size or type, or is over the ' +
    'limit). Each document is frozen as verified: reviewers open exactly these bytes, whatever is uploaded later.',
  request: {
    params: ApplicationPathParams,
    body: { name: 'SubmitEvidenceRequest', schema: SubmitEvidenceBody, optional: true },
  },
  responses: {
    202: {
      description: 'accepted: the application is under review',
      schema: 'Application',
    },
  },
  problems: [
    NOT_FOUND('application'),
    ...EVIDENCE_STATE_PROBLEMS,
    problem('RESPONSE_REQUIRED'),
    problem('MISSING_DOCUMENTS'),
    problem('EVIDENCE_INVALID'),
  ],
});
