import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthBundledFunctions, type BundledFunction } from '../../infra/bundled-functions.ts';
import {
  EVENT_BUS_NAME_ENV,
  EVIDENCE_BUCKET_ENV,
  LINK_SECRET_ARN_ENV,
  MAIL_ENV,
  SMTP_SECRET_ARN_ENV,
  STATE_MACHINE_ARN_ENV,
  TABLE_NAME_ENV,
} from '../../functions/composition/environment.ts';

/**
 * Every Lambda bundle as `npm run synth` builds it (esbuild through NodejsFunction, the same
 * options), loaded the way the Node.js 24 runtime loads it: an ESM module whose handler export
 * exists. This catches what template assertions cannot: a dependency left external that the
 * runtime lacks, a CommonJS package calling require() in an ESM bundle, a handler name typo.
 * The bundles sit inside the repository so their external @aws-sdk imports resolve as they do on
 * Lambda, where the runtime provides the SDK.
 */

let outdir: string;
let functions: readonly BundledFunction[] = [];

/**
 * The SDK packages a bundle may import, by the variable that names the resource they reach: the
 * access table sets each with the grant that uses it (infra/constructs/grant-access.ts). Powertools'
 * idempotency layer brings its DynamoDB client and marshaller along. Secrets Manager comes with a
 * secret the function is given: the link secret, or the SMTP relay's where mail goes through SMTP.
 */
const SDK_BY_VARIABLE: Readonly<Record<string, readonly string[]>> = {
  [TABLE_NAME_ENV]: ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/util-dynamodb'],
  [STATE_MACHINE_ARN_ENV]: ['@aws-sdk/client-sfn'],
  [EVIDENCE_BUCKET_ENV]: [
    '@aws-sdk/client-s3',
    '@aws-sdk/s3-presigned-post',
    '@aws-sdk/s3-request-presigner',
  ],
  [EVENT_BUS_NAME_ENV]: ['@aws-sdk/client-eventbridge'],
  [MAIL_ENV.sender]: ['@aws-sdk/client-sesv2'],
  [LINK_SECRET_ARN_ENV]: ['@aws-sdk/client-secrets-manager'],
  [SMTP_SECRET_ARN_ENV]: ['@aws-sdk/client-secrets-manager'],
};

const staticImports = (code: string): string[] =>
  [...code.matchAll(/\bimport\s*(?:[\w$*{}\s,]+from\s*)?["']([^"']+)["']/g)].map((match) => match[1] ?? '');

beforeAll(async () => {
  outdir = await mkdtemp(join(process.cwd(), '.bundle-check-'));
  functions = synthBundledFunctions(outdir);
}, 180_000);

afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

describe('the Lambda bundles', () => {
  it('are one per function with a bundled asset', () => {
    // 8 workflow tasks, a function per route, the fallback and the sweep.
    expect(functions.length).toBeGreaterThanOrEqual(28);
  });

  it('import statically nothing but Node built-ins and the AWS SDK the runtime provides', async () => {
    const provided = (specifier: string): boolean =>
      specifier.startsWith('node:') ||
      builtinModules.includes(specifier) ||
      specifier.startsWith('@aws-sdk/');
    for (const fn of functions) {
      const code = await readFile(fn.file, 'utf8');
      const specifiers = staticImports(code);
      expect(
        specifiers.filter((specifier) => !provided(specifier)),
        fn.name,
      ).toEqual([]);
    }
  });

  it('load only the SDK clients of the resources their function is given', async () => {
    for (const fn of functions) {
      const allowed = new Set(fn.environment.flatMap((variable) => SDK_BY_VARIABLE[variable] ?? []));
      const sdk = staticImports(await readFile(fn.file, 'utf8')).filter((s) => s.startsWith('@aws-sdk/'));
      expect(
        [...new Set(sdk)].filter((specifier) => !allowed.has(specifier)),
        `${fn.name} (${fn.environment.join(', ')})`,
      ).toEqual([]);
    }
  });

  it('carry nothing of the embedded runtime: no /_local control, no fault injection', async () => {
    for (const fn of functions) {
      const code = await readFile(fn.file, 'utf8');
      expect(
        ['/_local/', 'LOCAL_FAULTS', 'localFaultInjection', 'FaultBook'].filter((mark) =>
          code.includes(mark),
        ),
        fn.name,
      ).toEqual([]);
    }
  });

  it('load as ES modules and export their handler', async () => {
    for (const fn of functions) {
      const module = (await import(pathToFileURL(fn.file).href)) as Record<string, unknown>;
      expect(typeof module[fn.exportName], `${fn.name}: ${fn.exportName}`).toBe('function');
    }
  }, 120_000);
});
