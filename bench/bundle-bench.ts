import { execFile } from 'node:child_process';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { buildLambdaBundles, sdkPackagesOf, type LambdaBundle } from './lambda-bundles.ts';
import type { BenchLine } from './line.ts';
import { progress } from './progress.ts';

/**
 * What each deployed function costs before its first line runs: the bundle `npm run synth` builds
 * (minified, the AWS SDK external as the runtime provides it) and the time a fresh Node process
 * takes to import it.
 *
 * `bundle.init_ms` is our code's share: the median import of the function's bundle minus the median
 * import of a baseline module importing exactly the same SDK packages, both measured in the same
 * run, interleaved. The SDK packages' own cost (that baseline minus an empty module) is reported
 * beside it: it is the runtime's, and it is paid by any function that calls those services.
 */

const run = promisify(execFile);

/** The HTTP framework floor every API function carries (route table, zod, middy, logger). */
const FLOOR_FUNCTION = /-api-get-health$/;

/** Imports `file` in a fresh Node process (this one's binary: Node 24) and answers the milliseconds. */
async function importMs(file: string): Promise<number> {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, AWS_REGION: 'us-east-1', NODE_OPTIONS: '' },
  });
  return Number(stdout);
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

/** A module importing these SDK packages and exporting an empty handler, beside the bundles. */
async function baselineModule(dir: string, packages: readonly string[]): Promise<string> {
  const name = packages.length === 0 ? 'empty' : packages.map((p) => p.replace('@aws-sdk/', '')).join('+');
  const file = join(dir, `baseline-${name}.mjs`);
  const imports = packages.map((p, i) => `import * as sdk${i} from ${JSON.stringify(p)};`).join('\n');
  const keep = packages.map((_, i) => `sdk${i}`).join(', ');
  await writeFile(file, `${imports}\nexport const handler = async () => [${keep}].length;\n`);
  return file;
}

export async function* bundleBench(options: { quick: boolean }): AsyncIterable<BenchLine> {
  const runs = options.quick ? 5 : 20;
  progress('bundles: synthesizing the app and bundling every function (esbuild, as npm run synth)');
  const built = await buildLambdaBundles();
  try {
    const functions: { bundle: LambdaBundle; bytes: number; sdk: string[] }[] = [];
    for (const bundle of built.bundles) {
      functions.push({ bundle, bytes: (await stat(bundle.file)).size, sdk: await sdkPackagesOf(bundle) });
    }
    const floor = functions.find((f) => FLOOR_FUNCTION.test(f.bundle.name));
    for (const fn of functions) {
      yield {
        name: 'bundle.bytes',
        value: fn.bytes,
        unit: 'bytes',
        ...(floor === undefined ? {} : { baseline: floor.bytes, ratio: round(floor.bytes / fn.bytes, 2) }),
        params: {
          function: fn.bundle.name,
          baseline: 'the health function (its route entry, zod, middy, logger)',
          sdk: 'external',
          target: 100 * 1024,
        },
      };
    }

    const empty = await baselineModule(built.dir, []);
    const baselines = new Map<string, string>();
    for (const fn of functions) {
      const key = fn.sdk.join(' ');
      if (!baselines.has(key)) baselines.set(key, await baselineModule(built.dir, fn.sdk));
    }
    progress(
      `bundles: importing ${functions.length} bundles, ${baselines.size} SDK baselines and an empty module, ${runs} fresh processes each`,
    );
    const samples = new Map<string, number[]>();
    const sample = async (file: string): Promise<void> => {
      const list = samples.get(file) ?? [];
      list.push(await importMs(file));
      samples.set(file, list);
    };
    // Round-robin, so a burst of load on the shared machine falls on every module alike.
    for (let i = 0; i < runs; i += 1) {
      progress(`bundles: import round ${i + 1}/${runs}`);
      await sample(empty);
      for (const file of baselines.values()) await sample(file);
      for (const fn of functions) await sample(fn.bundle.file);
    }
    const medianOf = (file: string): number => median(samples.get(file) ?? []);
    const emptyMs = medianOf(empty);
    for (const fn of functions) {
      const baselineFile = baselines.get(fn.sdk.join(' ')) ?? empty;
      const sdkMs = medianOf(baselineFile);
      const bundleMs = medianOf(fn.bundle.file);
      yield {
        name: 'bundle.init_ms',
        value: round(bundleMs - sdkMs),
        unit: 'ms',
        baseline: round(sdkMs - emptyMs),
        params: {
          function: fn.bundle.name,
          runs,
          importMs: round(bundleMs),
          sdkBaselineMs: round(sdkMs),
          emptyModuleMs: round(emptyMs),
          sdk: fn.sdk.join(' ') || 'none',
          baseline: 'importing the same SDK packages alone, minus an empty module',
          target: 60,
        },
      };
    }
  } finally {
    await built.remove();
  }
}
