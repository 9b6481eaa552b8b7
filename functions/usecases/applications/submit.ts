import { setTimeout as sleep } from 'node:timers/promises';
import { classify } from '../../../domain/classification.ts';
import { localDateIn } from '../../../domain/dates.ts';
import { checkEligibility } from '../../../domain/eligibility.ts';
import { APPLICATION_LIMIT, checkApplicationLimit } from '../../../domain/application-limit.ts';
import type { ApplicationState } from '../../../domain/lifecycle.ts';
import { isFinalStatus } from '../../../domain/vocabulary.ts';
import { actorOf, assertCanActFor, type Principal } from '../../auth/principal.ts';
import { logger } from '../../observability/logger.ts';
import { IdempotencyInProgressError, IdempotencyRecordVanishedError } from '../../ports/idempotency.ts';
import { reached } from '../../observability/crash-points.ts';
import { ConflictError } from '../../ports/store/errors.ts';
import type { Needs } from '../../ports/ports.ts';
import { APPLICATIONS_OF_PARENT_PREFIX, enterprisePartition } from '../../ports/store/keys.ts';
import type { Store, StoredItem } from '../../ports/store/store.ts';
import { ApplicationOpenError } from '../enterprises/errors.ts';
import { claimMayBeOrphan, claimOpenApplication, releaseOpenApplication } from '../enterprises/open-claim.ts';
import { requireEnterprise } from '../enterprises/records.ts';
import { NotEligibleError, TooManyApplicationsError } from './errors.ts';
import { applicationIdFor, newSortableId } from './ids.ts';
import {
  loadApplication,
  writeNewApplication,
  type ApplicationRecord,
  type NewApplication,
} from './records.ts';
import { createdApplicationView, requireApplicationView, type ApplicationView } from './view.ts';

export interface SubmitApplicationInput {
  readonly enterpriseId: string;
  readonly statement: string;
}

/**
 * The enterprise's open-application claim as it stands for a new submission. A claim that points
 * at an application that has already ended (a crash between its final write and the release) is
 * released. So is one whose application never appeared, once its request cannot still be running
 * (ORPHAN_CLAIM_AFTER_MS): a crash between the claim and the application's creation. A claim of
 * `ownId` (this request's own earlier attempt) is no obstacle.
 */
async function liveOpenApplication(
  store: Store,
  enterprise: { readonly id: string; readonly openApplicationId?: string; readonly openClaimedAt?: string },
  ownId: string | undefined,
  now: Date,
): Promise<string | undefined> {
  const claimed = enterprise.openApplicationId;
  if (claimed === undefined || claimed === ownId) return undefined;
  const open = await loadApplication(store, claimed);
  const orphan = open === undefined && claimMayBeOrphan(enterprise.openClaimedAt, now);
  if ((open && isFinalStatus(open.state.status)) || orphan) {
    if (orphan) logger.warn('released a claim whose application never appeared', { applicationId: claimed });
    await releaseOpenApplication(store, enterprise.id, claimed);
    return undefined;
  }
  return claimed;
}

/** Creates the application, or finds it created by a concurrent attempt of the same request. */
async function createOrFind(
  ports: Needs<'store' | 'clock'>,
  applicationId: string,
  input: NewApplication,
): Promise<{ record: ApplicationRecord; appended: Promise<void>; created: boolean }> {
  try {
    return { ...(await writeNewApplication(ports, input)), created: true };
  } catch (error) {
    const existing =
      error instanceof ConflictError ? await loadApplication(ports.store, applicationId) : undefined;
    if (existing === undefined) throw error;
    return { record: existing, appended: Promise.resolve(), created: false };
  }
}

/**
 * The abuse limit (domain/application-limit.ts) over the applications the enterprise created in the
 * window: the byParent index, from the window's start (a handful of items at most).
 */
type LimitItems = (StoredItem & { state: ApplicationState })[];

const applicationsInLimitWindow = (store: Store, enterpriseId: string, now: Date): Promise<LimitItems> => {
  const since = new Date(now.getTime() - APPLICATION_LIMIT.windowDays * 86_400_000).toISOString();
  return store.queryAll<StoredItem & { state: ApplicationState }>({
    index: 'byParent',
    partition: enterprisePartition(enterpriseId),
    sortKey: {
      between: [`${APPLICATIONS_OF_PARENT_PREFIX}${since}`, `${APPLICATIONS_OF_PARENT_PREFIX}\uffff`],
    },
  });
};

function assertWithinApplicationLimit(items: LimitItems, now: Date): void {
  const check = checkApplicationLimit(
    items.map(({ state }) => ({
      submittedAt: state.submittedAt,
      ...(state.outcome === undefined ? {} : { outcomeReason: state.outcome.reason }),
    })),
    now,
  );
  if (!check.allowed) throw new TooManyApplicationsError(check.retryAfterSeconds);
}

/**
 * POST /applications: checks eligibility (RULES.md §3) as of `now`, claims the enterprise's one
 * open application, records the application and starts its workflow (execution name = its id).
 * Throws NotEligibleError, ApplicationOpenError, EnterpriseNotFoundError, or FORBIDDEN.
 */
export function submitApplication(
  ports: Needs<'store' | 'clock' | 'workflow'>,
  input: SubmitApplicationInput,
  principal: Principal,
  now: Date,
  options: { readonly applicationId?: string } = {},
): Promise<ApplicationRecord> {
  return submitApplicationAndRead(ports, input, principal, now, options, (record) => Promise.resolve(record));
}

/**
 * A submission's answer, with the start of its workflow and the append of its first timeline entry
 * under way (`started`: settled when both are done or failed; never rejected).
 */
interface Submitted<T> {
  readonly answer: T;
  readonly started: Promise<void>;
}

/**
 * What `read` is told of the record it answers: `created` when this request created it just now
 * (nothing else is in its partition yet: its first timeline entry is in its outbox), so the answer
 * can be built from it without a read.
 */
export type ReadOf<T> = (record: ApplicationRecord, created: boolean) => Promise<T>;

/** A promise whose rejection is handled where it is awaited, not reported as unhandled meanwhile. */
function ahead<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * Submits as submitApplication does, and answers what `read` makes of the recorded application;
 * `read` runs beside the workflow's start (which changes nothing it reads), so a route's answer
 * costs no round trip of its own.
 */
export async function submitApplicationAndRead<T>(
  ports: Needs<'store' | 'clock' | 'workflow'>,
  input: SubmitApplicationInput,
  principal: Principal,
  now: Date,
  options: { readonly applicationId?: string },
  read: ReadOf<T>,
): Promise<T> {
  const { answer, started } = await submitAndStart(ports, input, principal, now, options, read);
  await started;
  return answer;
}

/**
 * The submission, answered as soon as the application is recorded, with the workflow's start left
 * under way (`started`, never rejected) for the caller to await beside what it does with the
 * answer: the start is not part of the answer, and an application whose start failed or never
 * happened (a crash) is open and started by the restart on start or the sweep (RULES.md §5.6).
 */
async function submitAndStart<T>(
  ports: Needs<'store' | 'clock' | 'workflow'>,
  input: SubmitApplicationInput,
  principal: Principal,
  now: Date,
  options: { readonly applicationId?: string },
  read: ReadOf<T>,
): Promise<Submitted<T>> {
  const { store } = ports;
  const nothingToStart = Promise.resolve();
  assertCanActFor(principal, input.enterpriseId);
  // The reads are independent and go together; each is used in the order the checks need it.
  const enterpriseRead = ahead(requireEnterprise(store, input.enterpriseId));
  const limitRead = ahead(applicationsInLimitWindow(store, input.enterpriseId, now));
  // An earlier attempt of this request created the application: it is the answer, whatever
  // happened since (its claim, its eligibility and its status are those of its own history).
  const earlier = options.applicationId && (await loadApplication(store, options.applicationId));
  if (earlier && earlier.state.enterpriseId === input.enterpriseId) {
    return { answer: await read(earlier, false), started: nothingToStart };
  }
  const enterprise = await enterpriseRead;
  // An earlier attempt claimed and died before (or while) writing the application: this attempt
  // finishes it as of that attempt's instant, so every key derived from the submission time (the
  // index entries an interrupted write may have left) is the one that attempt would have written.
  const { openApplicationId: claimedId, openClaimedAt } = enterprise.profile;
  const askedAt = now;
  if (options.applicationId !== undefined && claimedId === options.applicationId && openClaimedAt) {
    now = new Date(openClaimedAt);
  }
  const day = localDateIn(now);
  const openApplicationId = await liveOpenApplication(
    store,
    { ...enterprise.profile, id: input.enterpriseId },
    options.applicationId,
    now,
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

  // Read ahead as of the request's instant; a retry finishing an earlier attempt reads its own window.
  assertWithinApplicationLimit(
    now === askedAt ? await limitRead : await applicationsInLimitWindow(store, input.enterpriseId, now),
    now,
  );

  const applicationId = options.applicationId ?? newSortableId(now);
  // The claim first: it is the conditional write that refuses a second open application. A crash
  // after it leaves a claim naming an application that never appeared, which this request's retry
  // (same id) fills in, and which another request releases once it is stale (liveOpenApplication).
  await claimOpenApplication(store, input.enterpriseId, applicationId, now.toISOString());
  reached('submit.claimed');
  let written: { record: ApplicationRecord; appended: Promise<void>; created: boolean };
  try {
    written = await createOrFind(ports, applicationId, {
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
  reached('submit.created');
  const { record, appended, created } = written;
  const start = async (): Promise<void> => {
    try {
      await ports.workflow.start(applicationId);
    } catch (error) {
      // The application is recorded and open: the sweep starts the workflow of an open
      // application that has none running (RULES.md §5.6), so the applicant's request stands.
      logger.error('could not start the workflow; the sweep will', { applicationId, error });
    }
  };
  // The first timeline entry, the start and the answer are independent. The entry is in the
  // application's outbox: one that does not land (a crash, a failed put) is shown by the read model
  // and appended by the next change, so it does not hold up the answer.
  const started = Promise.all([
    start(),
    appended.catch((error: unknown) => {
      logger.warn('the first timeline entry stays in the outbox until the next change', {
        applicationId,
        error,
      });
    }),
  ]).then(() => undefined);
  return { answer: await read(record, created), started };
}

/**
 * The answer to a submission as the idempotency records keep it, to be given again to a repeat of
 * the request. Its shape is stored: records written by earlier versions (201 only) must still read.
 */
export type SubmissionAnswer =
  | {
      readonly status: 201;
      readonly location: string;
      readonly application: ApplicationView;
    }
  | SubmissionRefusal;

/** A finished 4xx answer (CONTRACT.md: stored and replayed byte for byte, 429 excepted). */
export interface SubmissionRefusal {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The problem document as first sent (JSON keeps its members' order, so it serialises alike). */
  readonly problem: Readonly<Record<string, unknown>>;
}

/**
 * The refusal to store for an error the submission ended with, or undefined for an error that is
 * not a finished answer (a 5xx, a 429, anything unexpected): that one is thrown and the key freed.
 */
export type RefusalOf = (error: unknown) => SubmissionRefusal | undefined;

/** How long a duplicate waits for the first request of its key before it gives up (in progress). */
const IN_PROGRESS_WAITS_MS = [50, 100, 200, 400, 800] as const;

/** A record that vanished under a duplicate (its first request failed) is looked up again this often. */
const VANISHED_RETRIES = 3;

/**
 * POST /applications with an Idempotency-Key: the first request with a key submits, a repeat with
 * the same body gets the first answer (a 201, or a refusal such as APPLICATION_OPEN), and a repeat
 * that comes while the first still runs waits for its answer a little (IdempotencyInProgressError
 * after that). A key reused with another body is IdempotencyKeyReusedError.
 *
 * The application's id follows from the caller, the key and the enterprise, so an attempt that
 * died after any of its writes (its in-progress record expires within seconds) is finished by the
 * retry, which finds its own claim and its own application instead of APPLICATION_OPEN.
 */
export async function submitApplicationOnce(
  ports: Needs<'store' | 'clock' | 'workflow' | 'idempotency'>,
  request: { readonly key: string; readonly body: SubmitApplicationInput },
  principal: Principal,
  refusalOf: RefusalOf,
): Promise<SubmissionAnswer> {
  assertCanActFor(principal, request.body.enterpriseId);
  const applicationId = applicationIdFor({
    subject: principal.subject,
    key: request.key,
    enterpriseId: request.body.enterpriseId,
  });
  // The workflow's start goes beside the recording of the answer (it is no part of it); the request
  // waits for both. An answer recorded with no execution started (a crash, a failed start) is that
  // of an open application, which the restart on start and the sweep start.
  let started: Promise<void> = Promise.resolve();
  const submit = async (): Promise<SubmissionAnswer> => {
    try {
      const submitted = await submitAndStart(
        ports,
        request.body,
        principal,
        ports.clock.now(),
        { applicationId },
        async (record, created) => ({
          status: 201 as const,
          location: `/applications/${record.state.id}`,
          application: created
            ? createdApplicationView(record)
            : await requireApplicationView(ports.store, record.state.id),
        }),
      );
      started = submitted.started;
      return submitted.answer;
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal === undefined) throw error;
      return refusal;
    }
  };
  const once = { subject: principal.subject, key: request.key, body: request.body };
  const waits: (number | undefined)[] = [...IN_PROGRESS_WAITS_MS, undefined];
  let vanished = 0;
  for (;;) {
    try {
      const answer = await ports.idempotency.once(once, submit);
      await started;
      return answer;
    } catch (error) {
      await started;
      if (error instanceof IdempotencyRecordVanishedError && vanished < VANISHED_RETRIES) {
        vanished += 1;
        continue;
      }
      // A concurrent request with the same key is still running: wait for its answer and replay it.
      const wait = waits.shift();
      if (!(error instanceof IdempotencyInProgressError) || wait === undefined) {
        throw error instanceof IdempotencyRecordVanishedError ? new IdempotencyInProgressError() : error;
      }
      await sleep(wait);
    }
  }
}
