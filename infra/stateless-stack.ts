import { Stack, type StackProps } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import {
  RepairApplicationStateMachine,
  stateMachineArnFor,
} from './constructs/repair-application-state-machine.ts';
import { WorkflowFunctions } from './constructs/workflow-functions.ts';

/**
 * What runs: functions and the state machine, replaceable at any time. Each concern is one
 * construct; the HTTP API, scheduler, mail, secrets and alarms join as constructs of their own that
 * take `workflow` and the stateful resources they need.
 */

export interface StatelessStackProps extends StackProps {
  readonly prefix: string;
  readonly table: ITableV2;
  readonly evidenceBucket: IBucket;
  readonly listingBus: IEventBus;
  readonly logRetention: RetentionDays;
  /** false only in tests: functions get placeholder code instead of an esbuild bundle. */
  readonly bundle?: boolean;
}

export const stateMachineNameFor = (prefix: string): string => `${prefix}-repair-application`;

export class StatelessStack extends Stack {
  readonly workflowFunctions: WorkflowFunctions;
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const stateMachineName = stateMachineNameFor(props.prefix);

    this.workflowFunctions = new WorkflowFunctions(this, 'WorkflowFunctions', {
      prefix: props.prefix,
      table: props.table,
      listingBus: props.listingBus,
      stateMachineArn: stateMachineArnFor(this, stateMachineName),
      logRetention: props.logRetention,
      bundle: props.bundle ?? true,
    });

    this.stateMachine = new RepairApplicationStateMachine(this, 'Workflow', {
      stateMachineName,
      functions: this.workflowFunctions.functions,
      logRetention: props.logRetention,
    }).stateMachine;
  }
}
