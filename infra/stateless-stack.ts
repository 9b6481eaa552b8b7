import { CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { DeployConfig } from './config.ts';
import { OperationsAlarms } from './constructs/alarms.ts';
import { ApiAuthorizer } from './constructs/api-authorizer.ts';
import { grantAccess, type AccessResources } from './constructs/grant-access.ts';
import { CreditRepairHttpApi } from './constructs/http-api.ts';
import { Mail } from './constructs/mail.ts';
import { RepairApplicationStateMachine } from './constructs/repair-application-state-machine.ts';
import { SweepSchedule } from './constructs/sweep-schedule.ts';
import { TaskFunction } from './constructs/task-function.ts';
import { WorkflowFunctions } from './constructs/workflow-functions.ts';
import { SWEEP_ACCESS } from './function-access.ts';

/**
 * What runs, replaceable at any time: the functions, the state machine, the HTTP API, the daily
 * schedule, mail, the link secret and the alarms. Each concern is one construct; permissions come
 * from one table (infra/function-access.ts).
 */

export interface StatelessStackProps extends StackProps {
  readonly config: DeployConfig;
  readonly table: ITableV2;
  readonly evidenceBucket: IBucket;
  /** The stateful stack's named export of the evidence bucket ARN. */
  readonly evidenceBucketArnExport: string;
  readonly listingBus: IEventBus;
  /** false only in tests: functions get placeholder code instead of an esbuild bundle. */
  readonly bundle?: boolean;
}

export const stateMachineNameFor = (prefix: string): string => `${prefix}-repair-application`;

export const SWEEP_MODULE = 'functions/schedule/sweep.ts';
/** The sweep reads a sparse index and acts on what is due: minutes at most, even on a busy day. */
const SWEEP_TIMEOUT = Duration.minutes(10);

export class StatelessStack extends Stack {
  readonly workflowFunctions: WorkflowFunctions;
  readonly stateMachine: StateMachine;
  readonly httpApi: CreditRepairHttpApi;
  readonly authorizer: ApiAuthorizer;
  readonly sweep: LambdaFunction;
  readonly schedule: SweepSchedule;
  readonly mail: Mail;
  readonly linkSecret: secretsmanager.Secret;
  readonly alarms: OperationsAlarms;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config } = props;
    const bundle = props.bundle ?? true;
    const stateMachineName = stateMachineNameFor(config.prefix);

    this.mail = new Mail(this, 'Mail', { prefix: config.prefix, senderDomain: config.senderDomain });
    this.linkSecret = new secretsmanager.Secret(this, 'LinkSecret', {
      secretName: `${config.prefix}/review-link-secret`,
      description: 'HMAC key under which review link ids are stored (functions/lib/review-links.ts)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(this.linkSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The table stores review links only as HMACs under this key: rotating it would void every open review link at once. Links expire with their review (at most 60 days), and the key never leaves Secrets Manager and the two functions that read it.',
    });

    const shared: Omit<AccessResources, 'reviewBaseUrl'> = {
      table: props.table,
      stateMachineName,
      listingBus: props.listingBus,
      evidence: {
        bucketName: props.evidenceBucket.bucketName,
        bucketArnExport: props.evidenceBucketArnExport,
      },
      linkSecret: this.linkSecret,
      mail: {
        senderEmail: config.senderEmail,
        identityName: this.mail.identityName,
        configurationSetName: this.mail.configurationSetName,
      },
    };

    this.authorizer = new ApiAuthorizer(this, 'Auth', {
      prefix: config.prefix,
      ...(config.jwt === undefined ? {} : { jwt: config.jwt }),
    });
    this.httpApi = new CreditRepairHttpApi(this, 'Http', {
      prefix: config.prefix,
      authorizer: this.authorizer.authorizer,
      resources: shared,
      logRetention: config.logRetention,
      throttle: config.apiThrottle,
      bundle,
    });
    const resources: AccessResources = {
      ...shared,
      reviewBaseUrl: config.reviewBaseUrl ?? this.httpApi.api.apiEndpoint,
    };

    this.workflowFunctions = new WorkflowFunctions(this, 'WorkflowFunctions', {
      prefix: config.prefix,
      resources,
      logRetention: config.logRetention,
      bundle,
    });
    this.stateMachine = new RepairApplicationStateMachine(this, 'Workflow', {
      stateMachineName,
      functions: this.workflowFunctions.functions,
      logRetention: config.logRetention,
    }).stateMachine;

    this.sweep = new TaskFunction(this, 'Sweep', {
      module: SWEEP_MODULE,
      functionName: `${config.prefix}-sweep`,
      timeout: SWEEP_TIMEOUT,
      logRetention: config.logRetention,
      bundle,
    }).fn;
    grantAccess(this.sweep, SWEEP_ACCESS, resources);
    this.schedule = new SweepSchedule(this, 'Schedule', { prefix: config.prefix, sweep: this.sweep });

    this.alarms = new OperationsAlarms(this, 'Alarms', {
      prefix: config.prefix,
      stateMachine: this.stateMachine,
      functions: [
        ...Object.values(this.workflowFunctions.functions),
        ...this.httpApi.functions.values(),
        this.sweep,
      ],
      deadLetterQueue: this.schedule.deadLetterQueue,
      api: this.httpApi.api,
      ...(config.alarmEmail === undefined ? {} : { alarmEmail: config.alarmEmail }),
    });

    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.api.apiEndpoint });
    new CfnOutput(this, 'ReviewBaseUrl', { value: resources.reviewBaseUrl });
    if (this.authorizer.userPool && this.authorizer.userPoolClient) {
      new CfnOutput(this, 'UserPoolId', { value: this.authorizer.userPool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', { value: this.authorizer.userPoolClient.userPoolClientId });
    }
  }
}
