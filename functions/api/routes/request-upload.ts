import { route, problem } from '../../http/route.ts';
import { UPLOAD_EXPIRES_SECONDS, UPLOAD_TICKETS_PER_DOCUMENT_PER_ROUND } from '../../ports/evidence-store.ts';
import { RequestUploadBody } from '../schemas/application-requests.ts';
import { ApplicationPathParams } from '../schemas/common.ts';
import { NOT_FOUND, EVIDENCE_STATE_PROBLEMS } from './shared.ts';

/** `POST /applications/{id}/evidence`. */
export const requestUploadRoute = route('requestUpload', {
  method: 'POST',
  path: '/applications/{id}/evidence',
  module: 'functions/api/evidence/request-upload.ts',
  auth: 'jwt',
  roles: ['applicant'],
  tag: 'evidence',
  summary: 'Announce a document and get a presigned POST to upload it',
  request: {
    params: ApplicationPathParams,
    body: { name: 'RequestUploadRequest', schema: RequestUploadBody },
  },
  responses: {
    201: {
      description: 'where to POST the file (multipart form)',
      schema: 'UploadTicket',
    },
  },
  problems: [
    NOT_FOUND('application'),
    ...EVIDENCE_STATE_PROBLEMS,
    problem('DOCUMENT_NOT_REQUIRED'),
    problem('CONTENT_TYPE_NOT_ALLOWED'),
    problem('EMPTY_FILE'),
    problem('FILE_TOO_LARGE'),
    problem('TOO_MANY_UPLOADS'),
  ],
  description:
    'A refused upload answers 422 with the code of the first rule it breaks (document type, content type, ' +
    'size); `errors` and `issues` name every field at fault. ' +
    `The presigned POST is valid ${UPLOAD_EXPIRES_SECONDS / 60} minutes; its policy pins the key, the ` +
    'Content-Type and the size range (1 byte to the limit). Each document has at most ' +
    `${UPLOAD_TICKETS_PER_DOCUMENT_PER_ROUND} tickets per round (429 TOO_MANY_UPLOADS).`,
});
