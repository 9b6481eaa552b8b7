import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultApp } from '../support/synth-app.ts';
import { isCallbackTask, walkStates, type AslState, type AslStateMachine } from '../../workflows/asl.ts';
import { aslFromTemplate, taskStateBindings } from '../../workflows/render-asl.ts';
import {
  DEADLINE_EXPIRED_ERROR,
  EVIDENCE_TIMEOUT_SECONDS,
  INVOKE_RETRY_ERRORS,
  TRANSIENT_TASK_ERRORS,
  REVIEW_TIMEOUT_SECONDS,
} from '../../workflows/repair-application.ts';
import { TASK_NAMES, functionNameFor, DEFAULT_FUNCTION_PREFIX } from '../../workflows/task-names.ts';
import { POLICY } from '../../domain/policy.ts';
import { evidenceTimeoutSeconds, reviewTimeoutSeconds } from '../../domain/deadlines.ts';

let template: Template;
let asl: AslStateMachine;
const states = () => [...walkStates(asl)];
const stateNamed = (name: string): AslState => {
  const found = states().find((s) => s.name === name);
  if (!found) throw new Error(`no state ${name}`);
  return found.state;
};

beforeAll(() => {
  const json = defaultApp().stateless as unknown as Record<string, unknown>;
  template = Template.fromJSON(json);
  asl = aslFromTemplate(json);
});

describe('the deployed state machine', () => {
  it('is Standard, logs every event without execution data (no task tokens in logs) and is traced', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      StateMachineName: `${DEFAULT_FUNCTION_PREFIX}-repair-application`,
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
      TracingConfiguration: { Enabled: true },
    });
  });

  it('gives every callback task a TimeoutSeconds from the policy', () => {
    const callbacks = states().filter((s) => isCallbackTask(s.state));
    expect(callbacks.map((s) => [s.name, s.state.TimeoutSeconds])).toEqual([
      ['AwaitEvidence', evidenceTimeoutSeconds()],
      ['OpenReview', reviewTimeoutSeconds()],
    ]);
    // Never before the rule's own deadline: the sweep, not the timeout, expires on time.
    expect(EVIDENCE_TIMEOUT_SECONDS).toBeGreaterThanOrEqual(POLICY.evidence.deadlineDays * 86_400);
    expect(REVIEW_TIMEOUT_SECONDS).toBeGreaterThanOrEqual(POLICY.review.timeoutDays * 86_400);
  });

  it('gives every task a timeout and retries every transient error with backoff, a callback never on its deadline', () => {
    const taskStates = states().filter((s) => s.state.Type === 'Task');
    expect(taskStates.length).toBeGreaterThan(0);
    for (const { name, state } of taskStates) {
      expect(state.TimeoutSeconds, name).toBeGreaterThan(0);
      const callback = isCallbackTask(state);
      expect(state.Retry, name).toEqual([
        expect.objectContaining({
          ErrorEquals: callback ? [...TRANSIENT_TASK_ERRORS] : [...INVOKE_RETRY_ERRORS],
          BackoffRate: expect.any(Number) as number,
          MaxAttempts: expect.any(Number) as number,
        }),
      ]);
      expect(state.Retry?.[0]?.BackoffRate as number, name).toBeGreaterThan(1);
      expect(JSON.stringify(state.Retry)).not.toMatch(/States\.ALL|Deadline|Application\.Closed/);
      // A callback's States.Timeout is its wait's deadline: caught as the expiry, never retried.
      expect(JSON.stringify(state.Retry).includes('States.Timeout'), name).toBe(!callback);
    }
  });

  it('records the expiry reason when a callback wait times out or the sweep expires it', () => {
    const expiry = { ErrorEquals: ['States.Timeout', DEADLINE_EXPIRED_ERROR], ResultPath: '$.error' };
    expect(stateNamed('AwaitEvidence').Catch?.[0]).toEqual({ ...expiry, Next: 'RecordEvidenceTimeout' });
    expect(stateNamed('Review').Catch?.[0]).toEqual({ ...expiry, Next: 'RecordReviewTimeout' });
    expect(stateNamed('RecordEvidenceTimeout').Parameters).toMatchObject({
      status: 'EXPIRED',
      reason: 'EVIDENCE_TIMEOUT',
    });
    expect(stateNamed('RecordReviewTimeout').Parameters).toMatchObject({
      status: 'EXPIRED',
      reason: 'REVIEW_TIMEOUT',
    });
  });

  it('catches any other failure of a top-level task into RecordFailure, which ends in Fail', () => {
    const topLevel = Object.entries(asl.States).filter(([, s]) => s.Type === 'Task' || s.Type === 'Map');
    for (const [name, state] of topLevel) {
      if (name === 'RecordFailure') continue;
      expect(state.Catch?.at(-1), name).toEqual({
        ErrorEquals: ['States.ALL'],
        ResultPath: '$.error',
        Next: 'RecordFailure',
      });
    }
    expect(stateNamed('RecordFailure').Parameters).toMatchObject({ reason: 'WORKFLOW_FAILED' });
    expect(stateNamed('RecordFailure').Catch).toBeUndefined();
    expect(stateNamed(stateNamed('RecordFailure').Next ?? '').Type).toBe('Fail');
  });

  it('reviews every party named by CheckEligibility at once, each with its own task token', () => {
    const review = stateNamed('Review');
    expect(review).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.check.parties',
      ItemSelector: {
        'applicationId.$': '$.applicationId',
        'round.$': '$.check.progress.round',
        'party.$': '$$.Map.Item.Value',
      },
    });
    expect(review.MaxConcurrency ?? 0).toBe(0);
    expect(stateNamed('OpenReview').Parameters).toMatchObject({
      Payload: {
        'applicationId.$': '$.applicationId',
        'round.$': '$.round',
        'party.$': '$.party',
        'taskToken.$': '$$.Task.Token',
      },
    });
  });

  it('loops a change request back to AwaitEvidence only within the round limit', () => {
    const decide = stateNamed('Decide');
    expect(decide.Choices).toEqual([
      expect.objectContaining({ StringEquals: 'APPROVED', Next: 'UpgradeTier' }),
      expect.objectContaining({
        And: [
          expect.objectContaining({ StringEquals: 'CHANGES_REQUESTED' }),
          expect.objectContaining({ NumericLessThanEquals: POLICY.review.maxRounds }),
        ],
        Next: 'AwaitEvidence',
      }),
      expect.objectContaining({ StringEquals: 'CHANGES_REQUESTED', Next: 'RecordRoundLimit' }),
      expect.objectContaining({ StringEquals: 'REJECTED', Next: 'RecordRejection' }),
    ]);
    expect(stateNamed('UpgradeTier').Next).toBe('PublishListingChange');
    expect(stateNamed('PublishListingChange').Next).toBe('Notify');
  });

  it('has no dangling transitions, no unreachable state and no Pass state', () => {
    const names = new Set(states().map((s) => s.name));
    const targets = (state: AslState): string[] => [
      ...(state.Next ? [state.Next] : []),
      ...(state.Default ? [state.Default] : []),
      ...(state.Choices ?? []).map((c) => c.Next),
      ...(state.Catch ?? []).map((c) => c.Next),
    ];
    for (const { name, state } of states()) {
      for (const target of targets(state)) expect(names.has(target), `${name} → ${target}`).toBe(true);
      expect(state.Type, name).not.toBe('Pass');
    }
    const reached = new Set<string>();
    const visit = (name: string) => {
      if (reached.has(name)) return;
      reached.add(name);
      const state = stateNamed(name);
      const inner = state.ItemProcessor ?? state.Iterator;
      if (inner) visit(inner.StartAt);
      targets(state).forEach(visit);
    };
    visit(asl.StartAt);
    expect([...reached].sort()).toEqual([...names].sort());
  });
});

describe('the task states', () => {
  it('are bound by the state machine to the function of each task', () => {
    expect(new Set(taskStateBindings(asl).map((b) => b.task))).toEqual(new Set(TASK_NAMES));
  });

  it('invoke the deployed workflow functions by name', () => {
    const names = Object.values(template.findResources('AWS::Lambda::Function')).map(
      (fn) => (fn.Properties as { FunctionName: string }).FunctionName,
    );
    for (const task of TASK_NAMES) expect(names, task).toContain(functionNameFor(task));
  });
});
