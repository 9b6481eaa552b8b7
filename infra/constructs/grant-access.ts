import { Arn, ArnFormat, Fn, Stack, Token, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import {
  EVENT_BUS_NAME_ENV,
  EVIDENCE_BUCKET_ENV,
  MAIL_ENV,
  SMTP_SECRET_ARN_ENV,
  LINK_SECRET_ARN_ENV,
  STATE_MACHINE_ARN_ENV,
  REVIEW_BASE_URL_ENV,
} from '../../functions/composition/environment.ts';
import { EVIDENCE_KEY_PREFIX, FROZEN_KEY_PREFIX } from '../../functions/ports/evidence-store.ts';
import type { FunctionAccess, WorkflowAction } from '../function-access.ts';
import { bindTable } from './bind-table.ts';
import { stateMachineArnFor } from './repair-application-state-machine.ts';

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
  readonly mail: MailResources;
  readonly reviewBaseUrl: string;
}

/** How a mailing function sends: SES v2 from the verified identity, or SMTP with a secret relay. */
export type MailResources =
  | {
      readonly transport: 'ses';
      readonly senderEmail: string;
      readonly identityName: string;
      readonly configurationSetName: string;
    }
  | { readonly transport: 'smtp'; readonly senderEmail: string; readonly smtpSecret: ISecret };

export type MailTransport = MailResources['transport'];

const ON_STATE_MACHINE: readonly WorkflowAction[] = [
  'StartExecution',
  'SendTaskSuccess',
  'SendTaskFailure',
  'ListExecutions',
  'DescribeStateMachine',
];

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

/** The statements an access entry can produce, by the Sid each has in the role policy. */
export type AccessStatementSid =
  | 'Table'
  | 'IdempotencyRecords'
  | 'StateMachine'
  | 'Executions'
  | 'ListingBus'
  | 'SendEmail'
  | 'SmtpSecret'
  | 'EvidenceUpload'
  | 'EvidenceInspect'
  | 'EvidenceFreeze'
  | 'EvidenceOpen'
  | 'LinkSecret';

/** The key prefix each evidence statement is on: uploads under one, frozen copies under the other. */
const EVIDENCE_STATEMENT_PREFIX: Readonly<Partial<Record<AccessStatementSid, string>>> = {
  EvidenceUpload: EVIDENCE_KEY_PREFIX,
  EvidenceInspect: EVIDENCE_KEY_PREFIX,
  EvidenceFreeze: FROZEN_KEY_PREFIX,
  EvidenceOpen: FROZEN_KEY_PREFIX,
};

/** One IAM statement of a function's role: which actions, on the resource its Sid stands for. */
export interface AccessStatement {
  readonly sid: AccessStatementSid;
  readonly actions: readonly string[];
}

/**
 * The IAM statements `access` grants, in the order grantAccess adds them, without resources: the
 * one place an access entry becomes IAM action names, so what the template grants and what tests
 * check handlers' SDK calls against (test/infra/grants-cover-calls.test.ts) cannot differ.
 */
export function accessStatements(access: FunctionAccess, mail: MailTransport = 'ses'): AccessStatement[] {
  const statements: AccessStatement[] = [];
  if (access.table !== undefined) {
    // bindTable writes this statement (it adds the index ARNs); same Sid and actions.
    statements.push({ sid: 'Table', actions: [...new Set(access.table)].sort().map((a) => `dynamodb:${a}`) });
  }
  if (access.idempotencyPartition !== undefined) {
    statements.push({ sid: 'IdempotencyRecords', actions: ['dynamodb:DeleteItem'] });
  }
  const workflow = [...new Set(access.workflow ?? [])].sort();
  const onMachine = workflow.filter((a) => ON_STATE_MACHINE.includes(a));
  const onExecutions = workflow.filter((a) => !ON_STATE_MACHINE.includes(a));
  if (onMachine.length > 0)
    statements.push({ sid: 'StateMachine', actions: onMachine.map((a) => `states:${a}`) });
  if (onExecutions.length > 0) {
    statements.push({ sid: 'Executions', actions: onExecutions.map((a) => `states:${a}`) });
  }
  if (access.publishesListingChanges) statements.push({ sid: 'ListingBus', actions: ['events:PutEvents'] });
  if (access.sendsEmail) {
    statements.push(
      mail === 'ses'
        ? { sid: 'SendEmail', actions: ['ses:SendEmail'] }
        : { sid: 'SmtpSecret', actions: ['secretsmanager:GetSecretValue'] },
    );
  }
  const evidence = new Set(access.evidence ?? []);
  if (evidence.has('upload')) statements.push({ sid: 'EvidenceUpload', actions: ['s3:PutObject'] });
  if (evidence.has('inspect')) statements.push({ sid: 'EvidenceInspect', actions: ['s3:GetObject'] });
  // CopyObject writes the frozen copy (PutObject there); the copy is then read back to verify it.
  if (evidence.has('freeze')) {
    statements.push({ sid: 'EvidenceFreeze', actions: ['s3:GetObject', 's3:PutObject'] });
  } else if (evidence.has('open')) {
    statements.push({ sid: 'EvidenceOpen', actions: ['s3:GetObject'] });
  }
  if (access.readsLinkSecret) {
    statements.push({ sid: 'LinkSecret', actions: ['secretsmanager:GetSecretValue'] });
  }
  return statements;
}

/** Every IAM action `access` grants (on whichever resource), e.g. `dynamodb:Query`, `ses:SendEmail`. */
export function grantedActions(access: FunctionAccess, mail: MailTransport = 'ses'): Set<string> {
  return new Set(accessStatements(access, mail).flatMap((statement) => statement.actions));
}

/**
 * Grants `fn` exactly what `access` lists, each on the one resource it concerns, and sets the
 * environment variables through which the handler finds those resources.
 */
export function grantAccess(fn: LambdaFunction, access: FunctionAccess, resources: AccessResources): void {
  const stack = Stack.of(fn);
  const allow = (
    { sid, actions }: AccessStatement,
    resourceArns: string[],
    conditions?: iam.Conditions,
  ): void =>
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid,
        actions: [...actions],
        resources: resourceArns,
        ...(conditions === undefined ? {} : { conditions }),
      }),
    );
  if (access.idempotencyPartition !== undefined && access.table === undefined) {
    throw new Error(`${fn.node.path}: idempotency records need table access`);
  }
  if (access.mailsReviewLinks && !access.sendsEmail) {
    throw new Error(`${fn.node.path}: mailing review links needs sendsEmail`);
  }
  const { mail } = resources;
  const statements = accessStatements(access, mail.transport);
  for (const statement of statements) {
    switch (statement.sid) {
      case 'Table':
        bindTable(fn, resources.table, access.table ?? []);
        break;
      case 'IdempotencyRecords':
        allow(statement, [resources.table.tableArn], {
          'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [access.idempotencyPartition] },
        });
        break;
      case 'StateMachine':
        allow(statement, [stateMachineArnFor(stack, resources.stateMachineName)]);
        break;
      case 'Executions':
        allow(statement, [executionsArn(stack, resources.stateMachineName)]);
        acknowledgeWildcard(
          fn,
          `arn:${nagValue(stack.partition, 'AWS::Partition')}:states:${nagValue(stack.region, 'AWS::Region')}:${nagValue(stack.account, 'AWS::AccountId')}:execution:${resources.stateMachineName}:*`,
          `${statement.actions.map((a) => a.replace(/^states:/, '')).join(' and ')} act on executions, which are named per application at run time; the ARN pins the state machine ${resources.stateMachineName}, so only its executions match.`,
        );
        break;
      case 'ListingBus':
        allow(statement, [resources.listingBus.eventBusArn]);
        break;
      case 'SendEmail':
        if (mail.transport !== 'ses') throw new Error('SendEmail without SES');
        allow(
          statement,
          [
            sesArn(stack, 'identity', mail.identityName),
            sesArn(stack, 'configuration-set', mail.configurationSetName),
          ],
          { StringEquals: { 'ses:FromAddress': mail.senderEmail } },
        );
        break;
      case 'SmtpSecret':
        if (mail.transport !== 'smtp') throw new Error('an SMTP secret without SMTP');
        allow(statement, [mail.smtpSecret.secretArn]);
        break;
      case 'EvidenceUpload':
      case 'EvidenceInspect':
      case 'EvidenceFreeze':
      case 'EvidenceOpen':
        allow(statement, [
          `${Fn.importValue(resources.evidence.bucketArnExport)}/${EVIDENCE_STATEMENT_PREFIX[statement.sid]}*`,
        ]);
        break;
      case 'LinkSecret':
        allow(statement, [resources.linkSecret.secretArn]);
        break;
    }
  }

  if (access.workflow !== undefined && access.workflow.length > 0) {
    fn.addEnvironment(STATE_MACHINE_ARN_ENV, stateMachineArnFor(stack, resources.stateMachineName));
  }
  if (access.publishesListingChanges) {
    fn.addEnvironment(EVENT_BUS_NAME_ENV, resources.listingBus.eventBusName);
  }
  if (access.sendsEmail) {
    fn.addEnvironment(MAIL_ENV.sender, mail.senderEmail);
    if (mail.transport === 'ses') fn.addEnvironment(MAIL_ENV.sesConfigurationSet, mail.configurationSetName);
    // Like the link secret: the ARN only; the function reads the value once per container.
    else fn.addEnvironment(SMTP_SECRET_ARN_ENV, mail.smtpSecret.secretArn);
  }
  if (access.mailsReviewLinks) fn.addEnvironment(REVIEW_BASE_URL_ENV, resources.reviewBaseUrl);

  const evidenceStatements = statements.filter((s) => EVIDENCE_STATEMENT_PREFIX[s.sid] !== undefined);
  for (const prefix of new Set(evidenceStatements.map((s) => EVIDENCE_STATEMENT_PREFIX[s.sid]))) {
    const actions = [
      ...new Set(
        evidenceStatements
          .filter((s) => EVIDENCE_STATEMENT_PREFIX[s.sid] === prefix)
          .flatMap((s) => s.actions),
      ),
    ];
    acknowledgeWildcard(
      fn,
      `${resources.evidence.bucketArnExport}/${prefix}*`,
      prefix === EVIDENCE_KEY_PREFIX
        ? `Evidence object keys are generated per application and file (${EVIDENCE_KEY_PREFIX}<application>/<evidence>/<name>); the grant is limited to that prefix of the evidence bucket and to ${actions.join(' and ')}.`
        : `Frozen evidence copies are keyed per application and upload (${FROZEN_KEY_PREFIX}<application>/<evidence>/<name>), written at submission; the grant is limited to that prefix of the evidence bucket and to ${actions.join(' and ')}.`,
    );
  }
  if (evidenceStatements.length > 0) fn.addEnvironment(EVIDENCE_BUCKET_ENV, resources.evidence.bucketName);

  // The handler reads the value once per cold start (functions/adapters/secrets-manager/link-secret.ts); only the ARN
  // sits in the function configuration.
  if (access.readsLinkSecret) fn.addEnvironment(LINK_SECRET_ARN_ENV, resources.linkSecret.secretArn);
}
