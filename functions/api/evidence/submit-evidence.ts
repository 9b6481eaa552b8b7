import { clock } from '../../composition/clock.ts';
import { evidenceStore } from '../../composition/evidence.ts';
import { store } from '../../composition/store.ts';
import { workflow } from '../../composition/workflow.ts';
import { routeHandler } from '../../http/handler.ts';
import { json } from '../../http/response.ts';
import { setApplicationCorrelation } from '../../observability/logger.ts';
import { submitEvidenceAndRead } from '../../usecases/applications/evidence.ts';
import { requireApplicationView } from '../../usecases/applications/view.ts';
import { submitEvidenceRoute } from '../routes/submit-evidence.ts';

/** POST /applications/{id}/evidence/submit: verifies the uploaded set and resolves the evidence wait. */
export const submitEvidence = routeHandler(submitEvidenceRoute, async ({ params, body, principal }) => {
  setApplicationCorrelation(params.id);
  const ports = { store: store(), clock: clock(), evidence: evidenceStore(), workflow: workflow() };
  const view = await submitEvidenceAndRead(ports, params.id, principal, ports.clock.now(), body ?? {}, () =>
    requireApplicationView(ports.store, params.id),
  );
  return json(202, view);
});
