import { InvalidUploadError } from '../lib/applications/errors.ts';
import { requestEvidenceUpload, submitEvidence as submit } from '../lib/applications/evidence.ts';
import { requireApplicationView } from '../lib/applications/view.ts';
import { now } from '../lib/clock.ts';
import { httpHandler } from '../lib/http/handler.ts';
import { ProblemError } from '../lib/http/problem.ts';
import { json } from '../lib/http/response.ts';
import { setApplicationCorrelation } from '../lib/logger.ts';
import { storeFromEnv } from '../lib/store/index.ts';
import { ApplicationPathParams, RequestUploadBody } from './schemas.ts';

/**
 * The evidence routes: announce a document and get a presigned POST for it, then submit the
 * uploaded set for review. Files never pass through the API.
 */

/**
 * A declared upload the document rules refuse: 422 whose code is the first rule broken (document
 * type, then content type, then size) and whose `errors` name every field at fault.
 */
function uploadRefused(error: InvalidUploadError): ProblemError {
  const first = error.issues[0];
  return new ProblemError({
    status: 422,
    code: first?.code ?? 'INVALID_UPLOAD',
    detail: error.message,
    errors: error.issues.map((issue) => ({ in: 'body', path: issue.field, message: issue.message })),
    extensions: { issues: error.issues.map((issue) => ({ field: issue.field, code: issue.code })) },
  });
}

function evidenceProblem(error: unknown): unknown {
  if (error instanceof InvalidUploadError) return uploadRefused(error);
  return error;
}

async function refusingAsProblems<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw evidenceProblem(error);
  }
}

export const requestUpload = httpHandler({
  auth: 'required',
  roles: ['applicant'],
  params: ApplicationPathParams,
  body: RequestUploadBody,
  handle: async ({ params, body, principal }) => {
    setApplicationCorrelation(params.id);
    const ticket = await refusingAsProblems(() =>
      requestEvidenceUpload(storeFromEnv(), params.id, body, principal, now()),
    );
    return json(201, ticket);
  },
});

export const submitEvidence = httpHandler({
  auth: 'required',
  roles: ['applicant'],
  params: ApplicationPathParams,
  handle: async ({ params, principal }) => {
    setApplicationCorrelation(params.id);
    const store = storeFromEnv();
    await refusingAsProblems(() => submit(store, params.id, principal, now()));
    return json(202, await requireApplicationView(store, params.id));
  },
});
