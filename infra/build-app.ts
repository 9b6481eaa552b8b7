import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.ts';
import { readDeployConfig, type DeployConfig } from './config.ts';
import { ControlTowerGuard } from './control-tower-guard.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';
import { EdgeFirewallStack, edgeStackNamesFor, SiteStack, WAF_REGION } from './edge-stacks.ts';
import { consoleOutDir } from '../console/build/variants.ts';

export interface BuildAppOptions {
  /** false only in tests: skip esbuild and give functions placeholder code. */
  readonly bundle?: boolean;
  /**
   * Runs the Control Tower guard rules on the synthesized templates (infra/control-tower-guard.ts).
   * `npm run synth` does; tests leave it to the one test that checks it, as it takes seconds.
   */
  readonly guard?: boolean;
  readonly appProps?: AppProps;
}

export interface CreditRepairApp {
  readonly app: App;
  readonly config: DeployConfig;
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
  /** The console site; absent in China and in a region-agnostic synth (docs/architecture.md). */
  readonly site?: SiteStack;
  /** The WAF web ACL's own stack in us-east-1, when the site is in another region. */
  readonly firewall?: EdgeFirewallStack;
}

/**
 * The stack names (and construct ids) of a deployment. Both carry the prefix: a second prefix in
 * the same account and region is a second pair of stacks, never an update of the first.
 */
export const stackNamesFor = (prefix: string): { stateful: string; stateless: string } => ({
  stateful: `${prefix}-stateful`,
  stateless: `${prefix}-stateless`,
});

/**
 * The context of cdk.json (the feature flags above all). The CDK CLI hands it to the app itself;
 * an app built in a test reads it here, so tests check the template `npm run synth` writes.
 */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/** The whole CDK app, with cdk-nag's AwsSolutions checks on every construct. */
export function buildApp(options: BuildAppOptions = {}): CreditRepairApp {
  // Context given here ranks below what the CLI passes (cdk.json and -c), which App reads itself.
  const app = new App({
    ...options.appProps,
    context: { ...cdkJsonContext(), ...options.appProps?.context },
  });
  const config = readDeployConfig(app.node);
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: config.region };
  const names = stackNamesFor(config.prefix);

  const stateful = new StatefulStack(app, names.stateful, {
    env,
    stackName: names.stateful,
    description: 'credit-repair: table, evidence bucket, listing-change bus, user directory and secrets',
    config,
  });
  const stateless = new StatelessStack(app, names.stateless, {
    env,
    stackName: names.stateless,
    description:
      'credit-repair: functions, the RepairApplication workflow, HTTP API, daily sweep, mail, alarms',
    config,
    stateful,
    bundle: options.bundle ?? true,
  });

  // The console's edge: CloudFront and a CLOUDFRONT-scope WAF, which need a pinned region (the web
  // ACL lives in us-east-1) and the global partition.
  let site: SiteStack | undefined;
  let firewall: EdgeFirewallStack | undefined;
  if (config.partition === 'aws' && config.region !== undefined) {
    const edgeNames = edgeStackNamesFor(config.prefix);
    if (config.region !== WAF_REGION) {
      firewall = new EdgeFirewallStack(app, edgeNames.firewall, {
        env: { account: env.account, region: WAF_REGION },
        stackName: edgeNames.firewall,
        description: 'credit-repair: the web ACL (per-client rate limit) of the console distribution',
        config,
      });
    }
    site = new SiteStack(app, edgeNames.site, {
      env,
      stackName: edgeNames.site,
      description: 'credit-repair: the web console (S3, CloudFront with the API under the same origin)',
      config,
      stateful,
      stateless,
      ...(firewall === undefined ? {} : { firewall }),
      ...((options.bundle ?? true) ? { siteDirectory: consoleOutDir('static') } : {}),
    });
  }

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  if (options.guard) Validations.of(app).addPlugins(new ControlTowerGuard());
  return {
    app,
    config,
    stateful,
    stateless,
    ...(site === undefined ? {} : { site }),
    ...(firewall === undefined ? {} : { firewall }),
  };
}
