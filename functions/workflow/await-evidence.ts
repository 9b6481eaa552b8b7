import { object, schema } from '../../domain/zod.ts';
import { clock } from '../composition/clock.ts';
import { mailer } from '../composition/mailer.ts';
import { store } from '../composition/store.ts';
import { workflowOnDemand } from '../composition/workflow-on-demand.ts';
import { setApplicationCorrelation } from '../observability/logger.ts';
import { awaitEvidenceStep } from '../usecases/steps/await-evidence.ts';
import { ApplicationId, ExecutionName, Round, TaskToken } from './payloads.ts';
import { retryableOnTransient } from './transient-errors.ts';

const Payload = /* @__PURE__ */ schema(() =>
  object({
    applicationId: ApplicationId,
    round: Round,
    taskToken: TaskToken,
    executionName: ExecutionName,
  }),
);

/**
 * AwaitEvidence (callback): stores the task token; the evidence submission resumes it, or this
 * handler does at once when the round's evidence is already in (a restarted execution).
 */
export const handler = retryableOnTransient(async (event: unknown): Promise<{ waiting: boolean }> => {
  const input = Payload.parse(event);
  setApplicationCorrelation(input.applicationId);
  return awaitEvidenceStep(
    { store: store(), clock: clock(), mailer: mailer(), workflow: workflowOnDemand() },
    input,
  );
});
