import { clock } from '../composition/clock.ts';
import { evidenceStore } from '../composition/evidence.ts';
import { store } from '../composition/store.ts';
import { workflow } from '../composition/workflow.ts';
import { routeHandler } from '../http/handler.ts';
import { ROUTE } from './routes.ts';
import { json } from '../http/response.ts';
import { setApplicationCorrelation } from '../observability/logger.ts';
import { requestEvidenceUpload, submitEvidence as submit } from '../usecases/applications/evidence.ts';
import { requireApplicationView } from '../usecases/applications/view.ts';

/**
 * The evidence routes: announce a document and get a presigned POST for it, then submit the
 * uploaded set for review. Files never pass through the API.
 */

export const requestUpload = routeHandler(ROUTE.requestUpload, async ({ params, body, principal }) => {
  setApplicationCorrelation(params.id);
  const ports = { store: store(), evidence: evidenceStore() };
  return json(201, await requestEvidenceUpload(ports, params.id, body, principal, clock().now()));
});

export const submitEvidence = routeHandler(ROUTE.submitEvidence, async ({ params, body, principal }) => {
  setApplicationCorrelation(params.id);
  const ports = { store: store(), clock: clock(), evidence: evidenceStore(), workflow: workflow() };
  await submit(ports, params.id, principal, ports.clock.now(), body ?? {});
  return json(202, await requireApplicationView(ports.store, params.id));
});
