import { requiredEnv } from '../composition/environment.ts';
import type { WorkflowContext } from '../usecases/steps/context.ts';
import { now } from '../composition/clock.ts';
import { sharedMailer } from '../composition/mailer.ts';
import { store as storePort } from '../composition/store.ts';
import { enum as enumOf, int, minLength, object, string } from 'zod/mini';
import { PARTIES } from '../../domain/vocabulary.ts';

/**
 * What every task handler shares: the payload pieces the state machine sends (parsed with
 * zod/mini, the smallest bundle) and the ports. The mailer and the review base URL are getters,
 * read from the environment when a step first uses them, so each task function needs only the
 * variables (and permissions) its own step uses: only the tasks that mail need SENDER_EMAIL, only
 * OpenReview REVIEW_BASE_URL (infra/function-access.ts grants accordingly).
 */

export const REVIEW_BASE_URL_ENV = 'REVIEW_BASE_URL';

export const ApplicationId = string().check(minLength(1));
export const Round = int();
export const TaskToken = string().check(minLength(1));
export const PartyName = enumOf(PARTIES);

export const ApplicationPayload = object({ applicationId: ApplicationId });

export function workflowContext(): WorkflowContext {
  return {
    // Every step reads and records its memoized step: the table is the one port all tasks use.
    store: storePort(),
    get mailer() {
      return sharedMailer();
    },
    now,
    get reviewBaseUrl() {
      return requiredEnv(REVIEW_BASE_URL_ENV);
    },
  };
}
