import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { loggedStateMachine } from './logged-state-machine.ts';
import { buildSweepDefinition, SWEEP_STATE_MACHINE_ID } from '../../workflows/sweep.ts';

export interface SweepStateMachineProps {
  readonly stateMachineName: string;
  readonly sweep: LambdaFunction;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The daily sweep, deployed (workflows/sweep.ts): Standard, so a day's run has its history and
 * its page retries; every event logged without its data (the data holds table keys, not secrets,
 * but the events tell what happened), X-Ray traced.
 */
export class SweepStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: SweepStateMachineProps) {
    super(scope, id);
    this.stateMachine = loggedStateMachine(this, SWEEP_STATE_MACHINE_ID, {
      stateMachineName: props.stateMachineName,
      logRetention: props.logRetention,
      definition: buildSweepDefinition(this, props.sweep),
    });
    const role = Validations.of(this.stateMachine.role);
    role.acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Log delivery (logs:CreateLogDelivery, logs:DescribeLogGroups and related) and X-Ray (xray:PutTraceSegments, xray:GetSamplingRules and related) support no resource-level permissions, so Resource must be *.',
    });
    const stack = Stack.of(this);
    const cfn = props.sweep.node.defaultChild;
    if (!(cfn instanceof CfnElement)) throw new Error('the sweep function has no CloudFormation resource');
    const logicalId = stack.resolve(stack.getLogicalId(cfn)) as string;
    role.acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
      reason:
        "lambda:InvokeFunction on the sweep function's versions and aliases (<function ARN>:*, the LambdaInvoke grant): still only the sweep function.",
    });
  }
}
