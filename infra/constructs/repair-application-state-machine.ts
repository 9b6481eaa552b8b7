import { Arn, ArnFormat, CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { loggedStateMachine } from './logged-state-machine.ts';
import {
  buildRepairApplicationDefinition,
  REPAIR_APPLICATION_STATE_MACHINE_ID,
  type WorkflowFunctions,
} from '../../workflows/repair-application.ts';

export interface RepairApplicationStateMachineProps {
  readonly stateMachineName: string;
  readonly functions: WorkflowFunctions;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The ARN of a state machine of this stack by name. Functions that answer task tokens are granted
 * on this string rather than on the construct, which would make function and machine depend on
 * each other (the machine invokes the functions).
 */
export function stateMachineArnFor(scope: Construct, stateMachineName: string): string {
  return Arn.format(
    {
      service: 'states',
      resource: 'stateMachine',
      resourceName: stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    },
    Stack.of(scope),
  );
}

/**
 * The RepairApplication workflow, deployed: Standard, every event logged without its data, X-Ray
 * traced. Execution data would put every callback task's token (a bearer credential that resumes
 * the wait) and the tasks' inputs into CloudWatch Logs; the events alone tell what happened when,
 * and the data of an execution stays in its history, readable by those allowed to.
 */
export class RepairApplicationStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: RepairApplicationStateMachineProps) {
    super(scope, id);
    this.stateMachine = loggedStateMachine(this, REPAIR_APPLICATION_STATE_MACHINE_ID, {
      stateMachineName: props.stateMachineName,
      logRetention: props.logRetention,
      definition: buildRepairApplicationDefinition(this, props.functions),
    });
    this.acknowledgeWildcards(props.functions);
  }

  private acknowledgeWildcards(functions: WorkflowFunctions): void {
    const role = Validations.of(this.stateMachine.role);
    role.acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Log delivery (logs:CreateLogDelivery, logs:DescribeLogGroups and related) and X-Ray (xray:PutTraceSegments, xray:GetSamplingRules and related) support no resource-level permissions, so Resource must be *.',
    });
    const stack = Stack.of(this);
    for (const fn of Object.values(functions)) {
      const cfn = fn.node.defaultChild;
      if (!(cfn instanceof CfnElement)) continue;
      const logicalId = stack.resolve(stack.getLogicalId(cfn)) as string;
      role.acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: `lambda:InvokeFunction on ${fn.node.id}'s versions and aliases (<function ARN>:*, the LambdaInvoke grant): still only the task function the state machine names.`,
      });
    }
  }
}
