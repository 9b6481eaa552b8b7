import { execFile, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ControlTowerGuard, GUARD_SUPPRESSIONS } from '../../infra/control-tower-guard.ts';
import { aslFromTemplate, renderAsl } from '../../workflows/render-asl.ts';
import { CHINA_CONTEXT, synthApp, type SynthesizedApp } from '../support/synth-app.ts';

/**
 * Independent checkers on what would be deployed, offline: cfn-lint (the CloudFormation resource
 * specifications per region) on both templates of both profiles, asl-validator on the state
 * machine, and the Control Tower guard rules (infra/control-tower-guard.ts). cfn-lint is a Python
 * tool on this machine's image, not an npm package: where it is missing, its checks skip and say so.
 */

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

let global: SynthesizedApp;
let china: SynthesizedApp;
let lints: Promise<[CfnLintFinding[], CfnLintFinding[]]> | undefined;

beforeAll(() => {
  global = synthApp();
  china = synthApp(CHINA_CONTEXT);
  // Both profiles at once, while the other checks run.
  if (cfnLintVersion !== undefined)
    lints = Promise.all([cfnLint(global, GLOBAL_REGIONS), cfnLint(china, CHINA_REGIONS)]);
});

const untriaged = (findings: readonly CfnLintFinding[]): string[] =>
  findings
    .filter((finding) => TRIAGED_CFN_LINT[finding.Rule.Id] === undefined)
    .map((finding) => `${finding.Rule.Id} ${finding.Level} ${finding.Filename}: ${finding.Message}`);

describe.skipIf(cfnLintVersion === undefined)('cfn-lint', () => {
  it(`finds nothing untriaged in either template for ${GLOBAL_REGIONS.join(' and ')}`, async () => {
    const [findings] = await lints!;
    expect(untriaged(findings)).toEqual([]);
  }, 60_000);

  it(`finds nothing untriaged in the China profile for ${CHINA_REGIONS.join(' and ')}`, async () => {
    const [, findings] = await lints!;
    expect(untriaged(findings)).toEqual([]);
  }, 60_000);
});

describe('asl-validator', () => {
  it('accepts the deployed state machine and the one the embedded engine runs', () => {
    for (const definition of [
      aslFromTemplate(global.stateless),
      aslFromTemplate(china.stateless),
      renderAsl(),
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
    for (const app of [global, china]) {
      const report = new ControlTowerGuard().validate({ templatePaths: [...app.templatePaths] });
      const findings = report.violations.map(
        (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.resourceLogicalId).join(', ')}`,
      );
      expect(findings).toEqual([]);
      expect(report.success).toBe(true);
    }
  }, 60_000);
});
