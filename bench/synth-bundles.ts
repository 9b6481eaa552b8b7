import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildApp } from '../infra/build-app.ts';

/**
 * `tsx bench/synth-bundles.ts <outdir> <manifest>`: synthesizes the CDK app into `outdir`, bundling
 * every function as `npm run synth` does, and writes to `manifest` what the template says of each
 * function (name, bundle file, handler export, environment variable names). A script of its own,
 * run by bench/lambda-bundles.ts, so the benchmarks need not compile the CDK app (it is checked
 * in its own TypeScript project) and esbuild's report stays out of the benchmark's stdout.
 */

interface FunctionResource {
  readonly Type: string;
  readonly Properties: {
    readonly Handler: string;
    readonly FunctionName?: string;
    readonly Environment?: { readonly Variables?: Record<string, unknown> };
  };
  readonly Metadata?: Record<string, unknown>;
}

const [outdir, manifest] = process.argv.slice(2);
if (outdir === undefined || manifest === undefined) {
  throw new Error('usage: tsx bench/synth-bundles.ts <outdir> <manifest>');
}
const { app, stateless } = buildApp({
  bundle: true,
  appProps: { outdir, context: { 'aws:cdk:enable-asset-metadata': true } },
});
const template = app.synth().getStackArtifact(stateless.artifactId).template as {
  Resources: Record<string, FunctionResource>;
};
const bundles = Object.entries(template.Resources)
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
await writeFile(manifest, JSON.stringify(bundles));
