import { CfnElement, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Daily at 02:00 China Standard Time: the calendar day the rules count in (RULES.md). */
export const SWEEP_CRON = 'cron(0 2 * * ? *)';
export const SWEEP_TIME_ZONE = TimeZone.ASIA_SHANGHAI;

export interface SweepScheduleProps {
  readonly prefix: string;
  readonly sweep: LambdaFunction;
}

/** Lambda's own retries of a sweep that crashed (async invocation); the sweep is safe to rerun. */
export const SWEEP_ASYNC_RETRIES = 2;

/**
 * EventBridge Scheduler runs the sweep every day. Scheduler invokes Lambda asynchronously, so its
 * retry policy and dead-letter queue cover only the delivery; a sweep that crashes is retried by
 * Lambda and then handed to the function's on-failure destination. Both lead to the same
 * encrypted queue, whose depth raises an alarm: a missed or crashed day is seen, never dropped.
 * (An asynchronous invocation with a destination, not a state machine around a synchronous one:
 * it is one resource, and the sweep's duties are claimed, so Lambda's retries are safe.)
 */
export class SweepSchedule extends Construct {
  readonly schedule: scheduler.Schedule;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: SweepScheduleProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      queueName: `${props.prefix}-sweep-dlq`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself the dead-letter queue of the sweep schedule and the sweep's on-failure destination; it needs none of its own.",
    });

    // Our own role, so its one wildcard finding can be acknowledged where it arises.
    const role = new iam.Role(this, 'InvokeRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Scheduler: invokes the daily sweep',
    });
    const cfn = props.sweep.node.defaultChild;
    if (!(cfn instanceof CfnElement)) throw new Error('the sweep function has no CloudFormation resource');
    const sweepLogicalId = Stack.of(this).resolve(Stack.of(this).getLogicalId(cfn)) as string;
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${sweepLogicalId}.Arn>:*]`,
      reason:
        "lambda:InvokeFunction on the sweep function's versions and aliases (<function ARN>:*), as the Scheduler target grant writes it: still only the sweep function.",
    });

    props.sweep.configureAsyncInvoke({
      retryAttempts: SWEEP_ASYNC_RETRIES,
      // Long enough for the retries after a throttled start; a day's sweep is pointless the next day.
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.deadLetterQueue),
    });

    this.schedule = new scheduler.Schedule(this, 'Daily', {
      scheduleName: `${props.prefix}-daily-sweep`,
      description: 'Runs the credit-repair sweep once a day (RULES.md §5)',
      schedule: scheduler.ScheduleExpression.expression(SWEEP_CRON, SWEEP_TIME_ZONE),
      timeWindow: scheduler.TimeWindow.off(),
      target: new targets.LambdaInvoke(props.sweep, {
        role,
        // The day to sweep is the one scheduled, so a retry that runs after midnight still does
        // that day's duties (functions/schedule/sweep.ts reads scheduledTime).
        input: scheduler.ScheduleTargetInput.fromObject({
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
        }),
        retryAttempts: 3,
        maxEventAge: Duration.hours(2),
        deadLetterQueue: this.deadLetterQueue,
      }),
    });
  }
}
