import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/** Daily at 02:00 China Standard Time: the calendar day the rules count in (RULES.md). */
export const SWEEP_CRON = 'cron(0 2 * * ? *)';
export const SWEEP_TIME_ZONE = TimeZone.ASIA_SHANGHAI;

export interface SweepScheduleProps {
  readonly prefix: string;
  /** The Sweep state machine (workflows/sweep.ts): the schedule starts one execution a day. */
  readonly stateMachine: IStateMachine;
}

/**
 * EventBridge Scheduler starts the Sweep state machine every day. Scheduler's retry policy and
 * dead-letter queue cover the start: a day whose execution could not be started lands in the
 * encrypted queue, whose depth raises an alarm; a started run retries its own pages (workflows/sweep.ts)
 * and a failed execution raises the sweep's own alarm (constructs/alarms.ts). A missed or crashed
 * day is seen, never dropped; the duties are claimed, so running a day again is safe.
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
      reason: 'This queue is itself the dead-letter queue of the sweep schedule; it needs none of its own.',
    });

    const role = new iam.Role(this, 'StartRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Scheduler: starts the daily sweep state machine',
    });

    this.schedule = new scheduler.Schedule(this, 'Daily', {
      scheduleName: `${props.prefix}-daily-sweep`,
      description: 'Runs the credit-repair sweep once a day (RULES.md §5)',
      schedule: scheduler.ScheduleExpression.expression(SWEEP_CRON, SWEEP_TIME_ZONE),
      timeWindow: scheduler.TimeWindow.off(),
      target: new targets.StepFunctionsStartExecution(props.stateMachine, {
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
