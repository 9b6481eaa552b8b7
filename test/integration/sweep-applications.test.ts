import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApplication } from '../../functions/usecases/applications/records.ts';
import { readTaskToken } from '../../functions/usecases/applications/task-tokens.ts';
import { submitApplication } from '../../functions/usecases/applications/submit.ts';
import { createLogger } from '../../functions/observability/logger.ts';
import { sfnClient } from '../../functions/adapters/sfn/client.ts';
import { runSweep } from '../../functions/usecases/sweep/run.ts';
import type { SweepCounts } from '../../functions/usecases/sweep/counts.ts';
import {
  applicantFor,
  eligibleDishonestEnterprise,
  registerReviewers,
  startWorkflowHarness,
  type WorkflowHarness,
} from '../support/workflow-harness.ts';

/**
 * RULES.md §4 and §5.6 through the sweep on the embedded workflow (the same ASL, the local Step
 * Functions engine, dynalite), on the harness's simulated clock.
 */

let harness: WorkflowHarness;
const log = createLogger({ logLevel: 'SILENT' });

beforeAll(async () => {
  harness = await startWorkflowHarness({ now: '2026-05-04T02:00:00.000Z' });
  await registerReviewers(harness.store, harness.clock.now().toISOString());
}, 60_000);

afterAll(async () => {
  await harness.stop();
});

const sweep = (): Promise<SweepCounts> => runSweep(harness.ports, { log });

async function submittedAndWaiting(enterpriseId: string): Promise<string> {
  const now = harness.clock.now();
  await eligibleDishonestEnterprise(harness.store, enterpriseId, now.toISOString());
  const app = await submitApplication(
    harness.ports,
    { enterpriseId, statement: 'We paid and put controls in place.' },
    applicantFor(enterpriseId),
    now,
  );
  const id = app.state.id;
  // The execution runs CheckEligibility, then waits for evidence with a stored task token.
  for (
    let i = 0;
    i < 200 && (await readTaskToken(harness.store, id, { task: 'AwaitEvidence' }, 1)) === undefined;
    i++
  ) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(await readTaskToken(harness.store, id, { task: 'AwaitEvidence' }, 1)).toBeDefined();
  return id;
}

describe('evidence timeout', () => {
  it('expires the application on the 31st day (evidence is accepted through day 30), and once', async () => {
    harness.clock.set('2026-05-04T02:00:00.000Z');
    const id = await submittedAndWaiting('EVIDENCE01');

    harness.clock.set('2026-06-03T02:00:00.000Z');
    expect(await sweep()).toMatchObject({ evidenceTimeouts: 0, failed: 0 });
    expect((await loadApplication(harness.store, id))!.state.status).toBe('AWAITING_EVIDENCE');

    harness.clock.set('2026-06-04T02:00:00.000Z');
    expect(await sweep()).toMatchObject({ evidenceTimeouts: 1, failed: 0 });
    const expired = await loadApplication(harness.store, id);
    expect(expired!.state).toMatchObject({ status: 'EXPIRED', outcome: { reason: 'EVIDENCE_TIMEOUT' } });

    harness.clock.set('2026-06-05T02:00:00.000Z');
    expect(await sweep()).toMatchObject({ evidenceTimeouts: 0, executionsRestarted: 0, failed: 0 });
  });
});

describe('restarting open applications', () => {
  it('restarts an execution that stopped, under a deterministic name, once a day', async () => {
    harness.clock.set('2026-07-01T02:00:00.000Z');
    const id = await submittedAndWaiting('RESTART001');
    expect(await sweep()).toMatchObject({ executionsRestarted: 0 });

    // The engine goes down with the process: its executions are gone.
    await harness.restartEngine();
    expect(await harness.ports.workflow.status(id)).not.toBe('RUNNING');

    const first = await sweep();
    expect(first).toMatchObject({ executionsRestarted: 1, failed: 0 });
    // The new engine has no record of the first execution, so the application id is free again.
    expect((await loadApplication(harness.store, id))!.executionName).toBe(id);
    expect(await harness.ports.workflow.status(id)).toBe('RUNNING');

    expect(await sweep()).toMatchObject({ executionsRestarted: 0, failed: 0 });
  });
});

describe('finding stalled executions', () => {
  it('lists the running executions once and describes only the open applications not among them', async () => {
    harness.clock.set('2026-08-03T02:00:00.000Z');
    const running = [await submittedAndWaiting('STALLED001'), await submittedAndWaiting('STALLED002')];
    const stalled = await submittedAndWaiting('STALLED003');
    const execution = harness.engine
      .listExecutions({ statusFilter: 'RUNNING' })
      .executions.find((e) => e.name === stalled);
    harness.engine.stopExecution({ executionArn: execution!.executionArn, cause: 'lost' });

    const commands: string[] = [];
    const client = sfnClient();
    client.middlewareStack.add(
      (next, context) => async (args) => {
        commands.push(context.commandName ?? '');
        return next(args);
      },
      { step: 'initialize', name: 'countSfnCommands' },
    );
    try {
      expect(await sweep()).toMatchObject({ executionsRestarted: 1, failed: 0 });
    } finally {
      client.middlewareStack.remove('countSfnCommands');
    }
    expect(commands.filter((c) => c === 'ListExecutionsCommand')).toHaveLength(1);
    // The running ones are not asked about one by one: only the stalled one is.
    expect(commands.filter((c) => c === 'DescribeExecutionCommand')).toHaveLength(1);
    expect(commands.filter((c) => c === 'StartExecutionCommand')).toHaveLength(1);
    for (const id of running) expect(await harness.ports.workflow.status(id)).toBe('RUNNING');
  });
});
