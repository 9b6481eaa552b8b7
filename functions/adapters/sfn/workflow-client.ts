import type { HistoryEvent } from '@aws-sdk/client-sfn';
import {
  TaskGoneError,
  type ExecutionRecord,
  type ExecutionStatus,
  type StateEvent,
  type StartResult,
  type WorkflowClient,
} from '../../ports/workflow.ts';
import type { SfnSdk } from './sdk.ts';

/** ListExecutions' largest page. */
const LIST_PAGE_SIZE = 1000;

/**
 * The workflow port on Step Functions (on AWS, and on the embedded engine's SFN endpoint). The
 * state machine is named when a call needs it, so a function that may never call (a payment that
 * ends no application) needs no setting for it.
 */
export class SfnWorkflowClient implements WorkflowClient {
  readonly #machine: () => string;
  readonly #sdk: () => Promise<SfnSdk>;

  /**
   * `sdk`: how the SDK is loaded (adapters/sfn/client.ts with the function, client-on-demand.ts on
   * the first call).
   */
  constructor(options: {
    readonly stateMachineArn: string | (() => string);
    readonly sdk: () => Promise<SfnSdk>;
  }) {
    const arn = options.stateMachineArn;
    this.#machine = typeof arn === 'string' ? () => arn : arn;
    this.#sdk = options.sdk;
  }

  get #stateMachineArn(): string {
    return this.#machine();
  }

  /** The ARN of the execution `name` (Step Functions' documented ARN shape). */
  executionArnFor(name: string): string {
    return this.#stateMachineArn.replace(':stateMachine:', ':execution:') + `:${name}`;
  }

  async start(applicationId: string, options: { readonly name?: string } = {}): Promise<StartResult> {
    const name = options.name ?? applicationId;
    const { sfn, client } = await this.#sdk();
    try {
      const out = await client.send(
        new sfn.StartExecutionCommand({
          stateMachineArn: this.#stateMachineArn,
          name,
          input: JSON.stringify({ applicationId }),
        }),
      );
      return { started: true, executionArn: out.executionArn ?? this.executionArnFor(name) };
    } catch (error) {
      if (error instanceof Error && error.name === 'ExecutionAlreadyExists') {
        return { started: false, executionArn: this.executionArnFor(name) };
      }
      throw error;
    }
  }

  async definition(): Promise<string> {
    const { sfn, client } = await this.#sdk();
    const out = await client.send(
      new sfn.DescribeStateMachineCommand({ stateMachineArn: this.#stateMachineArn }),
    );
    if (out.definition === undefined) throw new Error('DescribeStateMachine returned no definition');
    return out.definition;
  }

  /** DescribeExecution, then the history a thousand events a page, without inputs and outputs. */
  async execution(name: string): Promise<ExecutionRecord | undefined> {
    const executionArn = this.executionArnFor(name);
    const { sfn, client } = await this.#sdk();
    try {
      const described = await client.send(new sfn.DescribeExecutionCommand({ executionArn }));
      const events: StateEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.send(
          new sfn.GetExecutionHistoryCommand({
            executionArn,
            maxResults: LIST_PAGE_SIZE,
            includeExecutionData: false,
            nextToken,
          }),
        );
        for (const event of page.events ?? []) {
          const state = stateEventOf(event);
          if (state !== undefined) events.push(state);
        }
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
      return {
        name,
        status: described.status ?? 'RUNNING',
        startedAt: (described.startDate ?? new Date(0)).toISOString(),
        ...(described.stopDate === undefined ? {} : { stoppedAt: described.stopDate.toISOString() }),
        events,
      };
    } catch (error) {
      if (error instanceof Error && error.name === 'ExecutionDoesNotExist') return undefined;
      throw error;
    }
  }

  async status(name: string): Promise<ExecutionStatus | undefined> {
    const { sfn, client } = await this.#sdk();
    try {
      const out = await client.send(
        new sfn.DescribeExecutionCommand({ executionArn: this.executionArnFor(name) }),
      );
      return out.status;
    } catch (error) {
      if (error instanceof Error && error.name === 'ExecutionDoesNotExist') return undefined;
      throw error;
    }
  }

  /** A thousand names per ListExecutions call. */
  async runningNames(): Promise<Set<string>> {
    const { sfn, client } = await this.#sdk();
    const names = new Set<string>();
    let nextToken: string | undefined;
    do {
      const out = await client.send(
        new sfn.ListExecutionsCommand({
          stateMachineArn: this.#stateMachineArn,
          statusFilter: 'RUNNING',
          maxResults: LIST_PAGE_SIZE,
          nextToken,
        }),
      );
      for (const execution of out.executions ?? []) if (execution.name) names.add(execution.name);
      nextToken = out.nextToken;
    } while (nextToken !== undefined);
    return names;
  }

  async stop(name: string, cause: string): Promise<void> {
    const { sfn, client } = await this.#sdk();
    try {
      await client.send(new sfn.StopExecutionCommand({ executionArn: this.executionArnFor(name), cause }));
    } catch (error) {
      if (error instanceof Error && error.name === 'ExecutionDoesNotExist') return;
      throw error;
    }
  }

  async sendTaskSuccess(taskToken: string, output: unknown): Promise<void> {
    const { sfn, client } = await this.#sdk();
    await withGoneTasks(() =>
      client.send(new sfn.SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })),
    );
  }

  async sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void> {
    const { sfn, client } = await this.#sdk();
    await withGoneTasks(() => client.send(new sfn.SendTaskFailureCommand({ taskToken, error, cause })));
  }
}

/** A history event that enters or leaves a named state; the others (tasks, map iterations) say nothing more here. */
function stateEventOf(event: HistoryEvent): StateEvent | undefined {
  const at = (event.timestamp ?? new Date(0)).toISOString();
  const type = event.type ?? '';
  if (type.endsWith('StateEntered') && event.stateEnteredEventDetails?.name) {
    return { at, kind: 'ENTERED', state: event.stateEnteredEventDetails.name };
  }
  if (type.endsWith('StateExited') && event.stateExitedEventDetails?.name) {
    return { at, kind: 'EXITED', state: event.stateExitedEventDetails.name };
  }
  return undefined;
}

async function withGoneTasks(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (error instanceof Error && (error.name === 'TaskTimedOut' || error.name === 'TaskDoesNotExist')) {
      throw new TaskGoneError(error.name, { cause: error });
    }
    throw error;
  }
}
