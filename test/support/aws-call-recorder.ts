import type { InitializeMiddleware, MiddlewareStack } from '@smithy/types';
import { documentClient, dynamoClient } from '../../functions/adapters/dynamodb/client.ts';
import { eventBridgeClient } from '../../functions/adapters/eventbridge/client.ts';
import { s3Client } from '../../functions/adapters/s3/client.ts';
import { sesClient } from '../../functions/adapters/ses/client.ts';
import { sfnClient } from '../../functions/adapters/sfn/client.ts';
import { currentFunctionKey } from '../../local/call-attribution.ts';

/**
 * Records every command sent through the SDK clients it is installed on, with the function that
 * sent it (local/call-attribution.ts) and the IAM actions AWS checks for it. An `initialize`
 * middleware sees the command before serialization, so a DocumentClient call still carries its
 * plain-JS key and the call is recorded even when the service then refuses it.
 */

/** One command as IAM sees it: who sent it, what it needs, and on which resource. */
export interface RecordedAwsCall {
  /** The sending function as infra/function-access.ts names it; undefined outside any handler. */
  readonly functionKey: string | undefined;
  /** The SDK command, e.g. `GetItemCommand` (a DocumentClient `GetCommand` reaches the stack as its inner command). */
  readonly command: string;
  /** The IAM actions the call needs, e.g. `['dynamodb:GetItem']`; a transaction needs one per item kind. */
  readonly actions: readonly string[];
  readonly table?: string;
  readonly index?: string;
  /** The partition key (`pk`) of a single-item call, from its Key or Item. */
  readonly partition?: string;
  readonly bucket?: string;
  readonly objectKey?: string;
  /** SES: the From address the `ses:FromAddress` condition is checked against. */
  readonly fromAddress?: string;
  /** When the call was sent and answered (performance.now()): which calls overlapped (bench/round-trips-bench.ts). */
  readonly sentAt?: number;
  readonly answeredAt?: number;
}

/** IAM service prefix by the SDK client's name (the `clientName` of the handler context). */
const IAM_SERVICE: Readonly<Record<string, string>> = {
  DynamoDBClient: 'dynamodb',
  S3Client: 's3',
  SFNClient: 'states',
  SESv2Client: 'ses',
  EventBridgeClient: 'events',
  SecretsManagerClient: 'secretsmanager',
};

/**
 * The IAM action of each SDK operation, per service, where it is not simply the operation's name.
 * Operations absent from both maps make the recorder throw: a call nobody mapped is a call nobody
 * checked.
 */
const RENAMED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  // HeadObject is authorized as GetObject; listing is ListBucket on the bucket.
  s3: { HeadObject: 'GetObject', ListObjectsV2: 'ListBucket', HeadBucket: 'ListBucket' },
};
const SAME_NAME: Readonly<Record<string, readonly string[]>> = {
  dynamodb: [
    'GetItem',
    'PutItem',
    'UpdateItem',
    'DeleteItem',
    'Query',
    'Scan',
    'BatchGetItem',
    'BatchWriteItem',
    'ConditionCheckItem',
    'DescribeTable',
    'CreateTable',
  ],
  s3: ['GetObject', 'PutObject', 'DeleteObject'],
  states: [
    'StartExecution',
    'StopExecution',
    'DescribeExecution',
    'DescribeStateMachine',
    'GetExecutionHistory',
    'ListExecutions',
    'SendTaskSuccess',
    'SendTaskFailure',
    'SendTaskHeartbeat',
  ],
  ses: ['SendEmail'],
  events: ['PutEvents'],
  secretsmanager: ['GetSecretValue'],
};

/** TransactWriteItems has no IAM action of its own: each item is authorized as its kind. */
const TRANSACT_WRITE_ITEM_ACTION: Readonly<Record<string, string>> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
};

type Input = Readonly<Record<string, unknown>>;

const asRecord = (value: unknown): Input | undefined =>
  typeof value === 'object' && value !== null ? (value as Input) : undefined;

/** The IAM actions an SDK command needs. Throws for a client or operation not mapped above. */
export function iamActionsOf(clientName: string, commandName: string, input: Input): string[] {
  const service = IAM_SERVICE[clientName];
  if (service === undefined) throw new Error(`no IAM service known for the SDK client ${clientName}`);
  const operation = commandName.replace(/Command$/, '');
  if (service === 'dynamodb' && operation === 'TransactWriteItems') {
    const items = (input['TransactItems'] as readonly Input[] | undefined) ?? [];
    const kinds = items.flatMap((item) => Object.keys(item));
    return [...new Set(kinds.map((kind) => `dynamodb:${TRANSACT_WRITE_ITEM_ACTION[kind] ?? kind}`))];
  }
  if (service === 'dynamodb' && operation === 'TransactGetItems') return ['dynamodb:GetItem'];
  // A copy reads its source and writes its destination.
  if (service === 's3' && operation === 'CopyObject') return ['s3:GetObject', 's3:PutObject'];
  const renamed = RENAMED[service]?.[operation];
  if (renamed !== undefined) return [`${service}:${renamed}`];
  if (SAME_NAME[service]?.includes(operation)) return [`${service}:${operation}`];
  throw new Error(
    `${clientName} ${commandName}: no IAM action mapped (test/support/aws-call-recorder.ts); add it`,
  );
}

/** `pk` from a DocumentClient key (a string) or a low-level one (`{ S: string }`). */
function partitionOf(input: Input): string | undefined {
  const pk = asRecord(input['Key'])?.['pk'] ?? asRecord(input['Item'])?.['pk'];
  if (typeof pk === 'string') return pk;
  const attribute = asRecord(pk)?.['S'];
  return typeof attribute === 'string' ? attribute : undefined;
}

function describeCall(clientName: string, commandName: string, input: Input): RecordedAwsCall {
  const text = (name: string): string | undefined =>
    typeof input[name] === 'string' ? (input[name] as string) : undefined;
  const details: Record<string, string> = {};
  const add = (name: keyof RecordedAwsCall, value: string | undefined): void => {
    if (value !== undefined) details[name] = value;
  };
  add('table', text('TableName'));
  add('index', text('IndexName'));
  add('partition', partitionOf(input));
  add('bucket', text('Bucket'));
  add('objectKey', text('Key'));
  add('fromAddress', text('FromEmailAddress'));
  return {
    functionKey: currentFunctionKey(),
    command: commandName,
    actions: iamActionsOf(clientName, commandName, input),
    ...details,
  };
}

const MIDDLEWARE_NAME = 'grantsCoverCallsRecorder';

/** Something with an SDK v3 middleware stack: any client, or a DocumentClient (which shares its client's). */
export interface HasMiddlewareStack {
  // The stacks of different clients differ only in their input and output types.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly middlewareStack: MiddlewareStack<any, any>;
}

export class AwsCallRecorder {
  readonly calls: RecordedAwsCall[] = [];
  /** Commands the recorder could not map: kept, so the test reports them rather than the SDK call failing. */
  readonly unmapped: string[] = [];
  readonly #stacks = new WeakSet<object>();

  /**
   * Records the commands of `client` from now on. A stack already recorded is skipped: a
   * DocumentClient and its DynamoDBClient share one stack, and each call must count once.
   */
  install(client: HasMiddlewareStack): void {
    if (this.#stacks.has(client.middlewareStack)) return;
    this.#stacks.add(client.middlewareStack);
    const record: InitializeMiddleware<Input, object> = (next, context) => async (args) => {
      const sentAt = performance.now();
      let call: RecordedAwsCall | undefined;
      try {
        call = {
          ...describeCall(String(context.clientName), String(context.commandName), args.input),
          sentAt,
        };
        this.calls.push(call);
      } catch (error) {
        this.unmapped.push((error as Error).message);
      }
      try {
        return await next(args);
      } finally {
        const at = call === undefined ? -1 : this.calls.indexOf(call);
        if (call !== undefined && at >= 0) this.calls[at] = { ...call, answeredAt: performance.now() };
      }
    };
    client.middlewareStack.add(record, { step: 'initialize', name: MIDDLEWARE_NAME });
  }

  /** The calls sent outside any function (the test's own setup, or a handler that escaped attribution). */
  unattributed(): RecordedAwsCall[] {
    return this.calls.filter((call) => call.functionKey === undefined);
  }

  /** Each function's IAM actions, as sorted lists. */
  actionsByFunction(): Map<string, string[]> {
    const byFunction = new Map<string, Set<string>>();
    for (const call of this.calls) {
      if (call.functionKey === undefined) continue;
      const actions = byFunction.get(call.functionKey) ?? new Set<string>();
      for (const action of call.actions) actions.add(action);
      byFunction.set(call.functionKey, actions);
    }
    return new Map([...byFunction].map(([key, actions]) => [key, [...actions].sort()]));
  }
}

/**
 * Records every call of the SDK clients the handlers share (the client.ts of each functions/adapters folder). The
 * Powertools idempotency layer is given dynamoClient() itself and the DocumentClient shares its
 * stack, so these see every table, bucket, workflow, mail and event call a request makes.
 */
export function recordHandlerClients(recorder: AwsCallRecorder): void {
  for (const client of [
    dynamoClient(),
    documentClient(),
    s3Client(),
    sfnClient(),
    sesClient(),
    eventBridgeClient(),
  ]) {
    recorder.install(client);
  }
}
