import { setTimeout as sleep } from 'node:timers/promises';
import { classify } from '../../../domain/classification.ts';
import { localDateIn } from '../../../domain/dates.ts';
import { checkEligibility } from '../../../domain/eligibility.ts';
import { isFinalStatus } from '../../../domain/vocabulary.ts';
import { actorOf, assertCanActFor, type Principal } from '../../auth/principal.ts';
import { logger } from '../../observability/logger.ts';
import { IdempotencyInProgressError, type Invocation } from '../../ports/idempotency.ts';
import type { Needs } from '../../ports/ports.ts';
import type { Store } from '../../ports/store/store.ts';
import { ApplicationOpenError } from '../enterprises/errors.ts';
import { claimOpenApplication, releaseOpenApplication } from '../enterprises/open-claim.ts';
import { requireEnterprise } from '../enterprises/records.ts';
import { NotEligibleError } from './errors.ts';
import { newSortableId } from './ids.ts';
import { createApplication, loadApplication, type ApplicationRecord } from './records.ts';
import { requireApplicationView, type ApplicationView } from './view.ts';

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
  ports: Needs<'store' | 'clock' | 'workflow'>,
  input: SubmitApplicationInput,
  principal: Principal,
  now: Date,
): Promise<ApplicationRecord> {
  const { store } = ports;
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
    record = await createApplication(ports, {
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
    await ports.workflow.start(applicationId);
  } catch (error) {
    // The application is recorded and open: the sweep starts the workflow of an open
    // application that has none running (RULES.md §5.6), so the applicant's request stands.
    logger.error('could not start the workflow; the sweep will', { applicationId, error });
  }
  return record;
}

/**
 * The answer to a submission as the idempotency records keep it, to be given again to a repeat of
 * the request. Its shape is stored: records written by earlier versions must still read.
 */
export interface SubmissionAnswer {
  readonly status: 201;
  readonly location: string;
  readonly application: ApplicationView;
}

/** How long a duplicate waits for the first request of its key before it gives up (in progress). */
const IN_PROGRESS_WAITS_MS = [50, 100, 200, 400, 800, 1200] as const;

/**
 * POST /applications with an Idempotency-Key: the first request with a key submits, a repeat with
 * the same body gets the first answer, and a repeat that comes while the first still runs waits for
 * its answer a little (IdempotencyInProgressError after that). A key reused with another body is
 * IdempotencyKeyReusedError.
 */
export async function submitApplicationOnce(
  ports: Needs<'store' | 'clock' | 'workflow' | 'idempotency'>,
  request: { readonly key: string; readonly body: SubmitApplicationInput },
  principal: Principal,
  invocation?: Invocation,
): Promise<SubmissionAnswer> {
  assertCanActFor(principal, request.body.enterpriseId);
  const submit = async (): Promise<SubmissionAnswer> => {
    const record = await submitApplication(ports, request.body, principal, ports.clock.now());
    return {
      status: 201,
      location: `/applications/${record.state.id}`,
      application: await requireApplicationView(ports.store, record.state.id),
    };
  };
  const once = { subject: principal.subject, key: request.key, body: request.body };
  for (const wait of [...IN_PROGRESS_WAITS_MS, undefined]) {
    try {
      return await ports.idempotency.once(once, submit, invocation);
    } catch (error) {
      // A concurrent request with the same key is still running: wait for its answer and replay it.
      if (!(error instanceof IdempotencyInProgressError) || wait === undefined) throw error;
      await sleep(wait);
    }
  }
  throw new IdempotencyInProgressError();
}
