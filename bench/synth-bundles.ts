import { writeFile } from 'node:fs/promises';
import { synthBundledFunctions } from '../infra/bundled-functions.ts';

/**
 * `tsx bench/synth-bundles.ts <outdir> <manifest>`: synthesizes the CDK app into `outdir`, bundling
 * every function as `npm run synth` does, and writes to `manifest` what the template says of each
 * function (name, bundle file, handler export, environment variable names). A script of its own,
 * run by bench/lambda-bundles.ts, so the benchmarks need not compile the CDK app (it is checked
 * in its own TypeScript project) and esbuild's report stays out of the benchmark's stdout.
 */

const [outdir, manifest] = process.argv.slice(2);
if (outdir === undefined || manifest === undefined) {
  throw new Error('usage: tsx bench/synth-bundles.ts <outdir> <manifest>');
}
const bundles = synthBundledFunctions(outdir);
await writeFile(manifest, JSON.stringify(bundles));
