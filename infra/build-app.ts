import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readDeployConfig } from './config.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

export interface BuildAppOptions {
  /** false only in tests: skip esbuild and give functions placeholder code. */
  readonly bundle?: boolean;
  readonly appProps?: AppProps;
}

export interface CreditRepairApp {
  readonly app: App;
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

/** The whole CDK app, with cdk-nag's AwsSolutions checks on every construct. */
export function buildApp(options: BuildAppOptions = {}): CreditRepairApp {
  const app = new App(options.appProps);
  const config = readDeployConfig(app.node);
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };

  const stateful = new StatefulStack(app, 'CreditRepairStateful', {
    env,
    description: 'credit-repair: table, evidence bucket, listing-change bus',
    prefix: config.prefix,
    evidenceUploadOrigins: config.evidenceUploadOrigins,
  });
  const stateless = new StatelessStack(app, 'CreditRepairStateless', {
    env,
    description:
      'credit-repair: functions, the RepairApplication workflow, HTTP API, daily sweep, mail, alarms',
    config,
    table: stateful.table,
    evidenceBucket: stateful.evidenceBucket,
    evidenceBucketArnExport: stateful.evidenceBucketArnExport,
    listingBus: stateful.listingBus,
    bundle: options.bundle ?? true,
  });

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stateful, stateless };
}
