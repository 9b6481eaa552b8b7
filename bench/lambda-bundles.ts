import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { buildApp } from '../infra/build-app.ts';
import { REPO_ROOT } from '../infra/paths.ts';

/**
 * Every Lambda bundle exactly as `npm run synth` builds it (NodejsFunction's esbuild, the same
 * options), with what the template says of its function. The bundles are written inside the
 * repository so their external `@aws-sdk/*` imports resolve as they do on Lambda, where the runtime
 * provides the SDK.
 */

export interface LambdaBundle {
  /** The deployed function name. */
  readonly name: string;
  /** The bundle file (ESM). */
  readonly file: string;
  readonly exportName: string;
  /** The environment variables the template gives the function (names only). */
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

export interface BuiltBundles {
  readonly bundles: readonly LambdaBundle[];
  readonly dir: string;
  remove(): Promise<void>;
}

export async function buildLambdaBundles(): Promise<BuiltBundles> {
  const dir = await mkdtemp(join(REPO_ROOT, '.bundle-check-'));
  // esbuild reports each bundle on stdout; stdout belongs to the JSON lines.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) =>
    (process.stderr.write as (...args: unknown[]) => boolean)(chunk, ...rest)) as typeof process.stdout.write;
  try {
    const { app, stateless } = buildApp({
      bundle: true,
      appProps: { outdir: dir, context: { 'aws:cdk:enable-asset-metadata': true } },
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
            file: join(dir, assetPath, `${file}.mjs`),
            exportName: exportName ?? 'handler',
            environment: Object.keys(resource.Properties.Environment?.Variables ?? {}),
          },
        ];
      });
    return { bundles, dir, remove: () => rm(dir, { recursive: true, force: true }) };
  } finally {
    process.stdout.write = write;
  }
}

/** The specifiers a bundle imports statically (`import ... from "x"`, `import "x"`). */
export const staticImports = (code: string): string[] =>
  [...code.matchAll(/\bimport\s*(?:[\w$*{}\s,]+from\s*)?["']([^"']+)["']/g)].map((match) => match[1] ?? '');

/** The AWS SDK packages a bundle loads when it is imported. */
export async function sdkPackagesOf(bundle: LambdaBundle): Promise<string[]> {
  const code = await readFile(bundle.file, 'utf8');
  return [...new Set(staticImports(code).filter((specifier) => specifier.startsWith('@aws-sdk/')))].sort();
}
