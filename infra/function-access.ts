import { IDEMPOTENCY_PARTITION } from '../functions/composition/idempotency.ts';
import { ROUTES } from '../functions/api/routes.ts';
import type { TaskName } from '../workflows/task-names.ts';
import type { TableAction } from './constructs/bind-table.ts';

/**
 * THE per-function access table: what each deployed function may touch, read from its handler's
 * code paths. `grantAccess` turns an entry into IAM statements on exactly the resources named and
 * into the environment variables that name them, so a permission and the variable that uses it
 * never drift apart. A handler that needs more fails with AccessDenied on AWS, which neither the
 * template tests nor cdk-nag can see: change an entry here whenever a handler's use case changes.
 */

/** Step Functions calls: StartExecution, SendTask*, ListExecutions and DescribeStateMachine act on the state machine, the others on its executions. */
export const WORKFLOW_ACTIONS = [
  'StartExecution',
  'SendTaskSuccess',
  'SendTaskFailure',
  'ListExecutions',
  'StopExecution',
  'DescribeExecution',
  'DescribeStateMachine',
  'GetExecutionHistory',
] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];

export interface FunctionAccess {
  readonly table?: readonly TableAction[];
  /**
   * DeleteItem on the Powertools idempotency records in this partition only (the handler's
   * `staticPkValue`): the layer deletes its in-progress record when the wrapped call throws, so
   * the client may retry.
   */
  readonly idempotencyPartition?: string;
  readonly workflow?: readonly WorkflowAction[];
  /** PutEvents on the listing-change bus. */
  readonly publishesListingChanges?: boolean;
  /** ses:SendEmail from the sender address, through the configuration set (SENDER_EMAIL). */
  readonly sendsEmail?: boolean;
  /**
   * On the evidence bucket. `upload`: signs presigned POSTs (s3:PutObject on uploads); `inspect`:
   * ranged GetObject of uploads; `freeze`: CopyObject of an upload to the frozen prefix and a read
   * of the copy (s3:PutObject and s3:GetObject there); `open`: signs presigned GETs of frozen copies
   * (s3:GetObject there).
   */
  readonly evidence?: readonly ('upload' | 'inspect' | 'freeze' | 'open')[];
  /** Reads the review-link signing secret (HMAC of link ids; LINK_SECRET_ARN). */
  readonly readsLinkSecret?: boolean;
  /** Mails review links, whose URLs start with REVIEW_BASE_URL (functions/workflow/context.ts). */
  readonly mailsReviewLinks?: boolean;
}

/**
 * Table actions by what the code paths do (the store port, functions/ports/store): `get`, `recordedStep` and a
 * memoized step's lookup are GetItem; `queryPage`/`queryAll` (loadEnterprise, the application
 * partition) are Query; `putNew`, `appendEvent` and a memoized step's record are PutItem;
 * `updateVersioned`, `setDue` and the open-application claim are UpdateItem. `appendEvent` reads
 * the existing event (GetItem) only when its conditional put fails: a function whose events are
 * new by construction (a fresh fact record's) never takes that path.
 */
const READ_WRITE: readonly TableAction[] = ['GetItem', 'Query', 'PutItem', 'UpdateItem'];
/** Loads a whole partition (an enterprise, an application) with one paged Query; no item by key. */
const QUERY_ONLY: readonly TableAction[] = ['Query'];
/** Reads items by key and writes them, but loads no partition (no loadEnterprise, no timeline). */
const KEYED_WRITE: readonly TableAction[] = ['GetItem', 'PutItem', 'UpdateItem'];
/**
 * An officer's fact change: loads the enterprise, sets it due, puts the record, bumps the profile,
 * and reads the enterprise's open application (GetItem) to end it when its causes changed.
 */
const FACT_CHANGE: readonly TableAction[] = ['GetItem', 'Query', 'PutItem', 'UpdateItem'];

/**
 * Workflow tasks (functions/usecases/steps/). Every step reads its memoized
 * step record (GetItem), reads what it needs (GetItem/Query) and records with conditional writes.
 * The task context builds its mailer and reads REVIEW_BASE_URL only when a step uses them, so
 * only the tasks that mail get the mail grant and settings.
 */
export const WORKFLOW_TASK_ACCESS: Readonly<Record<TaskName, FunctionAccess>> = {
  // Reads the application and the enterprise, records its verdict; changes no item.
  checkEligibility: { table: ['GetItem', 'Query', 'PutItem'] },
  // Resolves its own token when the evidence is already in, fails it when a restarted execution
  // finds the application closed; mails the change request of round > 1.
  awaitEvidence: {
    table: READ_WRITE,
    // StopExecution: an execution that finds itself not the application's current one stops.
    workflow: ['SendTaskSuccess', 'SendTaskFailure', 'StopExecution'],
    sendsEmail: true,
  },
  // Creates the party's review link (hashed with the secret) and mails it; a restarted execution
  // that finds the review decided resumes its own wait, one that finds the application closed fails it.
  openReview: {
    table: READ_WRITE,
    workflow: ['SendTaskSuccess', 'SendTaskFailure', 'StopExecution'],
    sendsEmail: true,
    readsLinkSecret: true,
    mailsReviewLinks: true,
  },
  tally: { table: KEYED_WRITE },
  recordOutcome: { table: KEYED_WRITE },
  upgradeTier: { table: READ_WRITE },
  // Reads the application and UpgradeTier's record; records only its own memo.
  publishListingChange: { table: ['GetItem', 'PutItem'], publishesListingChanges: true },
  notify: { table: READ_WRITE, sendsEmail: true },
};

/** HTTP handlers, by the export the route table names (each export is one function). */
export const API_HANDLER_ACCESS: Readonly<Record<string, FunctionAccess>> = {
  getHealth: {},
  getOpenApi: {},
  // One conditional put; a taken id is the ConflictError of that put.
  createEnterprise: { table: ['PutItem'] },
  getEnterprise: { table: QUERY_ONLY },
  // Queries the tier entries of the byStatus index; a profile due today is loaded to classify it again.
  findEnterprises: { table: QUERY_ONLY },
  // Loads the enterprise (Query) and its open application (GetItem); writes nothing.
  getEligibility: { table: ['GetItem', 'Query'] },
  // Reads the profile (GetItem: is it registered?), then a page of its events (Query).
  listEnterpriseEvents: { table: ['GetItem', 'Query'] },
  // A new cause ends the open application (RULES.md §6.1): its waiting task is failed.
  recordFact: { table: FACT_CHANGE, workflow: ['SendTaskFailure'] },
  // A payment never adds a cause, and the covered ones were met when the application was
  // accepted: it reads the open application but never ends it.
  recordPayment: { table: FACT_CHANGE },
  // Voiding the fact a covered cause rests on leaves nothing to repair: LISTING_ENDED.
  voidFact: { table: FACT_CHANGE, workflow: ['SendTaskFailure'] },
  // Four eyes (functions/usecases/directory/changes.ts): reads the entry, creates the change and
  // its audit event (or the first reviewer), claims the pending slot with a conditional update.
  putReviewer: { table: KEYED_WRITE },
  // Applies the change under the slot condition, marks it confirmed, mails the previous reviewer.
  confirmReviewerChange: { table: KEYED_WRITE, sendsEmail: true },
  cancelReviewerChange: { table: KEYED_WRITE },
  // The reviewer by key and the party's history partition.
  getReviewerHistory: { table: ['GetItem', 'Query'] },
  listReviewers: { table: QUERY_ONLY },
  // Persists the application, then starts its execution; Powertools idempotency on the same table.
  createApplication: {
    table: READ_WRITE,
    idempotencyPartition: IDEMPOTENCY_PARTITION,
    workflow: ['StartExecution'],
  },
  // Shows this round's uploads as they land: a ranged GetObject of each one still pending.
  getApplication: { table: QUERY_ONLY, evidence: ['inspect'] },
  // Reads the application (GetItem), the state machine's definition and each execution's history.
  getApplicationWorkflow: {
    table: ['GetItem'],
    workflow: ['DescribeStateMachine', 'DescribeExecution', 'GetExecutionHistory'],
  },
  listApplications: { table: QUERY_ONLY },
  // Reads the application, counts the document's tickets (Query), records the evidence request,
  // signs the POST (no S3 call: S3 checks the signer's s3:PutObject when the browser uploads).
  requestUpload: { table: ['GetItem', 'Query', 'PutItem'], evidence: ['upload'] },
  // Copies each new upload to the frozen prefix and verifies the copy, then resolves the
  // AwaitEvidence wait.
  submitEvidence: { table: READ_WRITE, evidence: ['inspect', 'freeze'], workflow: ['SendTaskSuccess'] },
  withdrawApplication: { table: READ_WRITE, workflow: ['StopExecution'] },
  // GET changes nothing: it finds the link by its hash and renders the page.
  showReview: { table: ['GetItem', 'Query'], readsLinkSecret: true },
  // Finds the link by its hash, reads the application and the evidence item (GetItem), and signs
  // a GET of the frozen copy (no S3 call: S3 checks the signer's s3:GetObject when it is opened).
  openReviewDocument: { table: ['GetItem'], readsLinkSecret: true, evidence: ['open'] },
  // Finds the link by its hash, reads the application with its timeline (one Query of its
  // partition), consumes the link, records the decision and resolves the round's OpenReview waits.
  decideReview: { table: READ_WRITE, readsLinkSecret: true, workflow: ['SendTaskSuccess'] },
  getPublicCredit: { table: QUERY_ONLY },
};

/** The `$default` route's handler: answers 404/405 problem documents from the route table alone. */
export const FALLBACK_ACCESS: FunctionAccess = {};

/**
 * The daily sweep (functions/schedule): reads the sparse due index, claims and records duties,
 * mails notices, reminders and escalations (each with a fresh review link), fails the waits of what it expires (expire.ts) and
 * restarts executions that stopped (restarts.ts: ListExecutions of the running ones, then
 * DescribeExecution of the others only), and announces listings that end by time.
 */
export const SWEEP_ACCESS: FunctionAccess = {
  table: READ_WRITE,
  workflow: ['SendTaskFailure', 'StartExecution', 'ListExecutions', 'DescribeExecution'],
  sendsEmail: true,
  publishesListingChanges: true,
  // Reminders and escalations carry fresh review links (hashed with the secret).
  readsLinkSecret: true,
  mailsReviewLinks: true,
};

/** The access of a route's handler; throws for a route the table does not cover. */
export function apiHandlerAccess(exportName: string): FunctionAccess {
  const access = API_HANDLER_ACCESS[exportName];
  if (access === undefined) {
    throw new Error(`infra/function-access.ts has no entry for the route handler ${exportName}`);
  }
  return access;
}

/** Route handlers the table lists but no route uses: stale entries hide real drift. */
export function unusedApiAccessEntries(): string[] {
  const used = new Set(ROUTES.map((route) => route.exportName));
  return Object.keys(API_HANDLER_ACCESS).filter((name) => !used.has(name));
}
