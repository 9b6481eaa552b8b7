/**
 * AWS-call faults: a middleware on every SDK client the handlers build (functions/adapters/aws-clients.ts
 * lets the embedded runtime add it) that answers an armed fault's call with the response the service
 * sends when it throttles or is briefly unavailable, instead of sending it. The response goes through
 * the client's real deserializer and retry strategy, so the handler sees exactly the error the SDK
 * raises on AWS after its own retries, and each SDK attempt takes one failure from the fault.
 */
import type { DeserializeMiddleware, MiddlewareStack } from '@smithy/types';
import { onClientBuilt } from '../../functions/adapters/aws-clients.ts';
import { currentFunctionKey } from '../call-attribution.ts';
import type { AwsService, FaultBook } from './faults.ts';

const SERVICE_OF_CLIENT: Readonly<Record<string, AwsService>> = {
  DynamoDBClient: 'dynamodb',
  S3Client: 's3',
  SESv2Client: 'ses',
  EventBridgeClient: 'eventbridge',
};

/** The JSON protocols' error namespaces (the `__type` prefix). */
const JSON_NAMESPACE: Readonly<Record<string, string>> = {
  dynamodb: 'com.amazonaws.dynamodb.v20120810',
  eventbridge: 'com.amazonaws.eventbridge',
  ses: 'com.amazonaws.sesv2',
};

const MESSAGES: Readonly<Record<string, string>> = {
  ProvisionedThroughputExceededException:
    'The level of configured provisioned throughput for the table was exceeded.',
  ThrottlingException: 'Rate of requests exceeds the allowed throughput.',
  RequestLimitExceeded: 'Throughput exceeds the current throughput limit for your account.',
  InternalServerError: 'Internal server error',
  InternalException: 'Internal service error',
  TooManyRequestsException: 'Maximum sending rate exceeded.',
  SlowDown: 'Please reduce your request rate.',
  ServiceUnavailable: 'Service is unable to handle request.',
  InternalError: 'We encountered an internal error. Please try again.',
};

const STATUS: Readonly<Record<string, number>> = {
  InternalServerError: 500,
  InternalException: 500,
  TooManyRequestsException: 429,
  SlowDown: 503,
  ServiceUnavailable: 503,
  InternalError: 500,
};

interface SyntheticResponse {
  readonly statusCode: number;
  readonly reason?: string;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

/** The HTTP answer `service` gives with `error`, as its protocol spells it. */
export function errorResponse(service: AwsService, error: string, method: string): SyntheticResponse {
  const statusCode = STATUS[error] ?? 400;
  const message = MESSAGES[error] ?? error;
  if (service === 's3') {
    // A HEAD answer has no body; the SDK names the error from the status alone.
    const body =
      method === 'HEAD'
        ? ''
        : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error}</Code><Message>${message}</Message><RequestId>local-fault</RequestId></Error>`;
    return {
      statusCode,
      headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'local-fault' },
      body: new TextEncoder().encode(body),
    };
  }
  const type = `${JSON_NAMESPACE[service]}#${error}`;
  return {
    statusCode,
    headers: {
      'content-type': service === 'ses' ? 'application/json' : 'application/x-amz-json-1.0',
      'x-amzn-errortype': `${error}:`,
      'x-amzn-requestid': 'local-fault',
    },
    body: new TextEncoder().encode(JSON.stringify({ __type: type, message })),
  };
}

interface ClientWithStack {
  readonly middlewareStack: MiddlewareStack<object, object>;
}

const MIDDLEWARE_NAME = 'localFaultInjection';

/** Adds the fault middleware to every SDK client built from now on; returns what stops that. */
export function installSdkFaults(book: FaultBook): () => void {
  // A DocumentClient shares its inner client's stack: one middleware per stack.
  const stacks = new WeakSet<object>();
  return onClientBuilt((client) => {
    const { middlewareStack } = client as ClientWithStack;
    if (stacks.has(middlewareStack)) return;
    stacks.add(middlewareStack);
    const inject: DeserializeMiddleware<object, object> = (next, context) => async (args) => {
      const service = SERVICE_OF_CLIENT[context.clientName ?? ''];
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      const fault =
        service === undefined ? undefined : book.take(`${service}:${operation}`, currentFunctionKey());
      if (service === undefined || fault === undefined) return next(args);
      const method = (args.request as { method?: string }).method ?? 'POST';
      return { response: errorResponse(service, fault.error, method), output: undefined as never };
    };
    // Inside the deserializer (low priority in its step), so the fake answer is parsed as a real one.
    // A client shared with an earlier runtime of this process still holds that runtime's middleware.
    middlewareStack.remove(MIDDLEWARE_NAME);
    middlewareStack.add(inject, { step: 'deserialize', priority: 'low', name: MIDDLEWARE_NAME });
  });
}
