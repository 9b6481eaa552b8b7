import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoClient } from '../../../functions/adapters/dynamodb/client.ts';
import { sesClient } from '../../../functions/adapters/ses/client.ts';
import { SesMailer } from '../../../functions/adapters/ses/mailer.ts';
import { smtpSettings } from '../../../functions/adapters/secrets-manager/smtp-settings.ts';
import {
  TRANSIENT_ERROR_NAME,
  TransientError,
  isTransient,
  retryableOnTransient,
} from '../../../functions/workflow/transient-errors.ts';
import { useAwsEnv } from '../../support/aws-env.ts';
import {
  startRecordingEndpoint,
  type RecordingEndpoint,
  type ScriptedReply,
} from '../../support/recording-endpoint.ts';

/**
 * The classification on the errors the SDK really raises: each service's answer is scripted on
 * the wire (a loopback endpoint reached through AWS_ENDPOINT_URL_<SERVICE>), and the real clients
 * sign, send and parse it. The SDK's own retries are off (AWS_MAX_ATTEMPTS=1) so each call sees
 * the scripted answer once.
 */

let endpoint: RecordingEndpoint;
let restoreEnv: () => void;

beforeAll(async () => {
  endpoint = await startRecordingEndpoint();
  restoreEnv = useAwsEnv({
    AWS_ENDPOINT_URL_SESV2: endpoint.url,
    AWS_ENDPOINT_URL_DYNAMODB: endpoint.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint.url,
    AWS_MAX_ATTEMPTS: '1',
  });
});

afterAll(async () => {
  restoreEnv();
  await endpoint.stop();
});

/** What the wrapped call throws when the service answers `reply`. */
async function thrownBy(call: () => Promise<unknown>, reply: ScriptedReply): Promise<Error> {
  endpoint.reply(() => reply);
  try {
    await retryableOnTransient(call)(undefined);
  } catch (error) {
    return error as Error;
  }
  throw new Error('the call succeeded');
}

const sendMail = (): Promise<unknown> =>
  new SesMailer(sesClient, 'no-reply@customs.example').send({
    to: ['reviewer@agency.example'],
    subject: 'Review',
    text: 'text',
    html: '<p>html</p>',
  });

const putItem = (): Promise<unknown> =>
  dynamoClient().send(new PutItemCommand({ TableName: 'table', Item: { pk: { S: 'A' }, sk: { S: 'B' } } }));

const dynamoError = (status: number, type: string): ScriptedReply => ({
  status,
  contentType: 'application/x-amz-json-1.0',
  body: { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: type },
});

describe('a transient failure inside a handler', () => {
  it('SES throttling (the sandbox sends one message a second) becomes the one retryable name', async () => {
    const error = await thrownBy(sendMail, {
      status: 429,
      body: { __type: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.' },
    });
    expect(error).toBeInstanceOf(TransientError);
    expect(error.name).toBe(TRANSIENT_ERROR_NAME);
    expect((error.cause as Error).name).toBe('TooManyRequestsException');
  });

  it.each([
    [400, 'ProvisionedThroughputExceededException'],
    [400, 'ThrottlingException'],
    [400, 'RequestLimitExceeded'],
    [500, 'InternalServerError'],
  ])('DynamoDB %i %s becomes the retryable name', async (status, type) => {
    const error = await thrownBy(putItem, dynamoError(status, type));
    expect(error.name).toBe(TRANSIENT_ERROR_NAME);
    expect((error.cause as Error).name).toBe(type);
  });

  it('a Secrets Manager outage at cold start becomes the retryable name', async () => {
    const error = await thrownBy(
      () => smtpSettings('arn:aws:secretsmanager:us-east-1:000000000000:secret:smtp-outage'),
      {
        status: 500,
        contentType: 'application/x-amz-json-1.1',
        body: { __type: 'InternalServiceError', Message: 'An error occurred on the server side.' },
      },
    );
    expect(error.name).toBe(TRANSIENT_ERROR_NAME);
    expect((error.cause as Error).name).toBe('InternalServiceError');
  });

  it('a refused connection becomes the retryable name', async () => {
    const restore = useAwsEnv({ AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' });
    try {
      const error: unknown = await retryableOnTransient(putItem)(undefined).catch((e: unknown) => e);
      expect((error as Error).name).toBe(TRANSIENT_ERROR_NAME);
    } finally {
      restore();
      useAwsEnv({
        AWS_ENDPOINT_URL_SESV2: endpoint.url,
        AWS_ENDPOINT_URL_DYNAMODB: endpoint.url,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint.url,
        AWS_MAX_ATTEMPTS: '1',
      });
    }
  });
});

describe('a permanent failure inside a handler', () => {
  it('passes unchanged, so the state machine catches it as WORKFLOW_FAILED', async () => {
    const rejected = await thrownBy(sendMail, {
      status: 400,
      body: { __type: 'MessageRejected', message: 'Email address is not verified.' },
    });
    expect(rejected.name).toBe('MessageRejected');
    const conditional = await thrownBy(putItem, dynamoError(400, 'ConditionalCheckFailedException'));
    expect(conditional.name).toBe('ConditionalCheckFailedException');
    const missingSecret = await thrownBy(
      () => smtpSettings('arn:aws:secretsmanager:us-east-1:000000000000:secret:smtp-missing'),
      {
        status: 400,
        contentType: 'application/x-amz-json-1.1',
        body: { __type: 'ResourceNotFoundException', Message: 'Secrets Manager cannot find the secret.' },
      },
    );
    expect(missingSecret.name).not.toBe(TRANSIENT_ERROR_NAME);
  });

  it('a handler bug or bad input is never retried', () => {
    expect(isTransient(new TypeError('x is undefined'))).toBe(false);
    expect(isTransient(Object.assign(new Error('no'), { name: 'StepPrecondition' }))).toBe(false);
    expect(isTransient(Object.assign(new Error('550 mailbox unavailable'), { responseCode: 550 }))).toBe(
      false,
    );
    expect(isTransient(Object.assign(new Error('451 try later'), { responseCode: 451 }))).toBe(true);
  });
});
