import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { buildApp } from './build-app.ts';
import { REPO_ROOT } from './paths.ts';

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
  const template = withDirectNpx(() => {
    const { app, stateless } = buildApp({
      bundle: true,
      appProps: { outdir, context: { 'aws:cdk:enable-asset-metadata': true } },
    });
    return app.synth().getStackArtifact(stateless.artifactId).template as {
      Resources: Record<string, FunctionResource>;
    };
  });
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

/**
 * NodejsFunction bundles each function by running `npx --no-install esbuild <args>` (npx because
 * the lock file is npm's), one function after another: starting npm costs about 0.7 s of CPU a
 * time, more than esbuild's own work, 36 times over (docs/performance.md "Test-suite time").
 * While `synth` runs, `npx` on the PATH is a script that runs the project's installed bin itself,
 * which is what `npx --no-install` resolves that command to: the same esbuild binary with the same
 * arguments, so the same bundles byte for byte. Any other npx command goes to the real npx.
 * Not on Windows, where the CDK runs the command through PowerShell.
 */
function withDirectNpx<T>(synth: () => T): T {
  if (process.platform === 'win32') return synth();
  const previous = process.env.PATH;
  const dir = mkdtempSync(join(tmpdir(), 'direct-npx-'));
  const bin = shellQuoted(join(REPO_ROOT, 'node_modules', '.bin'));
  const script = join(dir, 'npx');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      `if [ "$1" = --no-install ] && [ -n "$2" ] && [ -x ${bin}/"$2" ]; then`,
      '  shift; name=$1; shift',
      `  exec ${bin}/"$name" "$@"`,
      'fi',
      `PATH=${shellQuoted(previous ?? '')} exec npx "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  process.env.PATH = previous === undefined ? dir : `${dir}${delimiter}${previous}`;
  try {
    return synth();
  } finally {
    if (previous === undefined) delete process.env.PATH;
    else process.env.PATH = previous;
    rmSync(dir, { recursive: true, force: true });
  }
}

const shellQuoted = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;
