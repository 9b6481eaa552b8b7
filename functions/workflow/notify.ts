import { clock } from '../composition/clock.ts';
import { mailer } from '../composition/mailer.ts';
import { store } from '../composition/store.ts';
import { setApplicationCorrelation } from '../observability/logger.ts';
import { notifyStep } from '../usecases/steps/notify.ts';
import { ApplicationPayload } from './payloads.ts';
import { retryableOnTransient } from './transient-errors.ts';

/** Notify: emails the outcome to the applicant and to the review parties, once each. */
export const handler = retryableOnTransient(async (event: unknown): Promise<{ sent: number }> => {
  const { applicationId } = ApplicationPayload.parse(event);
  setApplicationCorrelation(applicationId);
  return notifyStep({ store: store(), clock: clock(), mailer: mailer() }, applicationId);
});
