import { RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';

/**
 * A Standard state machine as this project deploys each one: its own log group (vended-logs name,
 * the configured retention), every event logged without its data, X-Ray traced. Built in the
 * caller's scope under the ids it always had (`Logs` and `id`), so the logical ids do not move.
 */
export function loggedStateMachine(
  scope: Construct,
  id: string,
  props: {
    readonly stateMachineName: string;
    readonly logRetention: logs.RetentionDays;
    readonly definition: sfn.IChainable;
  },
): sfn.StateMachine {
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
    retention: props.logRetention,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  return new sfn.StateMachine(scope, id, {
    stateMachineName: props.stateMachineName,
    stateMachineType: sfn.StateMachineType.STANDARD,
    definitionBody: sfn.DefinitionBody.fromChainable(props.definition),
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    tracingEnabled: true,
  });
}
