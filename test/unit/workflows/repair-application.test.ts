import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { isCallbackTask, walkStates, type AslStateMachine } from '../../../workflows/asl.ts';
import { renderAsl, taskStateBindings } from '../../../workflows/render-asl.ts';
import {
  APPLICATION_CLOSED_ERROR as FUNCTIONS_CLOSED_ERROR,
  DEADLINE_EXPIRED_ERROR as FUNCTIONS_DEADLINE_ERROR,
} from '../../../functions/usecases/applications/waits.ts';
import { APPLICATION_CLOSED_ERROR, DEADLINE_EXPIRED_ERROR } from '../../../workflows/repair-application.ts';
import type { TaskName } from '../../../workflows/task-names.ts';

/**
 * Routing of the rendered definition, run by the same engine the embedded runtime uses, with each
 * task answered by a scripted stand-in. The handlers themselves are tested elsewhere.
 */

/**
 * The engine arms a Node timer for TimeoutSeconds, and Node cuts any delay above 2^31-1 ms (24.8
 * days) to 1 ms: the 31- and 61-day callback timeouts would fire at once. The stand-ins below
 * answer immediately and simulate timeouts by throwing, so the callback timeouts are dropped here.
 */
function withoutCallbackTimeouts(definition: AslStateMachine): AslStateMachine {
  const copy = structuredClone(definition) as AslStateMachine;
  for (const { state } of walkStates(copy)) {
    if (isCallbackTask(state)) delete (state as { TimeoutSeconds?: number }).TimeoutSeconds;
  }
  return copy;
}

const asl = withoutCallbackTimeouts(renderAsl());
const bindings = taskStateBindings(asl);

type Script = Partial<Record<TaskName, (payload: Record<string, unknown>, call: number) => unknown>>;

class TaskError extends Error {
  constructor(name: string) {
    super(name);
    this.name = name;
  }
}

const defaults: Required<Script> = {
  checkEligibility: () => ({ eligible: true, parties: ['CUSTOMS', 'TAX'], round: 1, extra: 'dropped' }),
  awaitEvidence: () => ({ submittedAt: '2026-05-01T00:00:00Z' }),
  openReview: (p) => ({ party: p.party, decision: 'APPROVE' }),
  tally: (p) => ({ result: 'APPROVED', round: p.round }),
  recordOutcome: (p) => ({ status: p.status }),
  upgradeTier: () => ({ tier: 'REGULAR' }),
  publishListingChange: () => ({ published: true }),
  notify: () => ({ sent: 1 }),
};

async function run(script: Script = {}) {
  const trace: { state: string; payload: Record<string, unknown> }[] = [];
  const counts = new Map<string, number>();
  const overrides = Object.fromEntries(
    bindings.map((b) => [
      b.stateName,
      async (input: unknown): Promise<never> => {
        // A callback task's input is {FunctionName, Payload}; a plain invoke's is the payload itself.
        const payload = (b.callback ? (input as { Payload: unknown }).Payload : input) as Record<
          string,
          unknown
        >;
        trace.push({ state: b.stateName, payload });
        const call = (counts.get(b.task) ?? 0) + 1;
        counts.set(b.task, call);
        // The engine types results as JSON; the stand-ins return plain objects.
        return (script[b.task] ?? defaults[b.task])(payload, call) as never;
      },
    ]),
  );
  const machine = new StateMachine(asl as never);
  const execution = machine.run(
    { applicationId: 'APP1' },
    {
      overrides: { taskResourceLocalHandlers: overrides },
      context: { Execution: { Name: 'APP1' }, Task: { Token: 'token-1' } },
    },
  );
  let error: unknown;
  const output = await execution.result.catch((e: unknown) => {
    error = e;
    return undefined;
  });
  return { output, error, trace, states: trace.map((t) => t.state) };
}

describe('the RepairApplication definition, executed', () => {
  it('approves: evidence, a review per party, tally, upgrade, publish, notify', async () => {
    const { states, trace, output } = await run();
    expect(states.filter((s) => s !== 'OpenReview')).toEqual([
      'CheckEligibility',
      'AwaitEvidence',
      'Tally',
      'UpgradeTier',
      'PublishListingChange',
      'Notify',
    ]);
    expect(trace.filter((t) => t.state === 'OpenReview').map((t) => t.payload)).toEqual([
      { applicationId: 'APP1', round: 1, party: 'CUSTOMS', taskToken: 'token-1', executionName: 'APP1' },
      { applicationId: 'APP1', round: 1, party: 'TAX', taskToken: 'token-1', executionName: 'APP1' },
    ]);
    expect(trace[1]?.payload).toEqual({
      applicationId: 'APP1',
      round: 1,
      taskToken: 'token-1',
      executionName: 'APP1',
    });
    // The execution state carries only what routing needs.
    expect(output).toEqual({
      applicationId: 'APP1',
      check: { eligible: true, parties: ['CUSTOMS', 'TAX'], progress: { result: 'APPROVED', round: 1 } },
    });
  });

  it('records an ineligible application as rejected and tells the applicant', async () => {
    const { states, trace } = await run({
      checkEligibility: () => ({ eligible: false, parties: [], round: 1 }),
    });
    expect(states).toEqual(['CheckEligibility', 'RecordIneligible', 'Notify']);
    expect(trace[1]?.payload).toEqual({ applicationId: 'APP1', status: 'REJECTED', reason: 'NOT_ELIGIBLE' });
  });

  it('loops a change request back to AwaitEvidence with the next round', async () => {
    const { trace } = await run({
      tally: (p, call) =>
        call === 1 ? { result: 'CHANGES_REQUESTED', round: 2 } : { result: 'APPROVED', round: p.round },
    });
    const rounds = trace.filter((t) => t.state !== 'CheckEligibility').map((t) => [t.state, t.payload.round]);
    expect(rounds.filter(([s]) => s === 'AwaitEvidence' || s === 'Tally')).toEqual([
      ['AwaitEvidence', 1],
      ['Tally', 1],
      ['AwaitEvidence', 2],
      ['Tally', 2],
    ]);
    expect(trace.filter((t) => t.state === 'OpenReview').map((t) => t.payload.round)).toEqual([1, 1, 2, 2]);
    expect(trace.at(-1)?.state).toBe('Notify');
  });

  it('rejects a change request beyond the last round, and a party rejection at once', async () => {
    const beyond = await run({ tally: () => ({ result: 'CHANGES_REQUESTED', round: 4 }) });
    expect(beyond.trace.find((t) => t.state === 'RecordRoundLimit')?.payload).toMatchObject({
      status: 'REJECTED',
      reason: 'ROUND_LIMIT_REACHED',
    });
    const rejected = await run({ tally: () => ({ result: 'REJECTED', round: 1 }) });
    expect(rejected.states.slice(-2)).toEqual(['RecordRejection', 'Notify']);
  });

  it('expires the application when the sweep ends the evidence wait', async () => {
    const { states, trace } = await run({
      awaitEvidence: () => {
        throw new TaskError(DEADLINE_EXPIRED_ERROR);
      },
    });
    expect(states).toEqual(['CheckEligibility', 'AwaitEvidence', 'RecordEvidenceTimeout', 'Notify']);
    expect(trace[2]?.payload).toMatchObject({ status: 'EXPIRED', reason: 'EVIDENCE_TIMEOUT' });
  });

  it('expires the application when a review times out', async () => {
    const { states } = await run({
      openReview: (p) => {
        if (p.party === 'TAX') throw new TaskError('States.Timeout');
        return { party: p.party, decision: 'APPROVE' };
      },
    });
    expect(states.slice(-2)).toEqual(['RecordReviewTimeout', 'Notify']);
    expect(states).not.toContain('Tally');
  });

  it('records WORKFLOW_FAILED and fails the execution when a task fails for good', async () => {
    const { states, trace, error } = await run({
      tally: () => {
        throw new TaskError('TypeError');
      },
    });
    expect(states.slice(-1)).toEqual(['RecordFailure']);
    expect(trace.at(-1)?.payload).toMatchObject({ status: 'EXPIRED', reason: 'WORKFLOW_FAILED' });
    expect(String(error)).toMatch(/closed with WORKFLOW_FAILED/);
  });

  it('goes straight to Notify when a wait is failed because the application closed by other means', async () => {
    const atEvidence = await run({
      awaitEvidence: () => {
        throw new TaskError(APPLICATION_CLOSED_ERROR);
      },
    });
    expect(atEvidence.states).toEqual(['CheckEligibility', 'AwaitEvidence', 'Notify']);
    const atReview = await run({
      openReview: (p) => {
        if (p.party === 'TAX') throw new TaskError(APPLICATION_CLOSED_ERROR);
        return { party: p.party, decision: 'APPROVE' };
      },
    });
    expect(atReview.states.slice(-1)).toEqual(['Notify']);
    expect(atReview.states).not.toContain('Tally');
    expect(atReview.states).not.toContain('RecordFailure');
  });

  it('names the errors the functions fail waits with, as the functions spell them', () => {
    expect(APPLICATION_CLOSED_ERROR).toBe(FUNCTIONS_CLOSED_ERROR);
    expect(DEADLINE_EXPIRED_ERROR).toBe(FUNCTIONS_DEADLINE_ERROR);
  });
});
