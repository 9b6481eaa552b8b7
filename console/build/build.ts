import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSOLE_DIR, CONSOLE_VARIANTS, consoleOutDir, type ConsoleVariant } from './variants.ts';

/**
 * Builds a console variant unless the last build of it is still current. "Current" means: every
 * source file that build read (recorded by the build itself), the Vite config and the lockfile
 * (which pins every bundled package) hash as they did then. So a second `npm start` costs a few
 * file reads, and any change to a file the console imports, in console/ or in domain/, rebuilds.
 */

const REPOSITORY_ROOT = resolve(CONSOLE_DIR, '..');
const STAMP_FILE = 'build-stamp.json';
const ALWAYS = [
  'console/vite.config.ts',
  'console/build/build.ts',
  'console/build/variants.ts',
  'package-lock.json',
];

interface Stamp {
  readonly inputs: readonly string[];
  readonly digest: string;
}

async function digestOf(files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [...new Set([...ALWAYS, ...files])].sort()) {
    hash.update(file).update('\0');
    try {
      hash.update(await readFile(join(REPOSITORY_ROOT, file)));
    } catch {
      hash.update('(missing)');
    }
    hash.update('\0');
  }
  return hash.digest('hex');
}

async function readStamp(variant: ConsoleVariant): Promise<Stamp | undefined> {
  try {
    return JSON.parse(await readFile(join(consoleOutDir(variant), STAMP_FILE), 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

/** Whether the variant's output is there and was built from the files as they are now. */
export async function isConsoleBuildCurrent(variant: ConsoleVariant): Promise<boolean> {
  const stamp = await readStamp(variant);
  return stamp !== undefined && stamp.digest === (await digestOf(stamp.inputs));
}

/** Builds the variant now, whatever is there. */
export async function buildConsole(variant: ConsoleVariant): Promise<void> {
  // Loaded only when there is something to build: a current build costs no Vite start-up.
  const { build } = await import('vite');
  const { recordInputs } = await import('../vite.config.ts');
  let inputs: string[] = [];
  await build({
    configFile: join(CONSOLE_DIR, 'vite.config.ts'),
    mode: variant,
    plugins: [
      recordInputs((files) => {
        inputs = files
          .map((file) => relative(REPOSITORY_ROOT, file))
          .filter((file) => !file.startsWith('..') && !file.includes('node_modules'));
      }),
    ],
  });
  const stamp: Stamp = { inputs: inputs.sort(), digest: await digestOf(inputs) };
  await writeFile(join(consoleOutDir(variant), STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`);
}

/** Builds the variant if its output is missing or stale; says whether it built. */
export async function ensureConsoleBuild(variant: ConsoleVariant): Promise<boolean> {
  if (await isConsoleBuildCurrent(variant)) return false;
  await buildConsole(variant);
  return true;
}

const entryPoint = process.argv[1];
if (entryPoint !== undefined && resolve(entryPoint) === fileURLToPath(import.meta.url)) {
  const force = process.argv.includes('--force');
  for (const variant of CONSOLE_VARIANTS) {
    const started = performance.now();
    if (force) await buildConsole(variant);
    const built = force || (await ensureConsoleBuild(variant));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(built ? `console (${variant}) built in ${seconds} s` : `console (${variant}) is current`);
  }
}
