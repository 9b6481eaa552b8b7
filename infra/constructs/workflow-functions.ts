import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  TASK_FUNCTION_TIMEOUT_SECONDS,
  TASK_NAMES,
  WORKFLOW_TASKS,
  functionNameFor,
  type TaskName,
} from '../../workflows/task-names.ts';
import { WORKFLOW_TASK_ACCESS } from '../workflow-access.ts';
import { bindTable } from './bind-table.ts';
import { TaskFunction } from './task-function.ts';

export const LISTING_BUS_ENV = 'LISTING_BUS_NAME';

export interface WorkflowFunctionsProps {
  readonly prefix: string;
  readonly table: ITableV2;
  readonly listingBus: IEventBus;
  /** ARN of the state machine whose task tokens the callback functions may answer. */
  readonly stateMachineArn: string;
  readonly logRetention: RetentionDays;
  readonly bundle: boolean;
}

/** One function per workflow task, each granted exactly what WORKFLOW_TASK_ACCESS lists. */
export class WorkflowFunctions extends Construct {
  readonly functions: Readonly<Record<TaskName, LambdaFunction>>;

  constructor(scope: Construct, id: string, props: WorkflowFunctionsProps) {
    super(scope, id);
    const entries = TASK_NAMES.map((task) => {
      const access = WORKFLOW_TASK_ACCESS[task];
      const { fn } = new TaskFunction(this, task, {
        module: WORKFLOW_TASKS[task].module,
        functionName: functionNameFor(task, props.prefix),
        timeout: Duration.seconds(TASK_FUNCTION_TIMEOUT_SECONDS),
        logRetention: props.logRetention,
        bundle: props.bundle,
      });
      bindTable(fn, props.table, access.table);
      if (access.publishesListingChanges) {
        props.listingBus.grantPutEventsTo(fn);
        fn.addEnvironment(LISTING_BUS_ENV, props.listingBus.eventBusName);
      }
      if (access.answersTaskToken) {
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            sid: 'AnswerTaskToken',
            actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
            resources: [props.stateMachineArn],
          }),
        );
      }
      return [task, fn] as const;
    });
    this.functions = Object.fromEntries(entries) as Record<TaskName, LambdaFunction>;
  }
}
