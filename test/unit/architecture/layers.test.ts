import { readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * DESIGN.md's dependency direction, as the README's layout table states it for functions/:
 * handlers (api/, workflow/, schedule/) import use cases, the composition of their ports, and the
 * HTTP, page, auth and logging helpers; use cases import the domain, the ports, pages, the
 * principal and the logger, never an adapter or an SDK; only adapters import the AWS SDK (and the
 * Powertools utilities built on it); the composition alone picks adapters; nothing in functions/
 * imports local/, infra/ or workflows/. The domain's own rule (it imports nothing of ours) is
 * test/unit/domain/domain-imports.test.ts.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const FUNCTIONS = join(ROOT, 'functions');

const LAYERS = {
  handlers: ['functions/api/', 'functions/workflow/', 'functions/schedule/'],
  usecases: ['functions/usecases/'],
  ports: ['functions/ports/'],
  adapters: ['functions/adapters/'],
  composition: ['functions/composition/'],
  pages: ['functions/pages/'],
  http: ['functions/http/'],
  auth: ['functions/auth/'],
  observability: ['functions/observability/'],
  domain: ['domain/'],
} as const;
type Layer = keyof typeof LAYERS;

/** Which layers of ours each layer may import. */
const MAY_IMPORT: Readonly<Record<Exclude<Layer, 'domain'>, readonly Layer[]>> = {
  handlers: [
    'handlers',
    'usecases',
    'composition',
    'ports',
    'pages',
    'http',
    'auth',
    'observability',
    'domain',
  ],
  usecases: ['usecases', 'ports', 'pages', 'auth', 'observability', 'domain'],
  ports: ['ports', 'domain'],
  adapters: ['adapters', 'ports', 'domain'],
  composition: ['composition', 'adapters', 'ports'],
  pages: ['pages', 'domain'],
  http: ['http', 'auth', 'observability', 'domain'],
  auth: ['auth', 'domain'],
  observability: ['observability'],
};

/** The AWS SDK and what is built on it: adapters only. */
const SDK = [/^@aws-sdk\//, /^@smithy\//, /^@aws-lambda-powertools\/(idempotency|parameters)/];

/** Packages besides ours, by the layers that may use them (zod and Lambda's types anywhere). */
const PACKAGES: readonly { readonly pattern: RegExp; readonly layers: readonly Layer[] | 'any' }[] = [
  { pattern: /^zod(\/.*)?$/, layers: 'any' },
  { pattern: /^aws-lambda$/, layers: 'any' },
  { pattern: /^@middy\//, layers: ['http'] },
  { pattern: /^@aws-lambda-powertools\/(logger|metrics)(\/.*)?$/, layers: ['observability', 'http'] },
  { pattern: /^nodemailer(\/.*)?$/, layers: ['adapters'] },
  ...SDK.map((pattern) => ({ pattern, layers: ['adapters'] as const })),
];

/** Node built-ins a layer may use: I/O stays in adapters; use cases and ports only compute. */
const NODE: Readonly<Record<Exclude<Layer, 'domain'>, readonly string[] | 'any'>> = {
  handlers: [],
  usecases: ['crypto', 'timers/promises'],
  ports: ['crypto'],
  adapters: 'any',
  composition: [],
  pages: [],
  http: [],
  auth: [],
  observability: [],
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const layerOf = (repoPath: string): Layer | undefined =>
  (Object.keys(LAYERS) as Layer[]).find((layer) =>
    LAYERS[layer].some((prefix) => repoPath.startsWith(prefix)),
  );

/** Every import of a source file: static, type-only, re-exports, side effects, dynamic imports. */
function specifiers(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

interface Violation {
  readonly file: string;
  readonly imports: string;
}

/** What a file at `from` (a repository path) would import against its layer's rules. */
function violationsIn(from: string, source: string): Violation[] {
  const layer = layerOf(from);
  if (layer === undefined || layer === 'domain')
    return [{ file: from, imports: '(no layer: not in the layout)' }];
  return specifiers(source).flatMap((specifier): Violation[] => {
    if (specifier.startsWith('.')) {
      const target = relative(ROOT, resolve(ROOT, dirname(from), specifier))
        .split('\\')
        .join('/');
      const targetLayer = layerOf(target);
      return targetLayer !== undefined && MAY_IMPORT[layer].includes(targetLayer)
        ? []
        : [{ file: from, imports: target }];
    }
    const bare = specifier.replace(/^node:/, '');
    if (specifier.startsWith('node:') || builtinModules.includes(bare)) {
      const allowed = NODE[layer];
      return allowed === 'any' || allowed.includes(bare) ? [] : [{ file: from, imports: specifier }];
    }
    const rule = PACKAGES.find((p) => p.pattern.test(specifier));
    return rule !== undefined && (rule.layers === 'any' || rule.layers.includes(layer))
      ? []
      : [{ file: from, imports: specifier }];
  });
}

const files = filesUnder(FUNCTIONS);

describe('the layers of functions/', () => {
  it('has files in every layer (the scan itself can fail)', () => {
    const layers = new Set(files.map((file) => layerOf(relative(ROOT, file))));
    for (const layer of Object.keys(MAY_IMPORT)) expect(layers, layer).toContain(layer);
  });

  it('tells a forbidden import from an allowed one', () => {
    expect(
      violationsIn(
        'functions/usecases/x.ts',
        "import { DynamoDbStore } from '../adapters/dynamodb/store.ts';",
      ),
    ).toHaveLength(1);
    expect(
      violationsIn('functions/usecases/x.ts', "import type { Store } from '../ports/store/store.ts';"),
    ).toEqual([]);
    expect(
      violationsIn('functions/usecases/x.ts', "import { GetCommand } from '@aws-sdk/lib-dynamodb';"),
    ).toHaveLength(1);
    expect(
      violationsIn('functions/usecases/x.ts', "import { readFile } from 'node:fs/promises';"),
    ).toHaveLength(1);
    expect(
      violationsIn('functions/adapters/x/y.ts', "import { S3Client } from '@aws-sdk/client-s3';"),
    ).toEqual([]);
    expect(
      violationsIn('functions/api/x.ts', "import { DynamoDbStore } from '../adapters/dynamodb/store.ts';"),
    ).toHaveLength(1);
    expect(
      violationsIn('functions/api/x.ts', "const m = await import('../../local/runtime.ts');"),
    ).toHaveLength(1);
    expect(
      violationsIn(
        'functions/ports/x.ts',
        "import { changeApplication } from '../usecases/applications/records.ts';",
      ),
    ).toHaveLength(1);
  });

  it.each(files.map((file) => relative(ROOT, file).split('\\').join('/')))(
    '%s imports only what its layer may',
    (file) => {
      expect(violationsIn(file, readFileSync(join(ROOT, file), 'utf8'))).toEqual([]);
    },
  );
});
