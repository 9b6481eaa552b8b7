import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { evidenceTimeoutSeconds, reviewTimeoutSeconds } from '../domain/deadlines.ts';
import { MAX_REVIEW_ROUNDS } from '../domain/policy.ts';
import { TRANSIENT_ERROR_NAME } from '../functions/workflow/transient-errors.ts';
import type { ApplicationStatus, OutcomeReason } from '../domain/vocabulary.ts';
import { TASK_FUNCTION_TIMEOUT_SECONDS, type TaskName } from './task-names.ts';

/**
 * The RepairApplication state machine (docs/architecture.md, "The state machine contract"), built
 * once here and consumed by the CDK app and, rendered to ASL, by the embedded engine.
 *
 * Execution state stays small: `{ applicationId, check: { eligible, parties, progress: { round,
 * result? } } }`. CheckEligibility writes `check`; Tally overwrites only `check.progress`, so the
 * round for the next AwaitEvidence lives in one place and no Pass state is needed to move it.
 */

export { REPAIR_APPLICATION_STATE_MACHINE_ID } from './state-machine-names.ts';

/**
 * Backstops for the callback waits (domain/deadlines.ts). The sweep normally ends an overdue wait
 * first, on the calendar day, with SendTaskFailure(Deadline.Expired); these make sure no execution
 * waits forever if it does not.
 */
export const EVIDENCE_TIMEOUT_SECONDS = evidenceTimeoutSeconds();
export const REVIEW_TIMEOUT_SECONDS = reviewTimeoutSeconds();
export const INVOKE_TIMEOUT_SECONDS = 2 * TASK_FUNCTION_TIMEOUT_SECONDS;

/** The error the sweep sends with SendTaskFailure when it expires an application. */
export const DEADLINE_EXPIRED_ERROR = 'Deadline.Expired';
/**
 * The error a wait is failed with when the application was closed by other means while it waited
 * (withdrawn, or ended by its causes: RULES.md §6.1). The outcome is recorded already, so the
 * machine goes straight to Notify. Both names are also spelled in functions/usecases/applications/waits.ts
 * (the workflow does not import functions/); a test holds them equal.
 */
export const APPLICATION_CLOSED_ERROR = 'Application.Closed';

/**
 * Every transient failure of a Lambda invocation as Step Functions names it: the Lambda service's
 * own errors, a function that timed out or died (Sandbox.Timedout, Lambda.Unknown), and the one
 * name our handlers give their transient AWS and network failures (functions/workflow/transient-errors.ts).
 * Retrying any task is safe: every step is memoized (DESIGN.md principle 3). A task's permanent
 * errors are not retried; they reach the catch that records WORKFLOW_FAILED.
 */
export const TRANSIENT_TASK_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.Unknown',
  'Sandbox.Timedout',
  TRANSIENT_ERROR_NAME,
] as const;

/**
 * A plain invoke whose TimeoutSeconds (twice the function's own timeout) ran out hung somewhere
 * between Step Functions and Lambda: retried too. A callback task's States.Timeout is its wait's
 * deadline, never retried: it is caught as the expiry.
 */
export const INVOKE_RETRY_ERRORS = [...TRANSIENT_TASK_ERRORS, sfn.Errors.TIMEOUT] as const;

/**
 * Backoff long enough to outlast a throttled SES sandbox (one message a second while several
 * review emails go out), a DynamoDB burst or a brief outage: 2 s doubling to at most 2 minutes,
 * 8 attempts (about 8 minutes in all), with full jitter so parallel reviews spread out.
 */
const RETRY_BACKOFF = {
  interval: Duration.seconds(2),
  maxAttempts: 8,
  backoffRate: 2,
  maxDelay: Duration.minutes(2),
  jitterStrategy: sfn.JitterType.FULL,
} as const satisfies Omit<sfn.RetryProps, 'errors'>;

export const INVOKE_RETRY = { errors: [...INVOKE_RETRY_ERRORS], ...RETRY_BACKOFF } satisfies sfn.RetryProps;
export const CALLBACK_RETRY = {
  errors: [...TRANSIENT_TASK_ERRORS],
  ...RETRY_BACKOFF,
} satisfies sfn.RetryProps;

/** Paths into the execution state, named once because several states read them. */
export const PATHS = {
  applicationId: '$.applicationId',
  eligible: '$.check.eligible',
  parties: '$.check.parties',
  round: '$.check.progress.round',
  tallyResult: '$.check.progress.result',
  error: '$.error',
} as const;

export type WorkflowFunctions = Readonly<Record<TaskName, IFunction>>;

interface Outcome {
  readonly status: ApplicationStatus;
  readonly reason: OutcomeReason;
}

/**
 * Terminal outcomes the machine records itself. A technical failure ends the application as
 * EXPIRED: it is not a decision against the enterprise, which may apply again at once.
 */
export const WORKFLOW_OUTCOMES = {
  RecordIneligible: { status: 'REJECTED', reason: 'NOT_ELIGIBLE' },
  RecordEvidenceTimeout: { status: 'EXPIRED', reason: 'EVIDENCE_TIMEOUT' },
  RecordReviewTimeout: { status: 'EXPIRED', reason: 'REVIEW_TIMEOUT' },
  RecordRejection: { status: 'REJECTED', reason: 'PARTY_REJECTED' },
  RecordRoundLimit: { status: 'REJECTED', reason: 'ROUND_LIMIT_REACHED' },
  RecordFailure: { status: 'EXPIRED', reason: 'WORKFLOW_FAILED' },
} as const satisfies Record<string, Outcome>;

type OutcomeState = keyof typeof WORKFLOW_OUTCOMES;

interface ResultShape {
  readonly path: string;
  readonly selector: Record<string, unknown>;
}

const applicationId = sfn.JsonPath.stringAt(PATHS.applicationId);
const round = sfn.JsonPath.numberAt(PATHS.round);

/**
 * Builds the RepairApplication definition under `scope` and returns its start state. State names
 * are the construct ids, so the ASL is the same whatever scope it is built in.
 */
export function buildRepairApplicationDefinition(
  scope: Construct,
  functions: WorkflowFunctions,
): sfn.IChainable {
  const s = new Construct(scope, 'RepairApplicationDefinition');

  const invoke = (id: string, task: TaskName, payload: object, result?: ResultShape): tasks.LambdaInvoke => {
    const state = new tasks.LambdaInvoke(s, id, {
      lambdaFunction: functions[task],
      payload: sfn.TaskInput.fromObject(payload),
      // The Resource is the function ARN and the result is the handler's return value, unwrapped.
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      taskTimeout: sfn.Timeout.duration(Duration.seconds(INVOKE_TIMEOUT_SECONDS)),
      // Tasks whose result nothing reads pass their input through unchanged.
      resultPath: result?.path ?? sfn.JsonPath.DISCARD,
      ...(result ? { resultSelector: result.selector } : {}),
    });
    state.addRetry(INVOKE_RETRY);
    return state;
  };

  const callback = (
    id: string,
    task: TaskName,
    payload: object,
    timeoutSeconds: number,
  ): tasks.LambdaInvoke => {
    const state = new tasks.LambdaInvoke(s, id, {
      lambdaFunction: functions[task],
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      // The execution's name lets the step tell a stale execution from the application's current one.
      payload: sfn.TaskInput.fromObject({
        ...payload,
        taskToken: sfn.JsonPath.taskToken,
        executionName: sfn.JsonPath.executionName,
      }),
      retryOnServiceExceptions: false,
      taskTimeout: sfn.Timeout.duration(Duration.seconds(timeoutSeconds)),
      // Only the fact that the wait ended matters; what was submitted is read from the table.
      resultPath: sfn.JsonPath.DISCARD,
    });
    state.addRetry(CALLBACK_RETRY);
    return state;
  };

  const recordOutcome = (id: OutcomeState): tasks.LambdaInvoke =>
    invoke(id, 'recordOutcome', { applicationId, ...WORKFLOW_OUTCOMES[id] });

  const failed = new sfn.Fail(s, 'Failed', {
    error: 'WorkflowFailed',
    cause: 'A task failed after its retries; the application was closed with WORKFLOW_FAILED.',
  });
  const recordFailure = recordOutcome('RecordFailure').next(failed);
  const catchAll = { errors: [sfn.Errors.ALL], resultPath: PATHS.error };
  const expiry = (reason: sfn.IChainable): [sfn.IChainable, sfn.CatchProps] => [
    reason,
    { errors: [sfn.Errors.TIMEOUT, DEADLINE_EXPIRED_ERROR], resultPath: PATHS.error },
  ];

  const notify = invoke('Notify', 'notify', { applicationId }).addCatch(recordFailure, catchAll);
  const closedMeanwhile: [sfn.IChainable, sfn.CatchProps] = [
    notify,
    { errors: [APPLICATION_CLOSED_ERROR], resultPath: PATHS.error },
  ];
  const finalOutcome = (id: Exclude<OutcomeState, 'RecordFailure'>): sfn.IChainable =>
    recordOutcome(id).addCatch(recordFailure, catchAll).next(notify);

  const recordIneligible = finalOutcome('RecordIneligible');
  const recordEvidenceTimeout = finalOutcome('RecordEvidenceTimeout');
  const recordReviewTimeout = finalOutcome('RecordReviewTimeout');
  const recordRejection = finalOutcome('RecordRejection');
  const recordRoundLimit = finalOutcome('RecordRoundLimit');

  const checkEligibility = invoke(
    'CheckEligibility',
    'checkEligibility',
    { applicationId },
    {
      path: '$.check',
      selector: {
        eligible: sfn.JsonPath.objectAt('$.eligible'),
        parties: sfn.JsonPath.listAt('$.parties'),
        progress: { round: sfn.JsonPath.numberAt('$.round') },
      },
    },
  ).addCatch(recordFailure, catchAll);

  const awaitEvidence = callback(
    'AwaitEvidence',
    'awaitEvidence',
    { applicationId, round },
    EVIDENCE_TIMEOUT_SECONDS,
  )
    .addCatch(...expiry(recordEvidenceTimeout))
    .addCatch(...closedMeanwhile)
    .addCatch(recordFailure, catchAll);

  const openReview = callback(
    'OpenReview',
    'openReview',
    {
      applicationId: sfn.JsonPath.stringAt('$.applicationId'),
      round: sfn.JsonPath.numberAt('$.round'),
      party: sfn.JsonPath.stringAt('$.party'),
    },
    REVIEW_TIMEOUT_SECONDS,
  );
  const review = new sfn.Map(s, 'Review', {
    itemsPath: PATHS.parties,
    // Each party's review opens at once: a round ends when every party has decided.
    itemSelector: {
      applicationId,
      round,
      party: sfn.JsonPath.stringAt('$$.Map.Item.Value'),
    },
    resultPath: sfn.JsonPath.DISCARD,
  })
    .itemProcessor(openReview)
    .addCatch(...expiry(recordReviewTimeout))
    .addCatch(...closedMeanwhile)
    .addCatch(recordFailure, catchAll);

  const tally = invoke(
    'Tally',
    'tally',
    { applicationId, round },
    {
      path: '$.check.progress',
      selector: {
        result: sfn.JsonPath.stringAt('$.result'),
        round: sfn.JsonPath.numberAt('$.round'),
      },
    },
  ).addCatch(recordFailure, catchAll);

  const upgradeTier = invoke('UpgradeTier', 'upgradeTier', { applicationId }).addCatch(
    recordFailure,
    catchAll,
  );
  const publishListingChange = invoke('PublishListingChange', 'publishListingChange', {
    applicationId,
  }).addCatch(recordFailure, catchAll);

  const decide = new sfn.Choice(s, 'Decide')
    .when(
      sfn.Condition.stringEquals(PATHS.tallyResult, 'APPROVED'),
      upgradeTier.next(publishListingChange).next(notify),
    )
    .when(
      sfn.Condition.and(
        sfn.Condition.stringEquals(PATHS.tallyResult, 'CHANGES_REQUESTED'),
        sfn.Condition.numberLessThanEquals(PATHS.round, MAX_REVIEW_ROUNDS),
      ),
      awaitEvidence,
    )
    // A change request beyond the last round counts as a rejection (RULES.md §4), whichever way
    // Tally reports it.
    .when(sfn.Condition.stringEquals(PATHS.tallyResult, 'CHANGES_REQUESTED'), recordRoundLimit)
    .when(sfn.Condition.stringEquals(PATHS.tallyResult, 'REJECTED'), recordRejection)
    .otherwise(recordFailure);

  const isEligible = new sfn.Choice(s, 'IsEligible')
    .when(sfn.Condition.booleanEquals(PATHS.eligible, false), recordIneligible)
    .otherwise(awaitEvidence);

  awaitEvidence.next(review).next(tally).next(decide);

  return checkEligibility.next(isEligible);
}
