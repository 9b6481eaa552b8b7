import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { ROUTES } from '../../functions/api/routes.ts';

/**
 * The web console on AWS: the `static` build (console/dist/static, no operator pages, no dev
 * sign-in) in a private bucket read by CloudFront through origin access control, and the HTTP API
 * on the same distribution at its own root paths (CONTRACT.md: the API stays at the root, the
 * console owns `/` and `/console/*`), so the console calls its own origin and needs no CORS. Every
 * answer carries the security headers policy; the site's config.json names the OIDC issuer.
 */

export interface ConsoleSiteProps {
  readonly prefix: string;
  /** `<api id>.execute-api.<region>.<suffix>`: the HTTP API's default endpoint host. */
  readonly apiDomain: string;
  /** The evidence bucket's origin: the browser POSTs uploads straight there (presigned POST). */
  readonly uploadOrigin: string;
  readonly oidc: { readonly issuer: string; readonly clientId: string };
  /**
   * Origins the browser talks to for sign-in: the issuer (its discovery document) and its token
   * endpoint (the code exchange), which for Cognito is the user pool's hosted domain.
   */
  readonly signInOrigins: readonly string[];
  /** The WAF web ACL (scope CLOUDFRONT) with the per-client rate limit. */
  readonly webAclArn: string;
  /** The built site, or undefined in tests that do not build it (a placeholder page is deployed). */
  readonly siteDirectory?: string;
}

/**
 * The path patterns of the API behaviours, from the route table (one home per route): each first
 * path segment, alone and with everything under it.
 */
export function apiPathPatterns(): string[] {
  const segments = new Set(ROUTES.map((route) => route.path.split('/')[1] ?? '').filter((s) => s !== ''));
  return [...segments]
    .sort()
    .flatMap((segment) => (segment.includes('.') ? [`/${segment}`] : [`/${segment}`, `/${segment}/*`]));
}

export function consoleContentSecurityPolicy(connect: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${connect.join(' ')}`,
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * CDK's BucketDeployment runs one shared handler function per stack (a singleton named
 * `Custom::CDKBucketDeployment…`), whose role CDK writes: cdk-nag's findings on it are CDK's
 * choices, acknowledged here one by one with what each grant is for.
 */
function acknowledgeDeploymentHandler(site: s3.Bucket): void {
  const stack = Stack.of(site);
  const siteArn = `<${stack.getLogicalId(site.node.defaultChild as s3.CfnBucket)}.Arn>`;
  const grants: Record<string, string> = {
    'Action::s3:GetBucket*': 'reads the CDK asset bucket holding the console build (CDK read grant)',
    'Action::s3:GetObject*': 'reads the build objects from the CDK asset bucket (CDK read grant)',
    'Action::s3:List*': 'lists the asset and site buckets to copy and prune (CDK read grant)',
    'Action::s3:Abort*': 'aborts its own multipart uploads into the site bucket (CDK read-write grant)',
    'Action::s3:DeleteObject*':
      'prunes objects of an earlier build from the site bucket (CDK read-write grant)',
    [`Resource::arn:aws:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${stack.region}/*`]:
      "the CDK asset bucket's objects: the build is one of them, under a content-hash key",
    [`Resource::${siteArn}/*`]: "the site bucket's objects: the handler writes the console there",
    'Resource::*': 'cloudfront:CreateInvalidation, which takes no resource ARN',
  };
  for (const child of stack.node.children) {
    if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
    Validations.of(child).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's BucketDeployment handler logs through AWSLambdaBasicExecutionRole (CloudWatch Logs only); CDK attaches it to the handler it owns.",
      },
      ...Object.entries(grants).map(([grant, what]) => ({
        id: `AwsSolutions-IAM5[${grant}]`,
        reason: `CDK's BucketDeployment handler ${what}.`,
      })),
      {
        id: 'AwsSolutions-L1',
        reason:
          "The runtime of CDK's BucketDeployment handler is chosen by aws-cdk-lib (it ships the handler's code and the AWS CLI layer it runs on); it moves with the aws-cdk-lib version.",
      },
    );
  }
}

export class ConsoleSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    const logs = new s3.Bucket(this, 'Logs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      // CloudFront standard logging writes with an ACL grant to the log-delivery account.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access log bucket of the console site and its distribution; logging it into itself would loop.',
    });
    this.bucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site/',
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });

    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      responseHeadersPolicyName: `${props.prefix}-console-security`,
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: consoleContentSecurityPolicy([props.uploadOrigin, ...props.signInOrigins]),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
      },
    });

    const api = new origins.HttpOrigin(props.apiDomain, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    });
    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: api,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      // API Gateway routes by its own host name: every viewer header but Host goes through.
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: headers,
    };

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `${props.prefix} web console and API`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
      },
      additionalBehaviors: Object.fromEntries(apiPathPatterns().map((pattern) => [pattern, apiBehavior])),
      webAclId: props.webAclArn,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'Enterprises and agencies reach the console from wherever their staff work; sign-in and the API decide who may act, and the WAF limits each client address.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'The distribution uses its default *.cloudfront.net certificate (no custom domain is configured), whose viewer security policy CloudFront fixes at TLSv1; a deployment with its own domain adds its certificate with TLS_V1_2_2021 (docs/deploy.md).',
    });

    const config = {
      runtime: 'aws',
      oidc: { issuer: props.oidc.issuer, clientId: props.oidc.clientId, scope: 'openid' },
    };
    // The build's base is /console/ (assets under /console/assets/); the page itself is also the
    // site's root object, so a return from the issuer to `<origin>/` finds it.
    const page =
      props.siteDirectory === undefined
        ? '<!doctype html><title>credit-repair console</title>'
        : readFileSync(join(props.siteDirectory, 'index.html'), 'utf8');
    new s3deploy.BucketDeployment(this, 'DeployAssets', {
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'console/',
      sources: [
        ...(props.siteDirectory === undefined
          ? []
          : [s3deploy.Source.asset(props.siteDirectory, { exclude: ['build-stamp.json', 'index.html'] })]),
        s3deploy.Source.jsonData('config.json', config),
      ],
      prune: true,
      memoryLimit: 256,
    });
    new s3deploy.BucketDeployment(this, 'DeployPage', {
      destinationBucket: this.bucket,
      sources: [s3deploy.Source.data('index.html', page)],
      prune: false,
      distribution: this.distribution,
      distributionPaths: ['/', '/index.html', '/console/config.json'],
      memoryLimit: 256,
    });
    acknowledgeDeploymentHandler(this.bucket);
  }
}
