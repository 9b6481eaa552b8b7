import { join } from 'node:path';
import { buildApp } from './build-app.ts';

/** One Lambda function of the synthesized app, as its template describes it. */
export interface BundledFunction {
  /** FunctionName, or the logical id where the template sets none. */
  readonly name: string;
  /** The bundle esbuild wrote (an ES module). */
  readonly file: string;
  /** The handler's export in that module. */
  readonly exportName: string;
  /** The names of the environment variables the function is given. */
  readonly environment: readonly string[];
}

interface FunctionResource {
  readonly Type: string;
  readonly Properties: {
    readonly Handler: string;
    readonly FunctionName?: string;
    readonly Environment?: { readonly Variables?: Record<string, unknown> };
  };
  readonly Metadata?: Record<string, unknown>;
}

/**
 * Synthesizes the app into `outdir`, bundling every function as `npm run synth` does, and answers
 * each bundled function of the stateless stack. Asset metadata (which folder holds which
 * function's bundle) is what the CDK CLI asks for too. The bundles test and the bundle benchmark
 * both take their list from here.
 */
export function synthBundledFunctions(outdir: string): BundledFunction[] {
  const { app, stateless } = buildApp({
    bundle: true,
    appProps: { outdir, context: { 'aws:cdk:enable-asset-metadata': true } },
  });
  const template = app.synth().getStackArtifact(stateless.artifactId).template as {
    Resources: Record<string, FunctionResource>;
  };
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
    .flatMap(([id, resource]) => {
      const assetPath = resource.Metadata?.['aws:asset:path'];
      if (typeof assetPath !== 'string') return [];
      const [file, exportName] = resource.Properties.Handler.split('.');
      return [
        {
          name: resource.Properties.FunctionName ?? id,
          file: join(outdir, assetPath, `${file ?? 'index'}.mjs`),
          exportName: exportName ?? 'handler',
          environment: Object.keys(resource.Properties.Environment?.Variables ?? {}),
        },
      ];
    });
}
