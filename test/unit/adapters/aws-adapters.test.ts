import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeListingEvents } from '../../../functions/adapters/eventbridge/listing-events.ts';
import { mailerFromEnv } from '../../../functions/composition/mailer.ts';
import { SfnWorkflowClient } from '../../../functions/adapters/sfn/workflow-client.ts';
import { TaskGoneError } from '../../../functions/ports/workflow.ts';
import { useAwsEnv } from '../../support/aws-env.ts';
import { startRecordingEndpoint, type RecordingEndpoint } from '../../support/recording-endpoint.ts';

/**
 * The SDK adapters against a loopback endpoint reached only through AWS_ENDPOINT_URL_<SERVICE>:
 * this also shows that the shared clients need no endpoint code of their own.
 */

const MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:RepairApplication';
const client = new SfnWorkflowClient({ stateMachineArn: MACHINE_ARN });
const events = new EventBridgeListingEvents({ busName: 'credit-repair-bus' });
let endpoint: RecordingEndpoint;
let restoreEnv: () => void;

beforeAll(async () => {
  endpoint = await startRecordingEndpoint();
  restoreEnv = useAwsEnv({
    AWS_ENDPOINT_URL_SFN: endpoint.url,
    AWS_ENDPOINT_URL_SESV2: endpoint.url,
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoint.url,
  });
});

afterAll(async () => {
  restoreEnv();
  await endpoint.stop();
});

beforeEach(() => {
  endpoint.requests.length = 0;
});

const target = (i = 0) => endpoint.requests[i]?.headers['x-amz-target'];
const body = (i = 0) => JSON.parse(endpoint.requests[i]?.body ?? '{}') as Record<string, unknown>;
const awsError = (type: string) => ({ status: 400, body: { __type: type, message: type } });

describe('the workflow client', () => {
  it('starts an execution named after the application, with the id as input', async () => {
    endpoint.reply(() => ({
      status: 200,
      body: { executionArn: client.executionArnFor('APP-1'), startDate: 1 },
    }));
    const result = await client.start('APP-1');
    expect(result).toEqual({
      started: true,
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:RepairApplication:APP-1',
    });
    expect(target()).toBe('AWSStepFunctions.StartExecution');
    expect(body()).toEqual({
      stateMachineArn: MACHINE_ARN,
      name: 'APP-1',
      input: '{"applicationId":"APP-1"}',
    });
  });

  it('treats an existing execution of that name as already started', async () => {
    endpoint.reply(() => awsError('ExecutionAlreadyExists'));
    expect(await client.start('APP-1', { name: 'APP-1-r2' })).toEqual({
      started: false,
      executionArn: client.executionArnFor('APP-1-r2'),
    });
  });

  it('maps TaskTimedOut and TaskDoesNotExist to TaskGoneError and passes other errors through', async () => {
    endpoint.reply(() => awsError('TaskTimedOut'));
    const timedOut = client.sendTaskSuccess('token-1', { party: 'TAX', decision: 'APPROVE' });
    await expect(timedOut).rejects.toBeInstanceOf(TaskGoneError);
    await expect(timedOut).rejects.toMatchObject({ reason: 'TaskTimedOut' });
    expect(body()).toEqual({ taskToken: 'token-1', output: '{"party":"TAX","decision":"APPROVE"}' });

    endpoint.reply(() => awsError('TaskDoesNotExist'));
    await expect(
      client.sendTaskFailure('token-2', 'Deadline.Expired', 'review timeout'),
    ).rejects.toMatchObject({
      name: 'TaskGoneError',
      reason: 'TaskDoesNotExist',
    });

    endpoint.reply(() => awsError('InvalidToken'));
    const invalid = client.sendTaskSuccess('garbage', {});
    await expect(invalid).rejects.not.toBeInstanceOf(TaskGoneError);
    await expect(invalid).rejects.toMatchObject({ name: 'InvalidToken' });
  });

  it('reports execution status, or undefined when there is none', async () => {
    endpoint.reply(() => ({
      status: 200,
      body: { status: 'RUNNING', executionArn: 'x', stateMachineArn: MACHINE_ARN, startDate: 1 },
    }));
    expect(await client.status('APP-1')).toBe('RUNNING');
    expect(body()).toEqual({ executionArn: client.executionArnFor('APP-1') });

    endpoint.reply(() => awsError('ExecutionDoesNotExist'));
    expect(await client.status('APP-9')).toBeUndefined();
    await expect(client.stop('APP-9', 'withdrawn')).resolves.toBeUndefined();
  });
});

describe('the SES mailer', () => {
  it('sends both parts in UTF-8 from SENDER_EMAIL with the configuration set and tags', async () => {
    endpoint.reply(() => ({ status: 200, body: { MessageId: 'ses-message-1' } }));
    const mailer = mailerFromEnv({
      SENDER_EMAIL: 'noreply@customs.example.cn',
      SES_CONFIGURATION_SET: 'credit-repair',
    });
    const sent = await mailer.send({
      to: ['reviewer@tax.example.cn'],
      subject: '审核 / Review',
      text: '请审核 / Please review',
      html: '<p>请审核</p>',
      tags: { kind: 'review-request', application: 'APP 1' },
    });
    expect(sent).toEqual({ messageId: 'ses-message-1' });
    const request = endpoint.requests[0];
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v2/email/outbound-emails');
    expect(body()).toMatchObject({
      FromEmailAddress: 'noreply@customs.example.cn',
      Destination: { ToAddresses: ['reviewer@tax.example.cn'] },
      ConfigurationSetName: 'credit-repair',
      Content: {
        Simple: {
          Subject: { Data: '审核 / Review', Charset: 'UTF-8' },
          Body: { Text: { Data: '请审核 / Please review' }, Html: { Data: '<p>请审核</p>' } },
        },
      },
      EmailTags: [
        { Name: 'kind', Value: 'review-request' },
        { Name: 'application', Value: 'APP_1' },
      ],
    });
  });
});

describe('the events publisher', () => {
  const detail = {
    enterpriseId: '1234567890',
    fromTier: 'DISHONEST',
    toTier: 'REGULAR',
    reason: 'REPAIRED',
    effectiveOn: '2026-05-01',
    policyId: 'GAC-282-2026',
    changeId: 'APP-1#REPAIRED',
    applicationId: 'APP-1',
  };

  it('puts a ListingChanged event from credit-repair on the bus', async () => {
    endpoint.reply(() => ({ status: 200, body: { FailedEntryCount: 0, Entries: [{ EventId: 'evt-1' }] } }));
    expect(await events.publishListingChanged(detail)).toEqual({ eventId: 'evt-1' });
    expect(target()).toBe('AWSEvents.PutEvents');
    const [entry] = body().Entries as Record<string, unknown>[];
    expect(entry).toMatchObject({
      EventBusName: 'credit-repair-bus',
      Source: 'credit-repair',
      DetailType: 'ListingChanged',
    });
    expect(JSON.parse(entry?.Detail as string)).toEqual(detail);
  });

  it('fails when the bus refuses the entry, so the step retries', async () => {
    endpoint.reply(() => ({
      status: 200,
      body: { FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }] },
    }));
    await expect(events.publishListingChanged(detail)).rejects.toThrow(/InternalFailure/);
  });
});
