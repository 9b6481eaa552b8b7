import type { TaskName } from '../workflows/task-names.ts';
import type { TableAction } from './constructs/bind-table.ts';

/**
 * What each workflow task function may touch. Every step first reads its memoized step record
 * (GetItem), reads what it needs (GetItem/Query) and records with conditional writes
 * (PutItem/UpdateItem). Keep this in step with the handler modules: a handler that needs more
 * fails with AccessDenied on AWS, which the template tests and cdk-nag cannot see.
 */
export interface TaskAccess {
  readonly table: readonly TableAction[];
  /** Puts listing-change events on the bus. */
  readonly publishesListingChanges?: boolean;
  /** Answers its own task token (SendTaskSuccess) when it finds its wait already satisfied. */
  readonly answersTaskToken?: boolean;
}

const READ_WRITE: readonly TableAction[] = ['GetItem', 'Query', 'PutItem', 'UpdateItem'];

export const WORKFLOW_TASK_ACCESS: Readonly<Record<TaskName, TaskAccess>> = {
  checkEligibility: { table: READ_WRITE },
  awaitEvidence: { table: READ_WRITE, answersTaskToken: true },
  openReview: { table: READ_WRITE, answersTaskToken: true },
  tally: { table: READ_WRITE },
  recordOutcome: { table: READ_WRITE },
  upgradeTier: { table: READ_WRITE },
  publishListingChange: { table: READ_WRITE, publishesListingChanges: true },
  notify: { table: READ_WRITE },
};
