import { Arn, ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface OperationsAlarmsProps {
  readonly prefix: string;
  readonly stateMachine: StateMachine;
  /** The daily sweep's state machine (workflows/sweep.ts). */
  readonly sweepStateMachine: StateMachine;
  readonly functions: readonly LambdaFunction[];
  readonly deadLetterQueue: IQueue;
  readonly api: HttpApi;
  /** Subscribed to the topic by email when given. */
  readonly alarmEmail?: string;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * What an operator must hear about, sent to one encrypted SNS topic: executions that failed or
 * timed out, any function error, a sweep that failed or landed in its dead-letter queue, and API 5xx.
 * Every alarm fires on a single occurrence: each is a case a person has to look at.
 */
export class OperationsAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    // A customer-managed key: CloudWatch can publish to an encrypted topic only with a key policy
    // that lets it use the key, which the AWS-managed SNS key does not have.
    const key = new kms.Key(this, 'TopicKey', {
      description: `${props.prefix}: encrypts the alarm topic`,
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    // Grants on the key only for AWS services acting for a resource (Control Tower CT.KMS.PR.3):
    // nobody can hand the key's use to another principal.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'GrantsOnlyForAwsServices',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: {
          BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: `${props.prefix}-alarms`,
      displayName: 'credit-repair alarms',
      masterKey: key,
      enforceSSL: true,
    });
    // enforceSSL gives the topic a policy of its own, which replaces SNS's default one: without
    // this Allow, CloudWatch may not publish and no alarm reaches anyone. Only this account's
    // alarms may.
    const stack = Stack.of(this);
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': Arn.format(
              {
                service: 'cloudwatch',
                resource: 'alarm',
                resourceName: '*',
                arnFormat: ArnFormat.COLON_RESOURCE_NAME,
              },
              stack,
            ),
          },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
    if (props.alarmEmail !== undefined) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }

    const alarm = (alarmId: string, description: string, metric: cloudwatch.IMetric): void => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new SnsAction(this.topic));
      this.alarms.push(created);
    };

    alarm(
      'ExecutionsFailed',
      'A RepairApplication execution failed: its application was closed with WORKFLOW_FAILED.',
      props.stateMachine.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }),
    );
    alarm(
      'ExecutionsTimedOut',
      'A RepairApplication execution timed out.',
      props.stateMachine.metricTimedOut({ period: FIVE_MINUTES, statistic: 'Sum' }),
    );
    for (const fn of props.functions) {
      alarm(
        `Errors-${fn.node.scope?.node.id ?? fn.node.id}`,
        `Function ${fn.node.path} reported an error.`,
        fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
      );
    }
    alarm(
      'SweepDeadLetters',
      'A daily sweep could not be started (Scheduler gave up): the record is in the dead-letter queue.',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: FIVE_MINUTES,
        statistic: 'Maximum',
      }),
    );
    alarm(
      'SweepFailed',
      'A daily sweep execution failed or timed out: what it did not reach stays due for the next run.',
      new cloudwatch.MathExpression({
        expression: 'failed + timedOut',
        usingMetrics: {
          failed: props.sweepStateMachine.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }),
          timedOut: props.sweepStateMachine.metricTimedOut({ period: FIVE_MINUTES, statistic: 'Sum' }),
        },
        period: FIVE_MINUTES,
      }),
    );
    alarm(
      'Api5xx',
      'The HTTP API answered 5xx: no client input may cause one (DESIGN.md principle 7).',
      props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
    );
  }
}
