import { object } from 'zod/mini';
import { awaitEvidenceStep } from '../usecases/steps/await-evidence.ts';
import { setApplicationCorrelation } from '../observability/logger.ts';
import { ApplicationId, Round, TaskToken, workflowContext } from './context.ts';
import { retryableOnTransient } from './transient-errors.ts';

const Payload = object({ applicationId: ApplicationId, round: Round, taskToken: TaskToken });

/**
 * AwaitEvidence (callback): stores the task token; the evidence submission resumes it, or this
 * handler does at once when the round's evidence is already in (a restarted execution).
 */
export const handler = retryableOnTransient(async (event: unknown): Promise<{ waiting: boolean }> => {
  const input = Payload.parse(event);
  setApplicationCorrelation(input.applicationId);
  return awaitEvidenceStep(workflowContext(), input);
});
