/**
 * The Step Functions API of the embedded engine over its wire protocol (AWS JSON 1.0,
 * `X-Amz-Target: AWSStepFunctions.<Operation>`), so handlers use @aws-sdk/client-sfn unchanged,
 * pointed here by `AWS_ENDPOINT_URL_SFN`.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import * as z from 'zod';
import { AwsJsonServer } from '../aws-json-server.ts';
import type { AwsJsonOperation, ListenOptions } from '../aws-json-server.ts';
import type { LocalStepFunctions } from './engine.ts';
import { StepFunctionsError } from './errors.ts';

const status = z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);
const arn = z.string().min(1).max(256);
const taskToken = z.string();
const optional = <T extends z.ZodType>(schema: T) =>
  schema.nullish().transform((value) => value ?? undefined);

const requests = {
  StartExecution: z.object({ stateMachineArn: arn, name: optional(z.string()), input: optional(z.string()) }),
  DescribeExecution: z.object({ executionArn: arn }),
  DescribeStateMachine: z.object({ stateMachineArn: arn }),
  StopExecution: z.object({ executionArn: arn, error: optional(z.string()), cause: optional(z.string()) }),
  SendTaskSuccess: z.object({ taskToken, output: z.string() }),
  SendTaskFailure: z.object({ taskToken, error: optional(z.string()), cause: optional(z.string()) }),
  SendTaskHeartbeat: z.object({ taskToken }),
  GetExecutionHistory: z.object({
    executionArn: arn,
    maxResults: optional(z.number().int()),
    reverseOrder: optional(z.boolean()),
    nextToken: optional(z.string()),
    includeExecutionData: optional(z.boolean()),
  }),
  ListExecutions: z.object({
    stateMachineArn: optional(arn),
    statusFilter: optional(status),
    maxResults: optional(z.number().int()),
    nextToken: optional(z.string()),
  }),
};

function parse<T extends z.ZodType>(schema: T, body: Record<string, unknown>): z.output<T> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const detail = result.error.issues.map(
      (issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`,
    );
    throw new StepFunctionsError('ValidationException', detail.join('; '));
  }
  return result.data;
}

function operationsOf(engine: LocalStepFunctions): Record<keyof typeof requests, AwsJsonOperation> {
  return {
    StartExecution: (body) => engine.startExecution(parse(requests.StartExecution, body)),
    DescribeExecution: (body) => engine.describeExecution(parse(requests.DescribeExecution, body)),
    DescribeStateMachine: (body) => engine.describeStateMachine(parse(requests.DescribeStateMachine, body)),
    StopExecution: (body) => engine.stopExecution(parse(requests.StopExecution, body)),
    SendTaskSuccess: (body) => engine.sendTaskSuccess(parse(requests.SendTaskSuccess, body)),
    SendTaskFailure: (body) => engine.sendTaskFailure(parse(requests.SendTaskFailure, body)),
    SendTaskHeartbeat: (body) => engine.sendTaskHeartbeat(parse(requests.SendTaskHeartbeat, body)),
    GetExecutionHistory: (body) => {
      const { includeExecutionData, ...request } = parse(requests.GetExecutionHistory, body);
      const result = engine.getExecutionHistory(request);
      if (includeExecutionData !== false) return result;
      // Without execution data AWS leaves out inputs and outputs; the details keep their names.
      return { ...result, events: result.events.map(withoutExecutionData) };
    },
    ListExecutions: (body) => engine.listExecutions(parse(requests.ListExecutions, body)),
  };
}

const EXECUTION_DATA = new Set(['input', 'output', 'parameters']);

function withoutExecutionData(event: HistoryEvent): HistoryEvent {
  const entries = Object.entries(event).map(([key, value]: [string, unknown]) => {
    if (!key.endsWith('EventDetails') || value === null || typeof value !== 'object') return [key, value];
    return [key, Object.fromEntries(Object.entries(value).filter(([field]) => !EXECUTION_DATA.has(field)))];
  });
  return Object.fromEntries(entries) as HistoryEvent;
}

export class LocalStepFunctionsEndpoint {
  readonly #server: AwsJsonServer;

  constructor(engine: LocalStepFunctions) {
    this.#server = new AwsJsonServer({
      targetPrefix: 'AWSStepFunctions',
      protocolVersion: '1.0',
      operations: operationsOf(engine),
    });
  }

  /** Listens on loopback (an ephemeral port unless given) and returns the endpoint URL. */
  start(options: ListenOptions = {}): Promise<string> {
    return this.#server.start(options);
  }

  close(): Promise<void> {
    return this.#server.close();
  }
}
