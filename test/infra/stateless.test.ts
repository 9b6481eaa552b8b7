import { Match, Template } from 'aws-cdk-lib/assertions';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_PARTITION } from '../../functions/composition/idempotency.ts';
import { ROUTES } from '../../functions/api/routes.ts';
import { API_FUNCTION_TIMEOUT_SECONDS, API_INTEGRATION_TIMEOUT_SECONDS } from '../../functions/http/route.ts';
import { DEFAULT_FUNCTION_TIMEOUT_MS, DEFAULT_INTEGRATION_TIMEOUT_MS } from '../../local/gateway/gateway.ts';
import { sweepDayOf } from '../../functions/schedule/sweep.ts';
import { invokedFunction, walkStates } from '../../workflows/asl.ts';
import { aslFromTemplate } from '../../workflows/render-asl.ts';
import { SWEEP_STATE_MACHINE_ID } from '../../workflows/sweep.ts';
import {
  EVENT_BUS_NAME_ENV,
  EVIDENCE_BUCKET_ENV,
  MAIL_ENV,
  LINK_SECRET_ARN_ENV,
  TABLE_NAME_ENV,
  STATE_MACHINE_ARN_ENV,
  REVIEW_BASE_URL_ENV,
  ROUTE_KEYS_ENV,
} from '../../functions/composition/environment.ts';
import { defaultApp } from '../support/synth-app.ts';
import { FALLBACK_EXPORT } from '../../infra/constructs/http-api.ts';
import { routeKeyOf } from '../../functions/http/route.ts';
import {
  API_HANDLER_ACCESS,
  FALLBACK_ACCESS,
  SWEEP_ACCESS,
  WORKFLOW_TASK_ACCESS,
  unusedApiAccessEntries,
  type FunctionAccess,
} from '../../infra/function-access.ts';
import { DEFAULT_FUNCTION_PREFIX, TASK_NAMES, functionNameFor } from '../../workflows/task-names.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };
interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

let template: Template;
let outdir: string;
const prefix = DEFAULT_FUNCTION_PREFIX;
const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

beforeAll(() => {
  // Synthesis runs cdk-nag AwsSolutions and throws on any unacknowledged finding.
  const app = defaultApp();
  outdir = app.outdir;
  template = Template.fromJSON(app.stateless as unknown as Record<string, unknown>);
});

/** Every deployed function by name, with the access-table entry it must match. */
function expectedFunctions(): Map<string, FunctionAccess> {
  const expected = new Map<string, FunctionAccess>();
  for (const task of TASK_NAMES) expected.set(functionNameFor(task), WORKFLOW_TASK_ACCESS[task]);
  for (const route of ROUTES) {
    expected.set(`${prefix}-api-${kebab(route.exportName)}`, API_HANDLER_ACCESS[route.exportName]!);
  }
  expected.set(`${prefix}-api-${kebab(FALLBACK_EXPORT)}`, FALLBACK_ACCESS);
  expected.set(`${prefix}-sweep`, SWEEP_ACCESS);
  return expected;
}

const functionsByName = (): Map<string, Resource> =>
  new Map(
    Object.values(template.findResources('AWS::Lambda::Function') as Record<string, Resource>).map((fn) => [
      fn.Properties.FunctionName as string,
      fn,
    ]),
  );

function statementsOf(fn: Resource): Statement[] {
  const role = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy') as Record<string, Resource>)
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === role))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resourcesOf = (s: Statement): unknown[] => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

describe('cdk-nag', () => {
  it('reports no unacknowledged AwsSolutions finding', () => {
    const report = join(outdir, 'validation-report.json');
    if (existsSync(report)) {
      const parsed = JSON.parse(readFileSync(report, 'utf8')) as {
        pluginReports: { pluginName: string; conclusion: string }[];
      };
      expect(parsed.pluginReports.filter((r) => r.conclusion === 'failure').map((r) => r.pluginName)).toEqual(
        [],
      );
    }
  });
});

describe('the functions', () => {
  it('are exactly one per workflow task, route handler, the fallback and the sweep', () => {
    expect([...functionsByName().keys()].sort()).toEqual([...expectedFunctions().keys()].sort());
    expect(unusedApiAccessEntries()).toEqual([]);
  });

  it('run on Node.js 24 and ARM64, traced, each with its own log group with a retention', () => {
    const logGroups = template.findResources('AWS::Logs::LogGroup') as Record<string, Resource>;
    const seen = new Set<string>();
    for (const [name, fn] of functionsByName()) {
      expect(fn.Properties, name).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
      });
      const ref = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(logGroups[ref]?.Properties.RetentionInDays, name).toBeGreaterThan(0);
      expect(seen.has(ref), name).toBe(false);
      seen.add(ref);
    }
  });

  it('give every API function the timeout the embedded gateway gives its handlers', () => {
    const api = [...functionsByName()].filter(([name]) => name.startsWith(`${prefix}-api-`));
    expect(api).toHaveLength(ROUTES.length + 1);
    for (const [name, fn] of api) expect(fn.Properties.Timeout, name).toBe(API_FUNCTION_TIMEOUT_SECONDS);
    expect(DEFAULT_FUNCTION_TIMEOUT_MS).toBe(API_FUNCTION_TIMEOUT_SECONDS * 1_000);
  });

  it('leave every route the HTTP API’s integration timeout, which the embedded gateway keeps, the function timeout inside it', () => {
    const integrations = Object.values(
      template.findResources('AWS::ApiGatewayV2::Integration') as Record<
        string,
        { Properties: Record<string, unknown> }
      >,
    );
    expect(integrations).toHaveLength(ROUTES.length + 1);
    // Unset is the HTTP API's default and maximum, 30 s.
    for (const integration of integrations) expect(integration.Properties.TimeoutInMillis).toBeUndefined();
    expect(API_INTEGRATION_TIMEOUT_SECONDS).toBe(30);
    expect(DEFAULT_INTEGRATION_TIMEOUT_MS).toBe(API_INTEGRATION_TIMEOUT_SECONDS * 1_000);
    expect(API_FUNCTION_TIMEOUT_SECONDS).toBeLessThan(API_INTEGRATION_TIMEOUT_SECONDS);
  });

  it('are told where their resources are through the variables the handlers read', () => {
    const expected = expectedFunctions();
    for (const [name, fn] of functionsByName()) {
      const access = expected.get(name)!;
      const env = Object.keys(
        (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {},
      );
      const want = new Set(['NODE_OPTIONS']);
      if (access.table) want.add(TABLE_NAME_ENV);
      if (access.workflow?.length) want.add(STATE_MACHINE_ARN_ENV);
      if (access.publishesListingChanges) want.add(EVENT_BUS_NAME_ENV);
      if (access.sendsEmail) {
        want.add(MAIL_ENV.sender);
        want.add(MAIL_ENV.sesConfigurationSet);
      }
      if (access.mailsReviewLinks) want.add(REVIEW_BASE_URL_ENV);
      if (access.evidence?.length) want.add(EVIDENCE_BUCKET_ENV);
      if (access.readsLinkSecret) want.add(LINK_SECRET_ARN_ENV);
      if (name === `${prefix}-api-${kebab(FALLBACK_EXPORT)}`) want.add(ROUTE_KEYS_ENV);
      expect(env.sort(), name).toEqual([...want].sort());
    }
  });

  it('give the $default route every route key of the table, and nothing else', () => {
    const fallback = functionsByName().get(`${prefix}-api-${kebab(FALLBACK_EXPORT)}`);
    const variables = (fallback?.Properties.Environment as { Variables: Record<string, string> }).Variables;
    expect(variables[ROUTE_KEYS_ENV]?.split('\n')).toEqual(ROUTES.map(routeKeyOf));
  });
});

describe('least privilege', () => {
  it('grants each function exactly the table actions of its access entry, on the table and its indexes only', () => {
    const expected = expectedFunctions();
    for (const [name, fn] of functionsByName()) {
      const access = expected.get(name)!;
      const table = statementsOf(fn).filter((s) => s.Sid === 'Table');
      const actions = table.flatMap(actionsOf).sort();
      expect(actions, name).toEqual((access.table ?? []).map((a) => `dynamodb:${a}`).sort());
      const dynamo = statementsOf(fn)
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('dynamodb:'));
      expect(dynamo, name).not.toContain('dynamodb:Scan');
      expect(
        dynamo.filter((a) => /Batch|Transact|\*/.test(a)),
        name,
      ).toEqual([]);
    }
  });

  it('never lets an API function delete, except idempotency records of its own handler', () => {
    const expected = expectedFunctions();
    for (const [name, fn] of functionsByName()) {
      const deletes = statementsOf(fn).filter((s) => actionsOf(s).includes('dynamodb:DeleteItem'));
      const partition = expected.get(name)!.idempotencyPartition;
      if (partition === undefined) {
        expect(deletes, name).toEqual([]);
        continue;
      }
      expect(deletes, name).toHaveLength(1);
      expect(actionsOf(deletes[0]!)).toEqual(['dynamodb:DeleteItem']);
      expect(deletes[0]!.Condition).toEqual({
        'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [partition] },
      });
    }
    const apiDeleters = ROUTES.filter((r) => API_HANDLER_ACCESS[r.exportName]?.idempotencyPartition);
    expect(apiDeleters.map((r) => r.exportName)).toEqual(['createApplication']);
  });

  it('lets createApplication delete exactly in the partition its idempotency layer writes', () => {
    const [fn] = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Properties: { FunctionName: `${prefix}-api-${kebab('createApplication')}` },
      }) as Record<string, Resource>,
    );
    expect(fn).toBeDefined();
    const deletes = statementsOf(fn!).filter((s) => actionsOf(s).includes('dynamodb:DeleteItem'));
    expect(deletes.map((s) => s.Condition)).toEqual([
      { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [IDEMPOTENCY_PARTITION] } },
    ]);
  });

  it('allows task-token answers and execution starts on this state machine only', () => {
    const machineArn = JSON.stringify({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':states:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          `:stateMachine:${prefix}-repair-application`,
        ],
      ],
    });
    const expected = expectedFunctions();
    let answering = 0;
    for (const [name, fn] of functionsByName()) {
      const states = statementsOf(fn).filter((s) => actionsOf(s).some((a) => a.startsWith('states:')));
      const granted = states
        .flatMap(actionsOf)
        .map((a) => a.replace('states:', ''))
        .sort();
      expect(granted, name).toEqual([...(expected.get(name)!.workflow ?? [])].sort());
      for (const statement of states) {
        const onMachine = actionsOf(statement).some((a) =>
          /SendTask|StartExecution|ListExecutions|DescribeStateMachine/.test(a),
        );
        if (onMachine)
          expect(
            resourcesOf(statement).map((r) => JSON.stringify(r)),
            name,
          ).toEqual([machineArn]);
        else
          expect(JSON.stringify(statement.Resource), name).toContain(
            `:execution:${prefix}-repair-application:*`,
          );
      }
      if (granted.includes('SendTaskSuccess')) answering += 1;
    }
    expect(answering).toBeGreaterThanOrEqual(4);
  });

  it('uses no action wildcard, and Resource * only for X-Ray', () => {
    for (const [name, fn] of functionsByName()) {
      for (const statement of statementsOf(fn)) {
        expect(
          actionsOf(statement).filter((a) => a.includes('*')),
          name,
        ).toEqual([]);
        if (resourcesOf(statement).includes('*')) {
          expect(
            actionsOf(statement).every((a) => a.startsWith('xray:')),
            name,
          ).toBe(true);
        }
      }
    }
  });

  it('gives mail, the review base URL and the link secret only to the tasks whose steps use them', () => {
    const tasksWith = (has: (access: FunctionAccess) => boolean | undefined) =>
      TASK_NAMES.filter((task) => has(WORKFLOW_TASK_ACCESS[task])).sort();
    expect(tasksWith((a) => a.sendsEmail)).toEqual(['awaitEvidence', 'notify', 'openReview']);
    expect(tasksWith((a) => a.mailsReviewLinks)).toEqual(['openReview']);
    expect(tasksWith((a) => a.readsLinkSecret)).toEqual(['openReview']);
    const env = (task: (typeof TASK_NAMES)[number]) =>
      Object.keys(
        (
          functionsByName().get(functionNameFor(task))?.Properties.Environment as {
            Variables: Record<string, unknown>;
          }
        ).Variables,
      );
    expect(env('tally')).not.toContain(MAIL_ENV.sender);
    expect(env('tally')).not.toContain(REVIEW_BASE_URL_ENV);
    expect(env('notify')).toContain(MAIL_ENV.sender);
    expect(env('notify')).not.toContain(REVIEW_BASE_URL_ENV);
    expect(env('openReview')).toEqual(expect.arrayContaining([REVIEW_BASE_URL_ENV, LINK_SECRET_ARN_ENV]));
  });

  it('sends mail only from the sender address, and reads the link secret only where links are hashed', () => {
    const expected = expectedFunctions();
    for (const [name, fn] of functionsByName()) {
      const access = expected.get(name)!;
      const mail = statementsOf(fn).filter((s) => actionsOf(s).includes('ses:SendEmail'));
      expect(mail.length, name).toBe(access.sendsEmail ? 1 : 0);
      for (const s of mail)
        expect(s.Condition, name).toEqual({ StringEquals: { 'ses:FromAddress': expect.any(String) } });
      const secret = statementsOf(fn).filter((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'));
      expect(secret.length, name).toBe(access.readsLinkSecret ? 1 : 0);
    }
  });
});

describe('the HTTP API', () => {
  const routes = () =>
    Object.values(template.findResources('AWS::ApiGatewayV2::Route') as Record<string, Resource>).map(
      (r) => r.Properties,
    );

  it('has one route per route-table entry and a $default fallback, nothing else', () => {
    expect(
      routes()
        .map((r) => r.RouteKey as string)
        .sort(),
    ).toEqual([...ROUTES.map((r) => `${r.method} ${r.path}`), '$default'].sort());
  });

  it('puts the JWT authorizer on every non-public route, and public routes only under the public paths', () => {
    const authorizers = template.findResources('AWS::ApiGatewayV2::Authorizer');
    expect(Object.keys(authorizers)).toHaveLength(1);
    const [authorizerId] = Object.keys(authorizers);
    for (const route of routes()) {
      const entry = ROUTES.find((r) => `${r.method} ${r.path}` === route.RouteKey);
      if (entry?.auth === 'jwt') {
        expect(route, String(route.RouteKey)).toMatchObject({
          AuthorizationType: 'JWT',
          AuthorizerId: { Ref: authorizerId },
        });
      } else {
        expect(route.AuthorizationType ?? 'NONE', String(route.RouteKey)).toBe('NONE');
        if (entry !== undefined)
          expect(entry.path).toMatch(/^\/(review|public)\/|^\/health$|^\/openapi\.json$/);
      }
    }
  });

  it('logs every request and throttles every route', () => {
    const [stage] = Object.values(
      template.findResources('AWS::ApiGatewayV2::Stage') as Record<string, Resource>,
    );
    expect(stage?.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
        Format: expect.stringContaining('$context.requestId'),
      },
      DefaultRouteSettings: {
        ThrottlingRateLimit: expect.any(Number),
        ThrottlingBurstLimit: expect.any(Number),
      },
    });
  });

  it("without an issuer, trusts the stateful stack's Cognito pool and its one client", () => {
    // The pool holds the users: it lives (and is tested) in the stateful stack.
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Audience: [Match.anyValue()], Issuer: Match.anyValue() },
    });
  });
});

describe('the daily sweep schedule', () => {
  it('runs daily at 02:00 Asia/Shanghai with retries and a dead-letter queue', () => {
    const [schedule] = Object.values(
      template.findResources('AWS::Scheduler::Schedule') as Record<string, Resource>,
    );
    expect(schedule?.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      State: 'ENABLED',
      Target: {
        RetryPolicy: { MaximumRetryAttempts: expect.any(Number) },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } },
      },
    });
    // The sweep learns which day it was scheduled for, however late a retry runs.
    const input = JSON.parse((schedule?.Properties.Target as { Input: string }).Input) as unknown;
    expect(input).toEqual({ scheduledTime: '<aws.scheduler.scheduled-time>' });
    // Scheduler puts the scheduled instant there: 02:00 in Shanghai is 18:00 UTC the day before.
    expect(sweepDayOf({ scheduledTime: '2026-06-30T18:00:00Z' })).toBe('2026-07-01');
    // It starts the Sweep state machine, whose steps all run in the sweep function.
    const target = (schedule?.Properties.Target as { Arn: { Ref: string } }).Arn;
    const machines = template.findResources('AWS::StepFunctions::StateMachine', {
      Properties: { StateMachineName: `${prefix}-sweep` },
    });
    expect(Object.keys(machines)).toEqual([target.Ref]);
    const sweep = template.findResources('AWS::Lambda::Function', {
      Properties: { FunctionName: `${prefix}-sweep` },
    });
    const asl = aslFromTemplate(template.toJSON() as never, undefined, SWEEP_STATE_MACHINE_ID);
    const invoked = [...walkStates(asl)].map(({ state }) => invokedFunction(state)).filter(Boolean);
    expect(new Set(invoked)).toEqual(
      new Set([expect.stringMatching(new RegExp(`:function:${prefix}-sweep$`))]),
    );
    expect(Object.keys(sweep)).toHaveLength(1);
  });

  it('keeps failed invocations in an encrypted, TLS-only queue', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('mail, secret and alarms', () => {
  it('sends through a configuration set that suppresses bounces and complaints', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
    template.resourceCountIs('AWS::SES::EmailIdentity', 1);
  });

  it('keeps no secret of its own: the link secret is stateful', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  it('alarms on failed and timed-out executions, every function error, the DLQ and API 5xx, to an encrypted topic', () => {
    const alarms = Object.values(
      template.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>,
    );
    const metrics = alarms.map((a) => a.Properties.MetricName);
    expect(metrics).toContain('ExecutionsFailed');
    expect(metrics).toContain('ExecutionsTimedOut');
    expect(metrics).toContain('ApproximateNumberOfMessagesVisible');
    expect(metrics).toContain('5xx');
    expect(metrics.filter((m) => m === 'Errors')).toHaveLength(expectedFunctions().size);
    const [topic] = Object.keys(template.findResources('AWS::SNS::Topic'));
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });
});
