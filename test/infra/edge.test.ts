import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/api/routes.ts';
import { apiPathPatterns } from '../../infra/constructs/console-site.ts';
import { RATE_LIMITED_CODE } from '../../infra/constructs/client-rate-limit.ts';
import { CHINA_CONTEXT, synthApp, type CfnResource } from '../support/synth-app.ts';

/**
 * The console's edge on AWS (issue 16, and issue 17's per-client rate limit): the static site
 * behind CloudFront with origin access control and security headers, the API on the same
 * distribution, and a CLOUDFRONT-scope WAF in us-east-1 answering a custom 429 problem document.
 * Synthesis itself fails on any unacknowledged cdk-nag finding.
 */

type Template = { Resources: Record<string, CfnResource> };

function stacksOf(region: string | undefined, context: Record<string, unknown> = {}) {
  const app = synthApp(context, region);
  const assembly = app.built.app.synth();
  const byName = new Map(assembly.stacks.map((s) => [s.stackName, s]));
  return { app, assembly, byName };
}

const ofType = (template: Template, type: string) =>
  Object.entries(template.Resources).filter(([, r]) => r.Type === type);
/**
 * CloudFormation properties, read loosely: the assertions below name the paths they expect, and a
 * missing one fails them as it should.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
const props = (resource: CfnResource | undefined) => (resource?.Properties ?? {}) as Record<string, Loose>;

describe('the console edge in a region other than us-east-1', () => {
  const { byName } = stacksOf('eu-west-1');
  const site = byName.get('credit-repair-site');
  const firewall = byName.get('credit-repair-edge-firewall');

  it('puts the web ACL in a stack of its own in us-east-1 and reads its ARN across regions', () => {
    expect(firewall?.environment.region).toBe('us-east-1');
    expect(site?.environment.region).toBe('eu-west-1');
    const [[, acl]] = ofType(firewall!.template as Template, 'AWS::WAFv2::WebACL') as [[string, CfnResource]];
    expect(props(acl).Scope).toBe('CLOUDFRONT');
    const [[, distribution]] = ofType(site!.template as Template, 'AWS::CloudFront::Distribution') as [
      [string, CfnResource],
    ];
    expect(JSON.stringify(props(distribution).DistributionConfig.WebACLId)).toContain('"Region":"us-east-1"');
  });

  it('limits each client address with a rate-based rule answering a 429 problem document', () => {
    const [[, acl]] = ofType(firewall!.template as Template, 'AWS::WAFv2::WebACL') as [[string, CfnResource]];
    const [rule] = props(acl).Rules as Loose[];
    expect(rule.Statement.RateBasedStatement).toEqual({ Limit: 2000, AggregateKeyType: 'IP' });
    const response = rule.Action.Block.CustomResponse;
    expect(response.ResponseCode).toBe(429);
    const body = props(acl).CustomResponseBodies[response.CustomResponseBodyKey];
    expect(body.ContentType).toBe('APPLICATION_JSON');
    expect(JSON.parse(body.Content)).toMatchObject({
      status: 429,
      code: RATE_LIMITED_CODE,
      type: expect.stringMatching(/rate-limited$/),
      title: expect.any(String),
      detail: expect.any(String),
    });
  });

  it('serves the site from a private bucket through origin access control, with security headers', () => {
    const template = site!.template as Template;
    const [[, distribution]] = ofType(template, 'AWS::CloudFront::Distribution') as [[string, CfnResource]];
    const config = props(distribution).DistributionConfig;
    expect(config.DefaultRootObject).toBe('index.html');
    const s3Origin = config.Origins.find((o: Loose) => o.S3OriginConfig !== undefined);
    expect(s3Origin.OriginAccessControlId).toBeDefined();
    expect(s3Origin.S3OriginConfig.OriginAccessIdentity).toBe('');
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    for (const [, bucket] of ofType(template, 'AWS::S3::Bucket')) {
      expect(props(bucket).PublicAccessBlockConfiguration).toMatchObject({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
    const policies = ofType(template, 'AWS::S3::BucketPolicy').map(([, p]) => JSON.stringify(props(p)));
    expect(policies.some((p) => p.includes('cloudfront.amazonaws.com') && p.includes('AWS:SourceArn'))).toBe(
      true,
    );
    const [[, headers]] = ofType(template, 'AWS::CloudFront::ResponseHeadersPolicy') as [
      [string, CfnResource],
    ];
    const security = props(headers).ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = JSON.stringify(security.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(JSON.stringify(security.ContentSecurityPolicy)).toContain('cognito-idp');
    expect(security.StrictTransportSecurity.Override).toBe(true);
    expect(security.ContentTypeOptions.Override).toBe(true);
    expect(security.ReferrerPolicy.ReferrerPolicy).toBe('no-referrer');
  });

  it('routes every API path of the route table to the HTTP API on the same distribution', () => {
    const template = site!.template as Template;
    const [[, distribution]] = ofType(template, 'AWS::CloudFront::Distribution') as [[string, CfnResource]];
    const config = props(distribution).DistributionConfig;
    const apiOrigin = config.Origins.find((o: Loose) => o.CustomOriginConfig !== undefined);
    expect(JSON.stringify(apiOrigin.DomainName)).toContain('execute-api');
    expect(apiOrigin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
    const patterns = (config.CacheBehaviors as Loose[]).map((b: Loose) => b.PathPattern);
    expect(patterns.sort()).toEqual(apiPathPatterns().sort());
    // Every route's path is matched by one of them; the console's own paths are not.
    const matches = (path: string) =>
      patterns.some((p: string) => (p.endsWith('/*') ? path.startsWith(p.slice(0, -1)) : path === p));
    for (const route of ROUTES) expect(matches(route.path.replace(/\{[^}]+\}/g, 'x')), route.path).toBe(true);
    expect(matches('/')).toBe(false);
    expect(matches('/console/assets/index.js')).toBe(false);
    for (const behavior of config.CacheBehaviors as Loose[]) {
      expect(behavior.AllowedMethods).toContain('POST');
      expect(behavior.OriginRequestPolicyId).toBeDefined();
    }
  });
});

describe('the console edge elsewhere', () => {
  it('keeps the web ACL in the site stack when the deployment is in us-east-1', () => {
    const { byName } = stacksOf('us-east-1');
    expect(byName.has('credit-repair-edge-firewall')).toBe(false);
    expect(ofType(byName.get('credit-repair-site')!.template as Template, 'AWS::WAFv2::WebACL')).toHaveLength(
      1,
    );
  });

  it('has no edge in China (no CloudFront WAF there; docs/architecture.md), and the profile still synthesizes', () => {
    const { byName } = stacksOf('cn-north-1', CHINA_CONTEXT);
    expect([...byName.keys()].sort()).toEqual(['credit-repair-stateful', 'credit-repair-stateless']);
  });

  it('has no edge in a region-agnostic synth (a CLOUDFRONT web ACL needs us-east-1 named)', () => {
    const { byName } = stacksOf(undefined);
    expect(byName.has('credit-repair-site')).toBe(false);
  });
});
