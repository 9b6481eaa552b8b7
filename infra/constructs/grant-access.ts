import { Arn, ArnFormat, Fn, Stack, Token, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { EVENT_BUS_NAME_ENV } from '../../functions/lib/events-publisher.ts';
import { EVIDENCE_BUCKET_ENV } from '../../functions/lib/evidence-store.ts';
import { MAIL_ENV } from '../../functions/lib/mailer/port.ts';
import { LINK_SECRET_ARN_ENV } from '../../functions/lib/review-links.ts';
import { STATE_MACHINE_ARN_ENV } from '../../functions/lib/workflow-client.ts';
import { REVIEW_BASE_URL_ENV } from '../../functions/workflow/context.ts';
import type { FunctionAccess, WorkflowAction } from '../function-access.ts';
import { bindTable } from './bind-table.ts';
import { stateMachineArnFor } from './repair-application-state-machine.ts';

/** Evidence objects live under this key prefix (functions/lib/evidence-store.ts evidenceKey). */
export const EVIDENCE_KEY_PREFIX = 'applications/';

/** Where a function's access is granted: every resource an access entry can name. */
export interface AccessResources {
  readonly table: ITableV2;
  readonly stateMachineName: string;
  readonly listingBus: IEventBus;
  readonly evidence: {
    readonly bucketName: string;
    /** The export holding the bucket ARN: the object grant reads it with Fn::ImportValue. */
    readonly bucketArnExport: string;
  };
  readonly linkSecret: ISecret;
  readonly mail: {
    readonly senderEmail: string;
    readonly identityName: string;
    readonly configurationSetName: string;
  };
  readonly reviewBaseUrl: string;
}

const ON_STATE_MACHINE: readonly WorkflowAction[] = ['StartExecution', 'SendTaskSuccess', 'SendTaskFailure'];

/** Every execution of the named state machine: `…:execution:<machine>:*` (execution names vary). */
export function executionsArn(stack: Stack, name: string): string {
  return Arn.format(
    {
      service: 'states',
      resource: 'execution',
      resourceName: `${name}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    },
    stack,
  );
}

function sesArn(stack: Stack, resource: string, name: string): string {
  return Arn.format(
    { service: 'ses', resource, resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME },
    stack,
  );
}

/**
 * A pseudo parameter as cdk-nag spells it in a finding: the literal when the stack's environment
 * fixes it (`cdk synth` sets the default region), else `<AWS::Region>` and the like.
 */
function nagValue(value: string, pseudoParameter: string): string {
  return Token.isUnresolved(value) ? `<${pseudoParameter}>` : value;
}

/** Acknowledges one wildcard resource of `fn`'s role policy, by its exact cdk-nag finding. */
function acknowledgeWildcard(fn: LambdaFunction, resource: string, reason: string): void {
  if (fn.role === undefined) throw new Error(`${fn.node.path} has no role`);
  Validations.of(fn.role).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
}

/**
 * Grants `fn` exactly what `access` lists, each on the one resource it concerns, and sets the
 * environment variables through which the handler finds those resources.
 */
export function grantAccess(fn: LambdaFunction, access: FunctionAccess, resources: AccessResources): void {
  const stack = Stack.of(fn);
  const allow = (sid: string, actions: string[], resourceArns: string[], conditions?: iam.Conditions) =>
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid,
        actions,
        resources: resourceArns,
        ...(conditions === undefined ? {} : { conditions }),
      }),
    );

  if (access.table !== undefined) bindTable(fn, resources.table, access.table);
  if (access.idempotencyPartition !== undefined) {
    if (access.table === undefined) throw new Error(`${fn.node.path}: idempotency records need table access`);
    allow('IdempotencyRecords', ['dynamodb:DeleteItem'], [resources.table.tableArn], {
      'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [access.idempotencyPartition] },
    });
  }

  const workflow = [...new Set(access.workflow ?? [])].sort();
  if (workflow.length > 0) {
    const onMachine = workflow.filter((a) => ON_STATE_MACHINE.includes(a));
    const onExecutions = workflow.filter((a) => !ON_STATE_MACHINE.includes(a));
    if (onMachine.length > 0) {
      allow(
        'StateMachine',
        onMachine.map((a) => `states:${a}`),
        [stateMachineArnFor(stack, resources.stateMachineName)],
      );
    }
    if (onExecutions.length > 0) {
      allow(
        'Executions',
        onExecutions.map((a) => `states:${a}`),
        [executionsArn(stack, resources.stateMachineName)],
      );
      acknowledgeWildcard(
        fn,
        `arn:${nagValue(stack.partition, 'AWS::Partition')}:states:${nagValue(stack.region, 'AWS::Region')}:${nagValue(stack.account, 'AWS::AccountId')}:execution:${resources.stateMachineName}:*`,
        `${onExecutions.join(' and ')} act on executions, which are named per application at run time; the ARN pins the state machine ${resources.stateMachineName}, so only its executions match.`,
      );
    }
    fn.addEnvironment(STATE_MACHINE_ARN_ENV, stateMachineArnFor(stack, resources.stateMachineName));
  }

  if (access.publishesListingChanges) {
    allow('ListingBus', ['events:PutEvents'], [resources.listingBus.eventBusArn]);
    fn.addEnvironment(EVENT_BUS_NAME_ENV, resources.listingBus.eventBusName);
  }

  if (access.sendsEmail) {
    allow(
      'SendEmail',
      ['ses:SendEmail'],
      [
        sesArn(stack, 'identity', resources.mail.identityName),
        sesArn(stack, 'configuration-set', resources.mail.configurationSetName),
      ],
      { StringEquals: { 'ses:FromAddress': resources.mail.senderEmail } },
    );
    fn.addEnvironment(MAIL_ENV.sender, resources.mail.senderEmail);
    fn.addEnvironment(MAIL_ENV.sesConfigurationSet, resources.mail.configurationSetName);
  }
  if (access.mailsReviewLinks) {
    if (!access.sendsEmail) throw new Error(`${fn.node.path}: mailing review links needs sendsEmail`);
    fn.addEnvironment(REVIEW_BASE_URL_ENV, resources.reviewBaseUrl);
  }

  const evidence = new Set(access.evidence ?? []);
  if (evidence.size > 0) {
    const objects = `${Fn.importValue(resources.evidence.bucketArnExport)}/${EVIDENCE_KEY_PREFIX}*`;
    if (evidence.has('upload')) allow('EvidenceUpload', ['s3:PutObject'], [objects]);
    if (evidence.has('inspect')) allow('EvidenceInspect', ['s3:GetObject'], [objects]);
    acknowledgeWildcard(
      fn,
      `${resources.evidence.bucketArnExport}/${EVIDENCE_KEY_PREFIX}*`,
      `Evidence object keys are generated per application and file (applications/<application>/<evidence>/<name>); the grant is limited to that prefix of the evidence bucket and to ${[...evidence].map((e) => (e === 'upload' ? 's3:PutObject' : 's3:GetObject')).join(' and ')}.`,
    );
    fn.addEnvironment(EVIDENCE_BUCKET_ENV, resources.evidence.bucketName);
  }

  // The handler reads the value once per cold start (functions/lib/review-links.ts); only the ARN
  // sits in the function configuration.
  if (access.readsLinkSecret) {
    allow('LinkSecret', ['secretsmanager:GetSecretValue'], [resources.linkSecret.secretArn]);
    fn.addEnvironment(LINK_SECRET_ARN_ENV, resources.linkSecret.secretArn);
  }
}
