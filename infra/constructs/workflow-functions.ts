import { Duration } from 'aws-cdk-lib';
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
import { WORKFLOW_TASK_ACCESS } from '../function-access.ts';
import { grantAccess, type AccessResources } from './grant-access.ts';
import { TaskFunction } from './task-function.ts';

export interface WorkflowFunctionsProps {
  readonly prefix: string;
  readonly resources: AccessResources;
  readonly logRetention: RetentionDays;
  readonly bundle: boolean;
  /** true where mail goes through SMTP: nodemailer joins the bundles. */
  readonly bundlesSmtp: boolean;
}

/** One function per workflow task, each granted exactly what WORKFLOW_TASK_ACCESS lists. */
export class WorkflowFunctions extends Construct {
  readonly functions: Readonly<Record<TaskName, LambdaFunction>>;

  constructor(scope: Construct, id: string, props: WorkflowFunctionsProps) {
    super(scope, id);
    const entries = TASK_NAMES.map((task) => {
      const { fn } = new TaskFunction(this, task, {
        module: WORKFLOW_TASKS[task].module,
        functionName: functionNameFor(task, props.prefix),
        timeout: Duration.seconds(TASK_FUNCTION_TIMEOUT_SECONDS),
        logRetention: props.logRetention,
        bundle: props.bundle,
        bundlesSmtp: props.bundlesSmtp,
      });
      grantAccess(fn, WORKFLOW_TASK_ACCESS[task], props.resources);
      return [task, fn] as const;
    });
    this.functions = Object.fromEntries(entries) as Record<TaskName, LambdaFunction>;
  }
}
