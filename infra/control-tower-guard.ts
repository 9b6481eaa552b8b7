import type {
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
} from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';

/**
 * The AWS Control Tower proactive controls (CloudFormation Guard rules, bundled with
 * @cdklabs/cdk-validator-cfnguard and run offline by its cfn-guard binary) on the synthesized
 * templates. `npm run synth` fails on any finding; test/infra/control-tower-guard.test.ts runs it
 * on both profiles.
 *
 * Every rule this app does not satisfy is listed here, once, with the reason. A finding is fixed
 * wherever that is right for the system; what is left is a decision, stated below.
 */
export const GUARD_SUPPRESSIONS: Readonly<Record<string, string>> = {
  'ct-s3-pr-2':
    'S3 server access logging on the access-log bucket itself: it would log into itself. The evidence bucket logs its access there.',
  'ct-s3-pr-4':
    'S3 event notifications: nothing reacts to uploads; evidence is checked (HeadObject) and frozen when the applicant submits.',
  'ct-s3-pr-9':
    'S3 Object Lock: evidence is frozen by the copy made at submit into a prefix applicants cannot write, and the bucket is versioned. Object Lock would forbid the lifecycle rules that remove abandoned uploads and replaced versions, and the erasure of personal data when its retention ends.',
  'ct-s3-pr-10':
    'SSE-KMS on the buckets: both are encrypted at rest with SSE-S3 (AES-256). A server access-log target bucket cannot use SSE-KMS, and on the evidence bucket a key would add a KMS call and a key grant to every presigned upload and download while adding no access control that IAM and the bucket policy do not already give.',
  'ct-apigateway-pr-5':
    'An authorization type on every route: the public routes are public by contract (health, the OpenAPI document, review links, which carry their own single-use secret, and the public credit lookup), and the $default route only answers 404/405 problem documents. Every other route has the JWT authorizer (test/infra/stateless.test.ts).',
  'ct-cloudwatch-pr-3':
    'KMS keys for log groups: CloudWatch Logs encrypts every log group at rest with service keys. The logs hold no secrets, tokens or link ids (the log-hygiene tests read them), and a key would add a per-region key policy for the Logs service principal as a failure mode of every deploy.',
  'ct-lambda-pr-2':
    "Lambda permissions without a literal SourceArn or SourceAccount: each API Gateway permission is pinned to this API's execute-api ARN, a Fn::Join of the API id that the rule cannot evaluate statically. No function has a public or cross-account permission.",
  'ct-lambda-pr-3':
    'Functions inside a VPC: they reach only AWS service endpoints (DynamoDB, S3, Step Functions, SES, Secrets Manager, EventBridge) and no private resource. A VPC would need NAT gateways or six interface endpoints per zone for nothing to protect.',
  'ct-sqs-pr-1':
    'A dead-letter queue for the queue that is itself the dead-letter queue (and on-failure destination) of the daily sweep.',
};

const require = createRequire(import.meta.url);
const RULES_DIR = join(
  dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')),
  'rules/control-tower/cfn-guard',
);

/** Every Control Tower rule file, by name (e.g. `ct-s3-pr-1`), with the resource types it reports on. */
function controlTowerRules(): Map<string, ReadonlySet<string>> {
  const rules = new Map<string, ReadonlySet<string>>();
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.guard')) {
        const text = readFileSync(path, 'utf8');
        const reports = /# Reports on:\n((?:#\s+AWS::.*\n)+)/.exec(text)?.[1] ?? '';
        rules.set(basename(entry.name, '.guard'), new Set(reports.match(/AWS::\w+::\w+/g) ?? []));
      }
    }
  };
  visit(RULES_DIR);
  return rules;
}

function resourceTypes(templatePaths: readonly string[]): Set<string> {
  const types = new Set<string>();
  for (const path of templatePaths) {
    const template = JSON.parse(readFileSync(path, 'utf8')) as {
      Resources?: Record<string, { Type: string }>;
    };
    for (const resource of Object.values(template.Resources ?? {})) types.add(resource.Type);
  }
  return types;
}

/**
 * Runs the Control Tower rules minus GUARD_SUPPRESSIONS. Rules that report only on resource types
 * the templates do not contain are left out before cfn-guard starts: they would SKIP anyway, and
 * leaving them out takes a run from about 20 s to about 5 s here.
 */
export class ControlTowerGuard implements IPolicyValidationPlugin {
  readonly name = 'control-tower-guard';

  validate(context: Pick<IPolicyValidationContext, 'templatePaths'>): PolicyValidationPluginReport {
    const types = resourceTypes(context.templatePaths);
    const rules = controlTowerRules();
    const unknown = Object.keys(GUARD_SUPPRESSIONS).filter((rule) => !rules.has(rule));
    if (unknown.length > 0) throw new Error(`GUARD_SUPPRESSIONS names unknown rules: ${unknown.join(', ')}`);
    const disabledRules = [...rules]
      .filter(([rule, reports]) => rule in GUARD_SUPPRESSIONS || ![...reports].some((t) => types.has(t)))
      .map(([rule]) => rule);
    // The validator reads only the template paths of its (older) context type.
    const guardContext = { templatePaths: [...context.templatePaths] } as unknown as Parameters<
      CfnGuardValidator['validate']
    >[0];
    return new CfnGuardValidator({ disabledRules, maxBuffer: 64 * 1024 * 1024 }).validate(guardContext);
  }
}
