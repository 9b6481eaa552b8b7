import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type CreditRepairApp } from '../../infra/build-app.ts';

/** A synthesized app (functions not bundled): its templates as JSON and where they were written. */
export interface SynthesizedApp {
  readonly built: CreditRepairApp;
  readonly outdir: string;
  readonly stateful: CfnTemplate;
  readonly stateless: CfnTemplate;
  readonly templatePaths: readonly string[];
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
}

/** The context of the AWS China profile, with the agency's own OIDC issuer. */
export const CHINA_CONTEXT = {
  partition: 'aws-cn',
  jwtIssuer: 'https://id.customs.example.cn/realms/credit',
  jwtAudience: 'credit-repair',
} as const;

/**
 * Synthesizes the app with `context` (cdk.json's feature flags under it) and, when given, the CLI's
 * target region, as `cdk synth` would with CDK_DEFAULT_REGION set.
 */
export function synthApp(context: Record<string, unknown> = {}, region?: string): SynthesizedApp {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-synth-'));
  const previous = process.env.CDK_DEFAULT_REGION;
  if (region === undefined) delete process.env.CDK_DEFAULT_REGION;
  else process.env.CDK_DEFAULT_REGION = region;
  try {
    const built = buildApp({ bundle: false, appProps: { outdir, context } });
    const assembly = built.app.synth();
    const stateful = assembly.getStackByName(built.stateful.stackName);
    const stateless = assembly.getStackByName(built.stateless.stackName);
    return {
      built,
      outdir,
      stateful: stateful.template as CfnTemplate,
      stateless: stateless.template as CfnTemplate,
      templatePaths: [stateful.templateFullPath, stateless.templateFullPath],
    };
  } finally {
    if (previous === undefined) delete process.env.CDK_DEFAULT_REGION;
    else process.env.CDK_DEFAULT_REGION = previous;
  }
}

let defaultSynth: SynthesizedApp | undefined;

/**
 * The app as `npm run synth` builds it with no context (functions not bundled), synthesized once
 * per test worker and shared: the infra tests run in the "infra" project, which keeps one module
 * graph per worker (vitest.config.ts), so the files that read the default templates pay for one
 * synthesis (cdk-nag included) and one load of aws-cdk-lib between them. Read it, never change it.
 */
export const defaultApp = (): SynthesizedApp => (defaultSynth ??= synthApp());

export const resourcesOfType = (template: CfnTemplate, type: string): [string, CfnResource][] =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
