import { Stack } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { problemResponse } from '../../functions/http/problem.ts';

/**
 * The per-client rate limit (issue 17) at the edge: a WAF web ACL of scope CLOUDFRONT, which AWS
 * accepts only in us-east-1 (docs/architecture.md, "Console on AWS"). One rate-based rule counts
 * the requests of each client address over 5 minutes and, past the limit, blocks with a custom
 * 429 whose body is the API's own problem document (`RATE_LIMITED`, built by the HTTP layer's
 * builder). WAF lets a custom body be text/plain, text/html or application/json only, and prefixes
 * custom header names with `x-amzn-waf-`: so the block answers `application/json` carrying the
 * problem document, with `x-amzn-waf-retry-after`.
 */

export const RATE_LIMITED_CODE = 'RATE_LIMITED';
/** WAF's evaluation window for rate-based rules, in seconds. */
export const RATE_WINDOW_SECONDS = 300;

export interface ClientRateLimitProps {
  readonly prefix: string;
  /** Requests one address may make in any 5 minutes. */
  readonly limit: number;
}

/** The problem document a blocked client reads. */
export function rateLimitedBody(limit: number): string {
  return problemResponse({
    status: 429,
    code: RATE_LIMITED_CODE,
    title: 'Too many requests',
    detail: `More than ${limit} requests from this address in 5 minutes; wait and retry.`,
  }).body as string;
}

export class ClientRateLimit extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: ClientRateLimitProps) {
    super(scope, id);
    const metric = (name: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${props.prefix}-${name}`,
    });
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: `${props.prefix}-edge`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: metric('edge'),
      customResponseBodies: {
        problem: { contentType: 'APPLICATION_JSON', content: rateLimitedBody(props.limit) },
      },
      rules: [
        {
          name: 'per-client-rate',
          priority: 0,
          statement: { rateBasedStatement: { limit: props.limit, aggregateKeyType: 'IP' } },
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: 'problem',
                responseHeaders: [{ name: 'retry-after', value: String(RATE_WINDOW_SECONDS) }],
              },
            },
          },
          visibilityConfig: metric('per-client-rate'),
        },
      ],
    });
    if (Stack.of(this).region !== 'us-east-1') {
      throw new Error('a CLOUDFRONT web ACL must be created in us-east-1');
    }
  }
}
