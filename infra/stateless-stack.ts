import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { DeployConfig } from './config.ts';
import { OperationsAlarms } from './constructs/alarms.ts';
import { ApiAuthorizer } from './constructs/api-authorizer.ts';
import { grantAccess, type AccessResources, type MailResources } from './constructs/grant-access.ts';
import { CreditRepairHttpApi } from './constructs/http-api.ts';
import { Mail } from './constructs/mail.ts';
import { RepairApplicationStateMachine } from './constructs/repair-application-state-machine.ts';
import { SweepSchedule } from './constructs/sweep-schedule.ts';
import { SweepStateMachine } from './constructs/sweep-state-machine.ts';
import { TaskFunction } from './constructs/task-function.ts';
import { WorkflowFunctions } from './constructs/workflow-functions.ts';
import { SWEEP_ACCESS } from './function-access.ts';
import type { StatefulStack } from './stateful-stack.ts';
import { SWEEP_FUNCTION_TIMEOUT_SECONDS, SWEEP_MODULE, sweepFunctionNameFor } from '../workflows/sweep.ts';

/**
 * What runs, replaceable at any time: the functions, the state machine, the HTTP API, the daily
 * schedule, SES mail settings and the alarms. Each concern is one construct; permissions come
 * from one table (infra/function-access.ts). Whatever holds data or users is in the stateful stack.
 */

export interface StatelessStackProps extends StackProps {
  readonly config: DeployConfig;
  /** The table, bucket, bus, user pool and secrets this stack's functions use. */
  readonly stateful: StatefulStack;
  /** false only in tests: functions get placeholder code instead of an esbuild bundle. */
  readonly bundle?: boolean;
}

export const stateMachineNameFor = (prefix: string): string => `${prefix}-repair-application`;
export const sweepStateMachineNameFor = (prefix: string): string => `${prefix}-sweep`;

/** One step of the sweep: a plan or a page of due items (workflows/sweep.ts), seconds of work. */
const SWEEP_TIMEOUT = Duration.seconds(SWEEP_FUNCTION_TIMEOUT_SECONDS);

export class StatelessStack extends Stack {
  readonly workflowFunctions: WorkflowFunctions;
  readonly stateMachine: StateMachine;
  readonly httpApi: CreditRepairHttpApi;
  readonly authorizer: ApiAuthorizer;
  readonly sweep: LambdaFunction;
  readonly schedule: SweepSchedule;
  readonly sweepStateMachine: StateMachine;
  /** SES settings; absent where mail goes through SMTP (AWS China). */
  readonly mail?: Mail;
  readonly alarms: OperationsAlarms;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    const bundle = props.bundle ?? true;
    const stateMachineName = stateMachineNameFor(config.prefix);
    const smtp = config.mail.transport === 'smtp';

    let mail: MailResources;
    if (config.mail.transport === 'ses') {
      this.mail = new Mail(this, 'Mail', {
        prefix: config.prefix,
        senderDomain: config.senderDomain,
        createIdentity: config.mail.createIdentity,
      });
      mail = {
        transport: 'ses',
        senderEmail: config.senderEmail,
        identityName: this.mail.identityName,
        configurationSetName: this.mail.configurationSetName,
      };
    } else {
      if (stateful.smtpSecret === undefined) throw new Error('SMTP mail needs the stateful SMTP secret');
      mail = { transport: 'smtp', senderEmail: config.senderEmail, smtpSecret: stateful.smtpSecret };
    }

    const shared: Omit<AccessResources, 'reviewBaseUrl'> = {
      table: stateful.table,
      stateMachineName,
      listingBus: stateful.listingBus,
      evidence: {
        bucketName: stateful.evidenceBucket.bucketName,
        bucketArnExport: stateful.evidenceBucketArnExport,
      },
      linkSecret: stateful.linkSecret,
      mail,
    };

    this.authorizer = new ApiAuthorizer(this, 'Auth', {
      ...(config.jwt === undefined ? {} : { jwt: config.jwt }),
      ...(stateful.userDirectory === undefined ? {} : { directory: stateful.userDirectory }),
    });
    this.httpApi = new CreditRepairHttpApi(this, 'Http', {
      prefix: config.prefix,
      webOrigins: config.webOrigins,
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
      bundlesSmtp: smtp,
    });
    this.stateMachine = new RepairApplicationStateMachine(this, 'Workflow', {
      stateMachineName,
      functions: this.workflowFunctions.functions,
      logRetention: config.logRetention,
    }).stateMachine;

    this.sweep = new TaskFunction(this, 'Sweep', {
      module: SWEEP_MODULE,
      functionName: sweepFunctionNameFor(config.prefix),
      timeout: SWEEP_TIMEOUT,
      logRetention: config.logRetention,
      bundle,
      bundlesSmtp: smtp,
    }).fn;
    grantAccess(this.sweep, SWEEP_ACCESS, resources);
    this.sweepStateMachine = new SweepStateMachine(this, 'SweepRun', {
      stateMachineName: sweepStateMachineNameFor(config.prefix),
      sweep: this.sweep,
      logRetention: config.logRetention,
    }).stateMachine;
    this.schedule = new SweepSchedule(this, 'Schedule', {
      prefix: config.prefix,
      stateMachine: this.sweepStateMachine,
    });

    this.alarms = new OperationsAlarms(this, 'Alarms', {
      prefix: config.prefix,
      stateMachine: this.stateMachine,
      sweepStateMachine: this.sweepStateMachine,
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
  }
}
