import { requestEvidenceUpload, submitEvidence as submit } from '../usecases/applications/evidence.ts';
import { requireApplicationView } from '../usecases/applications/view.ts';
import { now } from '../composition/clock.ts';
import { httpHandler } from '../http/handler.ts';
import { json } from '../http/response.ts';
import { setApplicationCorrelation } from '../observability/logger.ts';
import { store as storePort } from '../composition/store.ts';
import { ApplicationPathParams, RequestUploadBody, SubmitEvidenceBody } from './schemas.ts';

/**
 * The evidence routes: announce a document and get a presigned POST for it, then submit the
 * uploaded set for review. Files never pass through the API.
 */

export const requestUpload = httpHandler({
  auth: 'required',
  roles: ['applicant'],
  params: ApplicationPathParams,
  body: RequestUploadBody,
  handle: async ({ params, body, principal }) => {
    setApplicationCorrelation(params.id);
    const ticket = await requestEvidenceUpload(storePort(), params.id, body, principal, now());
    return json(201, ticket);
  },
});

export const submitEvidence = httpHandler({
  auth: 'required',
  roles: ['applicant'],
  params: ApplicationPathParams,
  body: SubmitEvidenceBody,
  bodyOptional: true,
  handle: async ({ params, body, principal }) => {
    setApplicationCorrelation(params.id);
    const store = storePort();
    await submit(store, params.id, principal, now(), body ?? {});
    return json(202, await requireApplicationView(store, params.id));
  },
});
