import { classify } from '../../../domain/classification.ts';
import { localDateIn } from '../../../domain/dates.ts';
import { checkEligibility } from '../../../domain/eligibility.ts';
import { isFinalStatus } from '../../../domain/vocabulary.ts';
import { assertCanActFor, type Principal } from '../../auth/claims.ts';
import { ApplicationOpenError } from '../enterprises/errors.ts';
import { claimOpenApplication, releaseOpenApplication } from '../enterprises/open-claim.ts';
import { requireEnterprise } from '../enterprises/records.ts';
import { logger } from '../../observability/logger.ts';
import type { Store } from '../../ports/store/store.ts';
import { startRepairExecution } from '../../adapters/sfn/workflow-client.ts';
import { NotEligibleError } from './errors.ts';
import { newSortableId } from './ids.ts';
import { createApplication, loadApplication, type ApplicationRecord } from './repository.ts';

export const actorOf = (principal: Principal): string => `${principal.role}:${principal.subject}`;

export interface SubmitApplicationInput {
  readonly enterpriseId: string;
  readonly statement: string;
}

/**
 * The enterprise's open-application claim, unless it points at an application that has already
 * ended (a crash between its final write and the release): then the claim is released. A claim
 * whose application does not exist is kept, because its creation may still be under way.
 */
async function liveOpenApplication(
  store: Store,
  enterpriseId: string,
  openApplicationId: string | undefined,
): Promise<string | undefined> {
  if (openApplicationId === undefined) return undefined;
  const open = await loadApplication(store, openApplicationId);
  if (open && isFinalStatus(open.state.status)) {
    await releaseOpenApplication(store, enterpriseId, openApplicationId);
    return undefined;
  }
  return openApplicationId;
}

/**
 * POST /applications: checks eligibility (RULES.md §3) as of `now`, claims the enterprise's one
 * open application, records the application and starts its workflow (execution name = its id).
 * Throws NotEligibleError, ApplicationOpenError, EnterpriseNotFoundError, or FORBIDDEN.
 */
export async function submitApplication(
  store: Store,
  input: SubmitApplicationInput,
  principal: Principal,
  now: Date,
): Promise<ApplicationRecord> {
  assertCanActFor(principal, input.enterpriseId);
  const day = localDateIn(now);
  const enterprise = await requireEnterprise(store, input.enterpriseId);
  const openApplicationId = await liveOpenApplication(
    store,
    input.enterpriseId,
    enterprise.profile.openApplicationId,
  );
  const eligibility = checkEligibility(
    {
      classification: classify(enterprise.input, day),
      ...(openApplicationId === undefined ? {} : { openApplicationId }),
    },
    day,
  );
  if (!eligibility.eligible) {
    if (openApplicationId !== undefined && eligibility.reasons.every((r) => r.code === 'APPLICATION_OPEN')) {
      throw new ApplicationOpenError(input.enterpriseId, openApplicationId);
    }
    throw new NotEligibleError(eligibility.reasons, eligibility.earliestApplicationOn);
  }
  const fromTier = eligibility.fromTier;
  if (fromTier !== 'DISHONEST' && fromTier !== 'SERIOUSLY_DISHONEST') {
    throw new NotEligibleError(
      [{ code: 'NOT_DOWNGRADED', tier: fromTier }],
      eligibility.earliestApplicationOn,
    );
  }

  const applicationId = newSortableId(now);
  await claimOpenApplication(store, input.enterpriseId, applicationId);
  let record: ApplicationRecord;
  try {
    record = await createApplication(store, {
      event: {
        type: 'SUBMITTED',
        at: now.toISOString(),
        applicationId,
        enterpriseId: input.enterpriseId,
        fromTier,
        parties: [...eligibility.parties],
        requiredDocuments: [...eligibility.requiredDocuments],
        policyId: eligibility.policyId,
        coveredCauseIds: [...eligibility.coveredCauseIds],
      },
      statement: input.statement,
      submittedBy: principal.subject,
      actor: actorOf(principal),
    });
  } catch (error) {
    await releaseOpenApplication(store, input.enterpriseId, applicationId);
    throw error;
  }
  try {
    await startRepairExecution(applicationId);
  } catch (error) {
    // The application is recorded and open: the sweep starts the workflow of an open
    // application that has none running (RULES.md §5.6), so the applicant's request stands.
    logger.error('could not start the workflow; the sweep will', { applicationId, error });
  }
  return record;
}
