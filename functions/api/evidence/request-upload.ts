import { clock } from '../../composition/clock.ts';
import { evidenceUploads } from '../../composition/evidence-uploads.ts';
import { storeWriter } from '../../composition/store.ts';
import { routeHandler } from '../../http/handler.ts';
import { json } from '../../http/response.ts';
import { setApplicationCorrelation } from '../../observability/logger.ts';
import { requestEvidenceUpload } from '../../usecases/applications/evidence.ts';
import { requestUploadRoute } from '../routes/request-upload.ts';

/**
 * POST /applications/{id}/evidence: announces a document and answers a presigned POST for it; the
 * file goes straight to the bucket, never through the API.
 */
export const requestUpload = routeHandler(requestUploadRoute, async ({ params, body, principal }) => {
  setApplicationCorrelation(params.id);
  const ports = { store: storeWriter(), evidence: evidenceUploads() };
  return json(201, await requestEvidenceUpload(ports, params.id, body, principal, clock().now()));
});
