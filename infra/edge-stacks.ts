import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { DeployConfig } from './config.ts';
import { ClientRateLimit } from './constructs/client-rate-limit.ts';
import { ConsoleSite } from './constructs/console-site.ts';
import type { StatefulStack } from './stateful-stack.ts';
import type { StatelessStack } from './stateless-stack.ts';

/**
 * The edge of a deployment in the global partition: the console site (bucket, CloudFront with the
 * API under the same distribution) in the deployment's region, and the WAF web ACL of scope
 * CLOUDFRONT, which exists only in us-east-1. Deployed to us-east-1, both are one stack; to
 * another region, the web ACL is a stack of its own in us-east-1 and the site reads its ARN through
 * CDK's cross-region references (an SSM parameter the ACL's stack writes in the site's region).
 * docs/architecture.md ("Console on AWS") explains the choice, and why China has no edge stack.
 */

export const WAF_REGION = 'us-east-1';

export const edgeStackNamesFor = (prefix: string): { site: string; firewall: string } => ({
  site: `${prefix}-site`,
  firewall: `${prefix}-edge-firewall`,
});

export class EdgeFirewallStack extends Stack {
  readonly rateLimit: ClientRateLimit;

  constructor(scope: Construct, id: string, props: StackProps & { readonly config: DeployConfig }) {
    super(scope, id, { ...props, crossRegionReferences: true });
    this.rateLimit = new ClientRateLimit(this, 'RateLimit', {
      prefix: props.config.prefix,
      limit: props.config.clientRateLimit,
    });
  }
}

export interface SiteStackProps extends StackProps {
  readonly config: DeployConfig;
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
  /** The web ACL's stack when it is not this one (a region other than us-east-1). */
  readonly firewall?: EdgeFirewallStack;
  readonly siteDirectory?: string;
}

export class SiteStack extends Stack {
  readonly site: ConsoleSite;

  constructor(scope: Construct, id: string, props: SiteStackProps) {
    super(scope, id, { ...props, crossRegionReferences: props.firewall !== undefined });
    const { config, stateful, stateless } = props;
    const webAcl =
      props.firewall?.rateLimit.webAcl ??
      new ClientRateLimit(this, 'RateLimit', { prefix: config.prefix, limit: config.clientRateLimit }).webAcl;
    const oidc =
      config.jwt !== undefined
        ? {
            issuer: config.jwt.issuer,
            clientId: config.jwt.audience[0] ?? '',
            signInOrigins: [new URL(config.jwt.issuer).origin],
          }
        : stateful.userDirectory !== undefined
          ? {
              issuer: `https://cognito-idp.${this.region}.${this.urlSuffix}/${stateful.userDirectory.userPool.userPoolId}`,
              clientId: stateful.userDirectory.client.userPoolClientId,
              // The issuer's discovery document, and the hosted sign-in domain's token endpoint.
              signInOrigins: [
                `https://cognito-idp.${this.region}.${this.urlSuffix}`,
                `https://*.auth.${this.region}.amazoncognito.com`,
              ],
            }
          : undefined;
    if (oidc === undefined) throw new Error('the console site needs an OIDC issuer or the Cognito user pool');
    this.site = new ConsoleSite(this, 'Console', {
      prefix: config.prefix,
      apiDomain: `${stateless.httpApi.api.apiId}.execute-api.${this.region}.${this.urlSuffix}`,
      uploadOrigin: `https://${stateful.evidenceBucket.bucketRegionalDomainName}`,
      oidc: { issuer: oidc.issuer, clientId: oidc.clientId },
      signInOrigins: oidc.signInOrigins,
      webAclArn: webAcl.attrArn,
      ...(props.siteDirectory === undefined ? {} : { siteDirectory: props.siteDirectory }),
    });
    new CfnOutput(this, 'ConsoleUrl', { value: `https://${this.site.distribution.distributionDomainName}/` });
  }
}
