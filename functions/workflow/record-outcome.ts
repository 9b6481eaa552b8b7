import { enum as enumOf, object, schema } from '../../domain/zod.ts';
import { APPLICATION_STATUSES, OUTCOME_REASONS, type ApplicationStatus } from '../../domain/vocabulary.ts';
import { clock } from '../composition/clock.ts';
import { store } from '../composition/store.ts';
import { setApplicationCorrelation } from '../observability/logger.ts';
import { recordOutcomeStep } from '../usecases/steps/record-outcome.ts';
import { ApplicationId } from './payloads.ts';
import { retryableOnTransient } from './transient-errors.ts';

const Payload = /* @__PURE__ */ schema(() =>
  object({
    applicationId: ApplicationId,
    status: enumOf(APPLICATION_STATUSES),
    reason: enumOf(OUTCOME_REASONS),
  }),
);

/** RecordOutcome: closes the application with the machine's outcome and releases the enterprise's claim. */
export const handler = retryableOnTransient(
  async (event: unknown): Promise<{ status: ApplicationStatus }> => {
    const input = Payload.parse(event);
    setApplicationCorrelation(input.applicationId);
    return recordOutcomeStep({ store: store(), clock: clock() }, input);
  },
);
