import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidToken,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { LambdaRegistry } from '../../local/lambda-registry.ts';
import { LocalStepFunctions } from '../../local/stepfunctions/engine.ts';
import { LocalStepFunctionsEndpoint } from '../../local/stepfunctions/endpoint.ts';
import { MAX_TIMER_SECONDS, prepareDefinition } from '../../local/stepfunctions/definition.ts';
import { mintTaskToken } from '../../local/stepfunctions/task-tokens.ts';
import { StepFunctionsError } from '../../local/stepfunctions/errors.ts';

const REGION = 'cn-north-1';
const ACCOUNT = '000000000000';
const SIXTY_DAYS = 60 * 24 * 3600;
const fn = (name: string) => `arn:aws-cn:lambda:${REGION}:${ACCOUNT}:function:${name}`;

/** Task → callback Map over the parties → Choice → Succeed, shaped like CDK's synthesized ASL. */
function reviewDefinition(reviewTimeoutSeconds = SIXTY_DAYS) {
  return {
    StartAt: 'Prepare',
    States: {
      Prepare: {
        Type: 'Task',
        Resource: 'arn:aws-cn:states:::lambda:invoke',
        Parameters: { FunctionName: fn('prepare'), 'Payload.$': '$' },
        ResultSelector: { 'parties.$': '$.Payload.parties' },
        ResultPath: '$.prepared',
        Retry: [
          {
            ErrorEquals: [
              'Lambda.ServiceException',
              'Lambda.AWSLambdaException',
              'Lambda.SdkClientException',
            ],
            IntervalSeconds: 2,
            MaxAttempts: 6,
            BackoffRate: 2,
          },
        ],
        Next: 'Review',
      },
      Review: {
        Type: 'Map',
        ItemsPath: '$.prepared.parties',
        ItemSelector: { 'party.$': '$$.Map.Item.Value', 'applicationId.$': '$.applicationId' },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'OpenReview',
          States: {
            OpenReview: {
              Type: 'Task',
              Resource: 'arn:aws-cn:states:::lambda:invoke.waitForTaskToken',
              Parameters: {
                FunctionName: fn('open-review'),
                Payload: {
                  'applicationId.$': '$.applicationId',
                  'party.$': '$.party',
                  'taskToken.$': '$$.Task.Token',
                },
              },
              TimeoutSeconds: reviewTimeoutSeconds,
              End: true,
            },
          },
        },
        ResultPath: '$.decisions',
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'ReviewFailed' }],
        Next: 'Tally',
      },
      Tally: {
        Type: 'Choice',
        Choices: [
          {
            And: [
              { Variable: '$.decisions[0].decision', StringEquals: 'APPROVE' },
              { Variable: '$.decisions[1].decision', StringEquals: 'APPROVE' },
            ],
            Next: 'Approved',
          },
        ],
        Default: 'NotApproved',
      },
      ReviewFailed: { Type: 'Pass', Next: 'NotApproved' },
      NotApproved: { Type: 'Succeed' },
      Approved: { Type: 'Succeed' },
    },
  };
}

interface ReviewCall {
  readonly applicationId: string;
  readonly party: string;
  readonly taskToken: string;
}

/** Review invocations as they happen; `next()` waits for the following one. */
class ReviewInbox {
  readonly #calls: ReviewCall[] = [];
  readonly #waiters: ((call: ReviewCall) => void)[] = [];

  push(call: ReviewCall): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter(call);
    else this.#calls.push(call);
  }

  next(): Promise<ReviewCall> {
    const call = this.#calls.shift();
    if (call) return Promise.resolve(call);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  async take(count: number): Promise<ReviewCall[]> {
    const calls: ReviewCall[] = [];
    for (let i = 0; i < count; i += 1) calls.push(await this.next());
    return calls.sort((a, b) => a.party.localeCompare(b.party));
  }
}

describe('local Step Functions engine over the SFN wire protocol', () => {
  let lambda: LambdaRegistry;
  let engine: LocalStepFunctions;
  let endpoint: LocalStepFunctionsEndpoint;
  let sfn: SFNClient;
  let inbox: ReviewInbox;
  let stateMachineArn: string;

  beforeEach(async () => {
    inbox = new ReviewInbox();
    lambda = new LambdaRegistry({ region: REGION, accountId: ACCOUNT });
    lambda.register('prepare', (event: { applicationId: string }) => ({
      applicationId: event.applicationId,
      parties: ['CUSTOMS', 'TAX'],
    }));
    lambda.register('open-review', (event: ReviewCall) => {
      inbox.push(event);
      return { opened: event.party };
    });
    engine = new LocalStepFunctions({ lambda, region: REGION, accountId: ACCOUNT, retryPauseMs: 0 });
    stateMachineArn = engine.createStateMachine({
      name: 'RepairApplication',
      definition: reviewDefinition(),
    }).stateMachineArn;
    endpoint = new LocalStepFunctionsEndpoint(engine);
    const url = await endpoint.start({ port: 0 });
    sfn = new SFNClient({
      region: REGION,
      endpoint: url,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  });

  afterEach(async () => {
    sfn.destroy();
    await engine.dispose();
    await endpoint.close();
  });

  async function start(name: string, input: object = { applicationId: name }) {
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
    );
    return started.executionArn as string;
  }

  it('runs to the end when every callback succeeds, with the history and transitions of the run', async () => {
    const executionArn = await start('APP-1');
    expect(executionArn).toBe(`arn:aws-cn:states:${REGION}:${ACCOUNT}:execution:RepairApplication:APP-1`);

    const calls = await inbox.take(2);
    expect(calls.map((call) => [call.applicationId, call.party])).toEqual([
      ['APP-1', 'CUSTOMS'],
      ['APP-1', 'TAX'],
    ]);
    const [customs, tax] = calls as [ReviewCall, ReviewCall];
    expect(customs.taskToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(customs.taskToken).not.toBe(tax.taskToken);

    // A callback timeout of 60 days must not fire at once (Node clamps such timers to 1 ms).
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');

    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: customs.taskToken }));
    for (const call of calls) {
      const output = JSON.stringify({ party: call.party, decision: 'APPROVE' });
      await sfn.send(new SendTaskSuccessCommand({ taskToken: call.taskToken, output }));
    }
    await engine.waitForExecution(executionArn);

    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.status).toBe('SUCCEEDED');
    expect(described.startDate).toBeInstanceOf(Date);
    expect(described.stopDate).toBeInstanceOf(Date);
    expect(JSON.parse(described.input ?? '')).toEqual({ applicationId: 'APP-1' });
    expect(JSON.parse(described.output ?? '')).toEqual({
      applicationId: 'APP-1',
      prepared: { parties: ['CUSTOMS', 'TAX'] },
      decisions: [
        { party: 'CUSTOMS', decision: 'APPROVE' },
        { party: 'TAX', decision: 'APPROVE' },
      ],
    });

    const { events = [] } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }),
    );
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    const entered = events
      .filter((event) => event.type?.endsWith('StateEntered'))
      .map((event) => event.stateEnteredEventDetails?.name);
    expect(entered).toEqual(['Prepare', 'Review', 'OpenReview', 'OpenReview', 'Tally', 'Approved']);
    expect(types.filter((type) => type === 'MapIterationStarted')).toHaveLength(2);
    expect(types.filter((type) => type === 'TaskScheduled')).toHaveLength(3);
    expect(types.filter((type) => type === 'TaskSucceeded')).toHaveLength(3);
    // Task events follow their state's entry.
    expect(types.indexOf('TaskStateEntered')).toBeLessThan(types.indexOf('TaskScheduled'));
    expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
    expect(engine.transitionCount(executionArn)).toBe(6);

    const running = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING' }));
    expect(running.executions).toEqual([]);
    const succeeded = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: 'SUCCEEDED' }),
    );
    expect(succeeded.executions?.map((execution) => execution.name)).toEqual(['APP-1']);
  });

  it('routes a SendTaskFailure through the Catch, and voids the sibling callback', async () => {
    const executionArn = await start('APP-2');
    const [customs, tax] = (await inbox.take(2)) as [ReviewCall, ReviewCall];

    await sfn.send(
      new SendTaskFailureCommand({
        taskToken: customs.taskToken,
        error: 'Review.Rejected',
        cause: 'documents forged',
      }),
    );
    const described = await engine.waitForExecution(executionArn);

    expect(described.status).toBe('SUCCEEDED');
    const output = JSON.parse(described.output ?? '') as { failure: { Error: string; Cause: string } };
    expect(output.failure).toEqual({ Error: 'Review.Rejected', Cause: 'documents forged' });
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const entered = events
      .filter((event) => event.type?.endsWith('StateEntered'))
      .map((event) => event.stateEnteredEventDetails?.name);
    expect(entered).toEqual(['Prepare', 'Review', 'OpenReview', 'OpenReview', 'ReviewFailed', 'NotApproved']);
    expect(events.find((event) => event.type === 'TaskFailed')?.taskFailedEventDetails).toMatchObject({
      error: 'Review.Rejected',
      cause: 'documents forged',
    });

    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: tax.taskToken, output: '{"decision":"APPROVE"}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('answers TaskDoesNotExist for an unknown token and InvalidToken for a malformed one', async () => {
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: mintTaskToken(), output: '{}' })),
    ).rejects.toBeInstanceOf(TaskDoesNotExist);
    await expect(
      sfn.send(new SendTaskFailureCommand({ taskToken: 'not a token', error: 'X' })),
    ).rejects.toBeInstanceOf(InvalidToken);
  });

  it('rejects output that is not JSON without consuming the token', async () => {
    const executionArn = await start('APP-3');
    const [customs, tax] = (await inbox.take(2)) as [ReviewCall, ReviewCall];

    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: customs.taskToken, output: '{nope' })),
    ).rejects.toMatchObject({ name: 'InvalidOutput' });
    await sfn.send(
      new SendTaskSuccessCommand({ taskToken: customs.taskToken, output: '{"decision":"APPROVE"}' }),
    );
    await sfn.send(new SendTaskSuccessCommand({ taskToken: tax.taskToken, output: '{"decision":"REJECT"}' }));
    const described = await engine.waitForExecution(executionArn);
    expect(described.status).toBe('SUCCEEDED');
    const { events = [] } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }),
    );
    expect(events[0]?.type).toBe('ExecutionSucceeded');
    expect(events.find((event) => event.stateEnteredEventDetails)?.stateEnteredEventDetails?.name).toBe(
      'NotApproved',
    );
  });

  it('makes pending tokens answer TaskTimedOut after StopExecution', async () => {
    const executionArn = await start('APP-4');
    const [customs] = (await inbox.take(2)) as [ReviewCall, ReviewCall];

    await sfn.send(
      new StopExecutionCommand({ executionArn, error: 'Application.Withdrawn', cause: 'by applicant' }),
    );
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described).toMatchObject({
      status: 'ABORTED',
      error: 'Application.Withdrawn',
      cause: 'by applicant',
    });

    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: customs.taskToken, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
    await engine.waitForExecution(executionArn);
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events.at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'Application.Withdrawn', cause: 'by applicant' },
    });
    // Only Prepare's task succeeded; neither review did.
    expect(events.filter((event) => event.type === 'TaskSucceeded')).toHaveLength(1);
  });

  it('treats a repeated StartExecution as AWS does', async () => {
    const first = await start('APP-5');
    // Same name and input while running: the same execution.
    expect(await start('APP-5')).toBe(first);
    await expect(start('APP-5', { applicationId: 'other' })).rejects.toBeInstanceOf(ExecutionAlreadyExists);

    const running = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING' }));
    expect(running.executions?.map((execution) => execution.executionArn)).toEqual([first]);

    await sfn.send(new StopExecutionCommand({ executionArn: first }));
    // Closed: the name stays taken, even with the same input.
    await expect(start('APP-5')).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await expect(
      sfn.send(new DescribeExecutionCommand({ executionArn: first.replace('APP-5', 'APP-NONE') })),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
  });

  it('retries a Lambda.ServiceException and runs the handler again', async () => {
    let prepared = 0;
    lambda.register('prepare', (event: { applicationId: string }) => {
      prepared += 1;
      return { applicationId: event.applicationId, parties: ['CUSTOMS', 'TAX'] };
    });
    // The response of the first call is lost after the handler did its work.
    lambda.failNextInvocation('prepare', 'Lambda.ServiceException', { afterHandler: true });

    const executionArn = await start('APP-6');
    const calls = await inbox.take(2);
    expect(prepared).toBe(2);
    expect(lambda.invocationCount('prepare')).toBe(2);
    for (const call of calls) {
      await sfn.send(
        new SendTaskSuccessCommand({ taskToken: call.taskToken, output: '{"decision":"APPROVE"}' }),
      );
    }
    const described = await engine.waitForExecution(executionArn);
    expect(described.status).toBe('SUCCEEDED');

    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const prepareEvents = events
      .filter(
        (event) => event.taskScheduledEventDetails?.resource === 'invoke' || event.taskFailedEventDetails,
      )
      .map((event) => event.type);
    expect(prepareEvents).toEqual(['TaskScheduled', 'TaskFailed', 'TaskScheduled']);
    // Six states entered plus one retry.
    expect(engine.transitionCount(executionArn)).toBe(7);
  });

  it('fails the execution with the error type a handler throws when nothing catches it', async () => {
    class EligibilityError extends Error {
      override name = 'Eligibility.Refused';
    }
    lambda.register('prepare', () => {
      throw new EligibilityError('not downgraded');
    });
    const executionArn = await start('APP-7');
    const described = await engine.waitForExecution(executionArn);
    expect(described.status).toBe('FAILED');
    expect(described.error).toBe('Eligibility.Refused');
    expect(JSON.parse(described.cause ?? '')).toEqual({
      errorType: 'Eligibility.Refused',
      errorMessage: 'not downgraded',
    });
    expect(lambda.invocationCount('prepare')).toBe(1);
  });

  it('accepts a callback sent by the invoked function itself, before its invocation returns', async () => {
    // A memoized callback step that finds its wait already satisfied answers at once.
    lambda.register('open-review', async (event: ReviewCall) => {
      const output = JSON.stringify({ party: event.party, decision: 'APPROVE' });
      await sfn.send(new SendTaskSuccessCommand({ taskToken: event.taskToken, output }));
      return { answered: true };
    });
    const executionArn = await start('APP-9');
    const described = await engine.waitForExecution(executionArn);

    expect(described.status).toBe('SUCCEEDED');
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events.find((event) => event.type === 'SucceedStateEntered')?.stateEnteredEventDetails?.name).toBe(
      'Approved',
    );
    expect(events.filter((event) => event.type === 'TaskSubmitted')).toEqual([]);
  });

  it('times out a callback whose TimeoutSeconds is within timer range, and its token then answers TaskTimedOut', async () => {
    const shortArn = engine.createStateMachine({
      name: 'ShortReview',
      definition: reviewDefinition(1),
    }).stateMachineArn;
    const { executionArn } = engine.startExecution({
      stateMachineArn: shortArn,
      name: 'APP-8',
      input: '{"applicationId":"APP-8"}',
    });
    const [customs] = (await inbox.take(2)) as [ReviewCall, ReviewCall];
    const described = await engine.waitForExecution(executionArn);

    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output ?? '')).toMatchObject({ failure: { Error: 'States.Timeout' } });
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: customs.taskToken, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });
});

describe('loading a definition for the local engine', () => {
  const lambda = new LambdaRegistry();

  it('caps task timeouts to what a Node timer can hold and keeps shorter ones', () => {
    const { definition, tasks } = prepareDefinition({
      StartAt: 'Long',
      TimeoutSeconds: 31_536_000,
      States: {
        Long: { Type: 'Task', Resource: fn('a'), TimeoutSeconds: SIXTY_DAYS, Next: 'NoTimeout' },
        NoTimeout: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'b' },
          Next: 'Short',
        },
        Short: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          TimeoutSeconds: 30,
          End: true,
        },
      },
    });
    const states = definition.States as Record<string, { TimeoutSeconds?: number }>;
    expect(states['Long']?.TimeoutSeconds).toBe(MAX_TIMER_SECONDS);
    expect(states['NoTimeout']?.TimeoutSeconds).toBe(MAX_TIMER_SECONDS);
    expect(states['Short']?.TimeoutSeconds).toBe(30);
    expect(MAX_TIMER_SECONDS * 1000).toBeLessThanOrEqual(2 ** 31 - 1);
    expect(definition.TimeoutSeconds).toBeUndefined();
    expect(tasks.get('Long')).toMatchObject({ kind: 'lambda-function', functionName: 'a' });
    expect(tasks.get('Short')).toMatchObject({ kind: 'lambda-callback', tokenTimeoutSeconds: 30 });
  });

  it('refuses resources the engine cannot run and invalid ASL', () => {
    const engine = new LocalStepFunctions({ lambda });
    expect(() =>
      engine.createStateMachine({
        name: 'Sqs',
        definition: {
          StartAt: 'Send',
          States: { Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } },
        },
      }),
    ).toThrow(StepFunctionsError);
    expect(() =>
      engine.createStateMachine({ name: 'Broken', definition: { StartAt: 'Nowhere', States: {} } }),
    ).toThrow(/InvalidDefinition|invalid/i);
  });
});
