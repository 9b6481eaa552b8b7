import { object, schema } from '../../domain/zod.ts';
import { clock } from '../composition/clock.ts';
import { reviewBaseUrl } from '../composition/environment.ts';
import { linkSecret } from '../composition/link-secret.ts';
import { mailer } from '../composition/mailer.ts';
import { store } from '../composition/store.ts';
import { workflowOnDemand } from '../composition/workflow-on-demand.ts';
import { setApplicationCorrelation } from '../observability/logger.ts';
import { openReviewStep } from '../usecases/steps/open-review.ts';
import { ApplicationId, ExecutionName, PartyName, Round, TaskToken } from './payloads.ts';
import { retryableOnTransient } from './transient-errors.ts';

const Payload = /* @__PURE__ */ schema(() =>
  object({
    applicationId: ApplicationId,
    round: Round,
    party: PartyName,
    taskToken: TaskToken,
    executionName: ExecutionName,
  }),
);

/**
 * OpenReview (callback, one per party): opens the round, sends the party's reviewer a bilingual
 * email with a one-use link (once per round), and waits for the decision; a review already
 * decided or superseded resumes at once.
 */
export const handler = retryableOnTransient(async (event: unknown): Promise<{ waiting: boolean }> => {
  const input = Payload.parse(event);
  setApplicationCorrelation(input.applicationId);
  const ports = {
    store: store(),
    clock: clock(),
    mailer: mailer(),
    workflow: workflowOnDemand(),
    linkSecret: linkSecret(),
    reviewBaseUrl: reviewBaseUrl(),
  };
  return openReviewStep(ports, input);
});
