import { object } from 'zod/mini';
import { openReviewStep } from '../usecases/steps/open-review.ts';
import { setApplicationCorrelation } from '../observability/logger.ts';
import { ApplicationId, PartyName, Round, TaskToken, workflowContext } from './context.ts';
import { retryableOnTransient } from './transient-errors.ts';

const Payload = object({
  applicationId: ApplicationId,
  round: Round,
  party: PartyName,
  taskToken: TaskToken,
});

/**
 * OpenReview (callback, one per party): opens the round, sends the party's reviewer a bilingual
 * email with a one-use link (once per round), and waits for the decision; a review already
 * decided or superseded resumes at once.
 */
export const handler = retryableOnTransient(async (event: unknown): Promise<{ waiting: boolean }> => {
  const input = Payload.parse(event);
  setApplicationCorrelation(input.applicationId);
  return openReviewStep(workflowContext(), input);
});
