import { enum as enumOf, object } from 'zod/mini';
import { APPLICATION_STATUSES, OUTCOME_REASONS, type ApplicationStatus } from '../../domain/vocabulary.ts';
import { recordOutcomeStep } from '../usecases/steps/record-outcome.ts';
import { setApplicationCorrelation } from '../observability/logger.ts';
import { ApplicationId, workflowContext } from './context.ts';
import { retryableOnTransient } from './transient-errors.ts';

const Payload = object({
  applicationId: ApplicationId,
  status: enumOf(APPLICATION_STATUSES),
  reason: enumOf(OUTCOME_REASONS),
});

/** RecordOutcome: closes the application with the machine's outcome and releases the enterprise's claim. */
export const handler = retryableOnTransient(
  async (event: unknown): Promise<{ status: ApplicationStatus }> => {
    const input = Payload.parse(event);
    setApplicationCorrelation(input.applicationId);
    return recordOutcomeStep(workflowContext(), input);
  },
);
