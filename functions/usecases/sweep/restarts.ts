import type { ApplicationState } from '../../../domain/lifecycle.ts';
import { OPEN_STATUSES } from '../../../domain/vocabulary.ts';
import { loadApplication, setExecutionName } from '../applications/records.ts';
import { applicationStatusPartition } from '../../ports/store/keys.ts';
import { type StoredItem } from '../../ports/store/store.ts';
import type { SweepContext } from './context.ts';

/**
 * RULES.md §5.6: an open application whose execution is not running is restarted, and fast-forwards
 * to where it really is (DESIGN.md principle 3). The open applications come from the byStatus
 * index, so the cost follows the open applications, not the enterprises.
 *
 * Execution names are deterministic: the application id when it never had an execution, else
 * `<id>-r-<today>`. So a restart happens at most once per application and day, however often the
 * sweep runs: a second StartExecution with the same name is ExecutionAlreadyExists.
 */

const PAGE_SIZE = 100;

export const restartName = (applicationId: string, today: string): string => `${applicationId}-r-${today}`;

/**
 * One ListExecutions page per thousand running executions tells which open applications still
 * run; only the others (the stalled ones, and any the eventually consistent list has not caught
 * up with) are looked at one by one with DescribeExecution.
 */
export async function restartStalledExecutions(ctx: SweepContext): Promise<void> {
  // Asked for on the first open application only: a day without any asks Step Functions nothing.
  let running: Promise<Set<string>> | undefined;
  for (const status of OPEN_STATUSES) {
    let nextToken: string | undefined;
    do {
      const page = await ctx.store.queryPage<
        StoredItem & { state?: ApplicationState; executionName?: string }
      >({ index: 'byStatus', partition: applicationStatusPartition(status), limit: PAGE_SIZE }, nextToken);
      for (const item of page.items) {
        const applicationId = item.state?.id;
        if (applicationId === undefined) continue;
        ctx.counts.itemsRead += 1;
        try {
          // A failed list fails (and counts) each item, as a failed DescribeExecution would.
          running ??= ctx.workflow.runningNames();
          if ((await running).has(item.executionName ?? applicationId)) continue;
          if (await restartIfStalled(ctx, applicationId)) ctx.counts.executionsRestarted += 1;
        } catch (error) {
          ctx.counts.failed += 1;
          ctx.log.error('restarting the execution failed', { applicationId, error });
        }
      }
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
  }
}

/**
 * Starts a new execution unless the workflow has nothing left to do for the application (it was
 * closed out) or its execution runs; true when one started. A decided application whose execution
 * stopped before telling everyone is restarted too: it fast-forwards to the missing steps.
 *
 * The application's current execution name is recorded before that execution starts: its steps
 * take any other execution of the application for a stale one (task tokens, open-review.ts), so
 * the new one must be the recorded one from its first step. A name recorded whose execution never
 * started (a crash between the two) is started under that name.
 */
export async function restartIfStalled(ctx: SweepContext, applicationId: string): Promise<boolean> {
  // The index is eventually consistent: the application may have been closed out since.
  const record = await loadApplication(ctx.store, applicationId);
  if (record === undefined || record.closedOutAt !== undefined) return false;
  const current = record.executionName ?? applicationId;
  const status = await ctx.workflow.status(current);
  if (status === 'RUNNING') return false;
  let name = current;
  if (status !== undefined) {
    name = restartName(applicationId, ctx.today);
    // Today's restart already ran (and ended again): tomorrow's run tries once more.
    if (name === current) return false;
  }
  if (record.executionName !== name) await setExecutionName(ctx.store, applicationId, name);
  const { started } = await ctx.workflow.start(applicationId, { name });
  if (started) ctx.log.info('restarted the execution of an open application', { applicationId, name });
  return started;
}
