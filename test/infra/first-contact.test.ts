import { execFile, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/api/routes.ts';
import { MAIL_ENV, SMTP_SECRET_ARN_ENV } from '../../functions/composition/environment.ts';
import { TABLE_SCHEMA } from '../../functions/ports/store/schema.ts';
import { stackNamesFor } from '../../infra/build-app.ts';
import { ControlTowerGuard, GUARD_SUPPRESSIONS } from '../../infra/control-tower-guard.ts';
import { walkStates } from '../../workflows/asl.ts';
import { aslFromTemplate, renderAsl, renderSweepAsl } from '../../workflows/render-asl.ts';
import { SWEEP_STATE_MACHINE_ID } from '../../workflows/sweep.ts';
import { apiFunctionNameFor, CORS_EXPOSED_HEADERS } from '../../infra/constructs/http-api.ts';
import { API_HANDLER_ACCESS, SWEEP_ACCESS, WORKFLOW_TASK_ACCESS } from '../../infra/function-access.ts';
import { listingBusNameFor } from '../../infra/stateful-stack.ts';
import { DEFAULT_FUNCTION_PREFIX, TASK_NAMES, functionNameFor } from '../../workflows/task-names.ts';
import {
  CHINA_CONTEXT,
  resourcesOfType,
  synthApp,
  type CfnResource,
  type CfnTemplate,
  type SynthesizedApp,
} from '../support/synth-app.ts';

/**
 * What would break or degrade on a real account (issue 12), pinned on the synthesized templates:
 * one describe per finding. AWS behaviour no emulator shows is pinned here as template facts and,
 * where code is involved, on the wire (test/unit/lib/evidence-store-forbidden.test.ts,
 * test/unit/lib/transient-errors.test.ts, test/integration/workflow-transient-errors.test.ts).
 *
 * Then independent checkers on the same templates, offline: cfn-lint (the CloudFormation resource
 * specifications per region) on both templates of both profiles, asl-validator on the state
 * machine, and the Control Tower guard rules (infra/control-tower-guard.ts). cfn-lint is a Python
 * tool on this machine's image, not an npm package: where it is missing, its checks skip and say
 * so. One file, so the three synthesized apps serve every check.
 */

const ORIGIN = 'https://console.customs.example';
const CALLBACK = `${ORIGIN}/signed-in`;
const OTHER_PREFIX = 'pilot';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const aslValidator = require('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};

const cfnLintVersion = ((): string | undefined => {
  try {
    return execFileSync('cfn-lint', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
})();
if (cfnLintVersion === undefined) {
  console.warn('cfn-lint is not installed (pip install cfn-lint): the cfn-lint checks are SKIPPED');
}

/**
 * cfn-lint findings read and accepted, by rule, with the reason. Anything else, error or warning,
 * fails the test.
 */
const TRIAGED_CFN_LINT: Readonly<Record<string, string>> = {
  W3005:
    "DependsOn a function's role and policy that a GetAtt already implies: the CDK writes it on purpose, so the policy is attached before the function can be invoked.",
};

/** The regions each profile is linted for: a global region near the users, and both China regions. */
const GLOBAL_REGIONS = ['us-east-1', 'ap-southeast-1'];
const CHINA_REGIONS = ['cn-north-1', 'cn-northwest-1'];

interface CfnLintFinding {
  readonly Rule: { readonly Id: string };
  readonly Level: string;
  readonly Message: string;
  readonly Filename: string;
}

/** One cfn-lint run over both templates and every region of a profile (one process: ~5 s here). */
async function cfnLint(app: SynthesizedApp, regions: readonly string[]): Promise<CfnLintFinding[]> {
  const args = [...app.templatePaths, '--regions', ...regions, '--format', 'json'];
  try {
    await run('cfn-lint', args, { maxBuffer: 64 * 1024 * 1024 });
    return [];
  } catch (error) {
    // cfn-lint exits non-zero when it finds anything; its findings are on stdout.
    const stdout = (error as { stdout?: string }).stdout;
    if (stdout === undefined || stdout === '') throw error;
    return JSON.parse(stdout) as CfnLintFinding[];
  }
}

let lints: Promise<[CfnLintFinding[], CfnLintFinding[]]> | undefined;
let base: SynthesizedApp;
let other: SynthesizedApp;
let china: SynthesizedApp;

beforeAll(() => {
  base = synthApp({ webOrigins: ORIGIN, oauthCallbackUrls: CALLBACK });
  // A second deployment in the same account and region, whose sender domain's SES identity the
  // first deployment already owns.
  other = synthApp({ prefix: OTHER_PREFIX, sesIdentity: 'existing' });
  // The China profile as `npm run synth -- -c partition=aws-cn …` writes it: region-agnostic.
  china = synthApp(CHINA_CONTEXT);
  // Both profiles at once, in other processes, while the checks below run.
  if (cfnLintVersion !== undefined)
    lints = Promise.all([cfnLint(base, GLOBAL_REGIONS), cfnLint(china, CHINA_REGIONS)]);
});

const all = (app: SynthesizedApp): [string, CfnResource][] => [
  ...Object.entries(app.stateful.Resources),
  ...Object.entries(app.stateless.Resources),
];
const ofType = (app: SynthesizedApp, type: string): CfnResource[] =>
  all(app)
    .filter(([, r]) => r.Type === type)
    .map(([, r]) => r);
const props = (resource: CfnResource | undefined): Record<string, unknown> => resource?.Properties ?? {};

interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}
const statementsOf = (policy: CfnResource): Statement[] =>
  (props(policy).PolicyDocument as { Statement: Statement[] }).Statement;
const actions = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('2. alarms reach someone', () => {
  it('the alarm topic policy lets CloudWatch alarms of this account publish, next to the TLS-only Deny', () => {
    const [policy] = ofType(base, 'AWS::SNS::TopicPolicy');
    const statements = statementsOf(policy!);
    expect(
      statements.some((s) => s.Effect === 'Deny' && JSON.stringify(s.Condition).includes('SecureTransport')),
    ).toBe(true);
    const allow = statements.find((s) => s.Effect === 'Allow');
    expect(allow).toMatchObject({
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
    expect(JSON.stringify(allow?.Condition?.ArnLike)).toContain(':cloudwatch:');
    expect(JSON.stringify(allow?.Condition?.ArnLike)).toContain(':alarm:*');
  });
});

describe('3. browsers on the console origin can call the API', () => {
  it('answers CORS preflights for the configured origins, every routed method and every header a route reads', () => {
    const [api] = ofType(base, 'AWS::ApiGatewayV2::Api');
    const cors = props(api).CorsConfiguration as Record<string, unknown>;
    expect(cors.AllowOrigins).toEqual([ORIGIN]);
    expect(cors.AllowMethods).toEqual([...new Set(ROUTES.map((r) => r.method))].sort());
    expect(cors.AllowHeaders).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'idempotency-key']),
    );
    expect(cors.ExposeHeaders).toEqual([...CORS_EXPOSED_HEADERS]);
    expect(cors.AllowCredentials).toBe(false);
  });

  it('the evidence bucket admits the presigned POST from the same origins', () => {
    const withCors = ofType(base, 'AWS::S3::Bucket').filter((b) => props(b).CorsConfiguration !== undefined);
    expect(withCors).toHaveLength(1);
    expect(props(withCors[0]).CorsConfiguration).toEqual({
      CorsRules: [expect.objectContaining({ AllowedMethods: ['POST'], AllowedOrigins: [ORIGIN] })],
    });
  });
});

describe('4. one deployment per prefix', () => {
  /** Every name AWS makes unique per account and region, by resource type and property. */
  const physicalNames = (app: SynthesizedApp): string[] =>
    all(app).flatMap(([, resource]) => {
      const p = props(resource);
      const named: Record<string, string> = {
        'AWS::Lambda::Function': 'FunctionName',
        'AWS::StepFunctions::StateMachine': 'StateMachineName',
        'AWS::Events::EventBus': 'Name',
        'AWS::ApiGatewayV2::Api': 'Name',
        'AWS::SecretsManager::Secret': 'Name',
        'AWS::Scheduler::Schedule': 'Name',
        'AWS::SNS::Topic': 'TopicName',
        'AWS::SQS::Queue': 'QueueName',
        'AWS::Cognito::UserPool': 'UserPoolName',
        'AWS::Logs::LogGroup': 'LogGroupName',
        'AWS::SES::ConfigurationSet': 'Name',
        'AWS::SES::EmailIdentity': 'EmailIdentity',
      };
      const key = named[resource.Type];
      return key === undefined || typeof p[key] !== 'string' ? [] : [`${resource.Type} ${p[key] as string}`];
    });
  const exportsOf = (app: SynthesizedApp): string[] =>
    [app.stateful, app.stateless].flatMap((t: CfnTemplate) =>
      Object.values(t.Outputs ?? {}).flatMap((o) =>
        o.Export === undefined ? [] : [JSON.stringify(o.Export.Name)],
      ),
    );

  it('gives the stacks names of their own', () => {
    expect(base.built.stateful.stackName).toBe(stackNamesFor(DEFAULT_FUNCTION_PREFIX).stateful);
    const ids = (app: SynthesizedApp) =>
      [app.built.stateful, app.built.stateless].flatMap((s) => [s.node.id, s.stackName]);
    expect(ids(other).filter((id) => ids(base).includes(id))).toEqual([]);
    expect(ids(other).every((id) => id.startsWith(`${OTHER_PREFIX}-`))).toBe(true);
  });

  it('gives the listing bus and every named resource a name of its own', () => {
    expect(physicalNames(other)).toContain(`AWS::Events::EventBus ${listingBusNameFor(OTHER_PREFIX)}`);
    expect(physicalNames(base)).toContain(
      `AWS::Events::EventBus ${listingBusNameFor(DEFAULT_FUNCTION_PREFIX)}`,
    );
    expect(physicalNames(base).length).toBeGreaterThan(50);
    expect(physicalNames(other).filter((name) => physicalNames(base).includes(name))).toEqual([]);
  });

  it('exports under names of its own', () => {
    expect(exportsOf(other).length).toBeGreaterThan(0);
    expect(exportsOf(other).filter((name) => exportsOf(base).includes(name))).toEqual([]);
  });

  it('leaves the SES identity of a shared sender domain to the deployment that created it', () => {
    expect(ofType(base, 'AWS::SES::EmailIdentity')).toHaveLength(1);
    expect(ofType(other, 'AWS::SES::EmailIdentity')).toHaveLength(0);
  });
});

describe('5. applicants cannot grant themselves enterprises', () => {
  it('the app client writes only the display name, never custom:enterprises, and offers no implicit flow', () => {
    const [client] = ofType(base, 'AWS::Cognito::UserPoolClient');
    expect(props(client).WriteAttributes).toEqual(['name']);
    expect(props(client).AllowedOAuthFlows).toEqual(['code']);
    expect(props(client).CallbackURLs).toEqual([CALLBACK]);
    expect(JSON.stringify(props(client))).not.toContain('example.com');
  });

  it('without callback URLs the client has no OAuth flow at all', () => {
    const [client] = ofType(other, 'AWS::Cognito::UserPoolClient');
    expect(props(client).WriteAttributes).toEqual(['name']);
    expect(props(client).AllowedOAuthFlows).toBeUndefined();
    expect(props(client).CallbackURLs).toBeUndefined();
    expect(props(client).AllowedOAuthFlowsUserPoolClient).toBe(false);
  });
});

describe('7. a crashing sweep is seen', () => {
  it('retries its pages, alarms when its execution fails, and a start Scheduler gave up on lands in the alarmed queue', () => {
    const [queueId] = resourcesOfType(base.stateless, 'AWS::SQS::Queue').map(([id]) => id);
    const [schedule] = ofType(base, 'AWS::Scheduler::Schedule');
    expect(JSON.stringify(props(schedule).Target)).toContain(queueId);
    const alarmed = ofType(base, 'AWS::CloudWatch::Alarm').filter((a) =>
      JSON.stringify(props(a).Dimensions ?? []).includes(queueId!),
    );
    expect(alarmed).toHaveLength(1);
    const [machineId] = resourcesOfType(base.stateless, 'AWS::StepFunctions::StateMachine')
      .filter(([, m]) => props(m).StateMachineName === `${DEFAULT_FUNCTION_PREFIX}-sweep`)
      .map(([id]) => id);
    expect(machineId).toBeDefined();
    const sweepAlarms = ofType(base, 'AWS::CloudWatch::Alarm').filter((a) =>
      JSON.stringify(props(a).Metrics ?? []).includes(machineId!),
    );
    expect(sweepAlarms).toHaveLength(1);
    const asl = aslFromTemplate(base.stateless, undefined, SWEEP_STATE_MACHINE_ID);
    for (const { name, state } of walkStates(asl)) {
      if (state.Type === 'Task') expect(state.Retry?.length, name).toBeGreaterThan(0);
    }
  });

  it('reads which executions run with ListExecutions instead of describing every open one', () => {
    expect(SWEEP_ACCESS.workflow).toEqual(expect.arrayContaining(['ListExecutions', 'DescribeExecution']));
  });
});

describe('8. what holds state survives a redeploy of the stateless stack', () => {
  it('the link secret and the user pool are in the stateful stack and retained', () => {
    expect(resourcesOfType(base.stateless, 'AWS::SecretsManager::Secret')).toHaveLength(0);
    expect(resourcesOfType(base.stateless, 'AWS::Cognito::UserPool')).toHaveLength(0);
    const [[, secret]] = resourcesOfType(base.stateful, 'AWS::SecretsManager::Secret') as [
      [string, CfnResource],
    ];
    expect(secret).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(props(secret).Name).toBe(`${DEFAULT_FUNCTION_PREFIX}/review-link-secret`);
    const [[, pool]] = resourcesOfType(base.stateful, 'AWS::Cognito::UserPool') as [[string, CfnResource]];
    expect(pool).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('10. records that expire', () => {
  it('the table deletes items by the TTL attribute the code writes', () => {
    const [table] = ofType(base, 'AWS::DynamoDB::GlobalTable');
    expect(props(table).TimeToLiveSpecification).toEqual({
      AttributeName: TABLE_SCHEMA.ttlAttribute,
      Enabled: true,
    });
  });
});

describe('12. the AWS China profile', () => {
  it('has no Cognito and no SES resource', () => {
    const types = all(china).map(([, r]) => r.Type);
    expect(types.filter((t) => t.startsWith('AWS::Cognito::') || t.startsWith('AWS::SES::'))).toEqual([]);
  });

  it("signs in through the agency's OIDC issuer: a JWT authorizer with the issuer and audience from context", () => {
    const [authorizer] = ofType(china, 'AWS::ApiGatewayV2::Authorizer');
    expect(props(authorizer)).toMatchObject({
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: CHINA_CONTEXT.jwtIssuer, Audience: [CHINA_CONTEXT.jwtAudience] },
    });
  });

  it('mails through SMTP: the relay secret is stateful and retained, and only the mailing functions read it', () => {
    const [[secretId, secret]] = resourcesOfType(china.stateful, 'AWS::SecretsManager::Secret').filter(
      ([, s]) => props(s).Name === `${DEFAULT_FUNCTION_PREFIX}/smtp`,
    ) as [[string, CfnResource]];
    expect(secret).toMatchObject({ DeletionPolicy: 'Retain' });
    const mailing = new Set([
      ...TASK_NAMES.filter((t) => WORKFLOW_TASK_ACCESS[t].sendsEmail).map((t) => functionNameFor(t)),
      `${DEFAULT_FUNCTION_PREFIX}-sweep`,
      // Route handlers that mail (the directory's confirmation tells the previous reviewer).
      ...Object.entries(API_HANDLER_ACCESS)
        .filter(([, access]) => access.sendsEmail === true)
        .map(([exportName]) => apiFunctionNameFor(exportName, DEFAULT_FUNCTION_PREFIX)),
    ]);
    for (const [, fn] of resourcesOfType(china.stateless, 'AWS::Lambda::Function')) {
      const name = props(fn).FunctionName as string;
      const env = (props(fn).Environment as { Variables: Record<string, unknown> }).Variables;
      expect(SMTP_SECRET_ARN_ENV in env, name).toBe(mailing.has(name));
      expect(MAIL_ENV.sesConfigurationSet in env, name).toBe(false);
      if (mailing.has(name)) expect(JSON.stringify(env[SMTP_SECRET_ARN_ENV])).toContain(secretId);
    }
    const policies = ofType(china, 'AWS::IAM::Policy').flatMap(statementsOf);
    expect(policies.flatMap(actions).filter((a) => a.startsWith('ses:'))).toEqual([]);
    const smtpReads = policies.filter((s) => s.Sid === 'SmtpSecret');
    expect(smtpReads).toHaveLength(mailing.size);
    for (const s of smtpReads) expect(actions(s)).toEqual(['secretsmanager:GetSecretValue']);
  });

  it('builds every ARN from the partition: nothing says arn:aws:', () => {
    for (const app of [china, base]) {
      const text = JSON.stringify([app.stateful, app.stateless]);
      expect(text).not.toMatch(/arn:aws[:-]/);
      expect(text).toContain('{"Ref":"AWS::Partition"}');
    }
  });

  it('with a China target region, writes the aws-cn partition itself', () => {
    const pinned = synthApp(CHINA_CONTEXT, 'cn-north-1');
    const text = JSON.stringify([pinned.stateful, pinned.stateless]);
    expect(text).not.toMatch(/arn:aws:/);
    expect(text).toMatch(/arn:aws-cn:/);
  });
});

const untriaged = (findings: readonly CfnLintFinding[]): string[] =>
  findings
    .filter((finding) => TRIAGED_CFN_LINT[finding.Rule.Id] === undefined)
    .map((finding) => `${finding.Rule.Id} ${finding.Level} ${finding.Filename}: ${finding.Message}`);

describe.skipIf(cfnLintVersion === undefined)('cfn-lint', () => {
  it(`finds nothing untriaged in either template for ${GLOBAL_REGIONS.join(' and ')}`, async () => {
    const [findings] = await lints!;
    expect(untriaged(findings)).toEqual([]);
  }, 180_000);

  it(`finds nothing untriaged in the China profile for ${CHINA_REGIONS.join(' and ')}`, async () => {
    const [, findings] = await lints!;
    expect(untriaged(findings)).toEqual([]);
  }, 180_000);
});

describe('asl-validator', () => {
  it('accepts the deployed state machines and the ones the embedded engine runs', () => {
    for (const definition of [
      aslFromTemplate(base.stateless),
      aslFromTemplate(china.stateless),
      renderAsl(),
      aslFromTemplate(base.stateless, undefined, SWEEP_STATE_MACHINE_ID),
      aslFromTemplate(china.stateless, undefined, SWEEP_STATE_MACHINE_ID),
      renderSweepAsl(),
    ]) {
      const result = aslValidator(definition);
      expect(result.errorsText(), result.errorsText()).toBe('');
      expect(result.isValid).toBe(true);
    }
  });
});

describe('the Control Tower guard rules', () => {
  it('pass on both templates of both profiles, with every suppression given a reason', () => {
    for (const [rule, reason] of Object.entries(GUARD_SUPPRESSIONS)) {
      expect(reason.length, rule).toBeGreaterThan(40);
    }
    // One cfn-guard run over the four templates.
    const report = new ControlTowerGuard().validate({
      templatePaths: [...base.templatePaths, ...china.templatePaths],
    });
    const findings = report.violations.map(
      (v) =>
        `${v.ruleName}: ${v.violatingResources.map((r) => `${r.templatePath}#${r.resourceLogicalId}`).join(', ')}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  }, 180_000);
});
