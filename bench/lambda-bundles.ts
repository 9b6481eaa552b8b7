import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Every Lambda bundle exactly as `npm run synth` builds it (NodejsFunction's esbuild, the same
 * options), with what the template says of its function (bench/synth-bundles.ts, run in a child
 * process). The bundles are written inside the repository so their external `@aws-sdk/*` imports
 * resolve as they do on Lambda, where the runtime provides the SDK.
 */

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface LambdaBundle {
  /** The deployed function name. */
  readonly name: string;
  /** The bundle file (ESM). */
  readonly file: string;
  readonly exportName: string;
  /** The environment variables the template gives the function (names only). */
  readonly environment: readonly string[];
}

export interface BuiltBundles {
  readonly bundles: readonly LambdaBundle[];
  readonly dir: string;
  remove(): Promise<void>;
}

export async function buildLambdaBundles(): Promise<BuiltBundles> {
  const dir = await mkdtemp(join(REPO_ROOT, '.bundle-check-'));
  const manifest = join(dir, 'bundles.json');
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    // tsx runs on this process's Node (24); esbuild's report goes to stderr with the progress.
    const tsx = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [tsx, join(REPO_ROOT, 'bench', 'synth-bundles.ts'), dir, manifest],
        {
          cwd: REPO_ROOT,
          stdio: ['ignore', process.stderr, process.stderr],
        },
      );
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`synth-bundles exited with ${code}`)),
      );
    });
    const bundles = JSON.parse(await readFile(manifest, 'utf8')) as LambdaBundle[];
    return { bundles, dir, remove };
  } catch (error) {
    await remove();
    throw error;
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
