import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { handleUnmatched } from '../../functions/api/fallback.ts';
import { fallbackEnvironment } from '../../infra/constructs/http-api.ts';

/**
 * The `$default` route's handler: what API Gateway answers for requests no route serves. It runs
 * with the environment the CDK app gives it (the table's route keys).
 */

beforeAll(() => {
  Object.assign(process.env, fallbackEnvironment());
});

const event = (method: string, path: string): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'example.com',
      domainPrefix: 'example',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'request',
      routeKey: '$default',
      stage: '$default',
      time: '01/Jan/2026:00:00:00 +0000',
      timeEpoch: 0,
    },
  }) as APIGatewayProxyEventV2;

const context = { functionName: 'fallback', awsRequestId: 'request' } as Context;

describe('the $default route', () => {
  it('answers HEAD on a review link with 405 and the methods the link serves', async () => {
    const result = await handleUnmatched(event('HEAD', '/review/abc'), context);
    expect(result.statusCode).toBe(405);
    expect(result.headers).toMatchObject({ allow: 'GET, POST', 'content-type': 'application/problem+json' });
    expect(JSON.parse(result.body ?? '{}')).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
  });

  it('answers an unknown path with a 404 problem document', async () => {
    const result = await handleUnmatched(event('GET', '/nowhere'), context);
    expect(result.statusCode).toBe(404);
    expect(JSON.parse(result.body ?? '{}')).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('reads the allowed methods from the route table, one segment per parameter', async () => {
    const allowed = async (path: string) => {
      const result = await handleUnmatched(event('DELETE', path), context);
      return result.statusCode === 405 ? String(result.headers?.allow) : result.statusCode;
    };
    expect(await allowed('/applications')).toBe('GET, POST');
    expect(await allowed('/enterprises/ABC1234567/facts')).toBe('POST');
    expect(await allowed('/enterprises/ABC1234567/facts/x/y/payment')).toBe(404);
  });
});
