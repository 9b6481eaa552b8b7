import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * A schema a module builds at import is written `/* @__PURE__ *\/ z.schema(() => …)` (domain/zod.ts
 * says why), so a Lambda bundle leaves out the schemas it never uses: in the domain, and in every
 * module of functions/ (the API layer's schema modules first), where a route's bundle imports a
 * schema module for the few schemas its entry names.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const DOMAIN = join(ROOT, 'domain');
const FUNCTIONS = join(ROOT, 'functions');
const files = readdirSync(DOMAIN).filter((f) => f.endsWith('.ts') && f !== 'zod.ts');
const functionModules = (readdirSync(FUNCTIONS, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts'))
  .sort();

/**
 * The top-level declarations of `path` whose value is built by calling zod at import (a call of
 * what the module imports from domain/zod.ts, by name or through its namespace, or a `.check`),
 * each with how it is written. A function's body builds nothing at import, so it is not looked into.
 */
function zodDeclarations(path: string): { name: string; wrapped: boolean }[] {
  const source = readFileSync(path, 'utf8');
  const sf = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true);
  const named = new Set<string>();
  const namespaces = new Set<string>();
  for (const statement of sf.statements) {
    if (!ts.isImportDeclaration(statement) || statement.importClause?.isTypeOnly === true) continue;
    const from = (statement.moduleSpecifier as ts.StringLiteral).text;
    if (!from.endsWith('/zod.ts')) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings !== undefined && ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text);
    if (bindings !== undefined && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) if (!element.isTypeOnly) named.add(element.name.text);
    }
  }
  const isZodCallee = (callee: ts.Expression): boolean => {
    if (ts.isIdentifier(callee)) return named.has(callee.text);
    if (!ts.isPropertyAccessExpression(callee)) return false;
    if (callee.name.text === 'check') return true;
    let target: ts.Expression = callee.expression;
    while (ts.isPropertyAccessExpression(target)) target = target.expression;
    return ts.isIdentifier(target) && (namespaces.has(target.text) || named.has(target.text));
  };
  const isSchemaCallee = (callee: ts.Expression): boolean =>
    (ts.isIdentifier(callee) && callee.text === 'schema' && named.has('schema')) ||
    (ts.isPropertyAccessExpression(callee) &&
      callee.name.text === 'schema' &&
      ts.isIdentifier(callee.expression) &&
      namespaces.has(callee.expression.text));
  const found: { name: string; wrapped: boolean }[] = [];
  for (const statement of sf.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer;
      if (init === undefined) continue;
      let callsZod = false;
      const visit = (node: ts.Node): void => {
        if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return;
        if (ts.isCallExpression(node) && isZodCallee(node.expression)) callsZod = true;
        ts.forEachChild(node, visit);
      };
      visit(init);
      if (!callsZod) continue;
      const wrapped =
        ts.isCallExpression(init) &&
        isSchemaCallee(init.expression) &&
        init.arguments.length === 1 &&
        ts.isArrowFunction(init.arguments[0]!) &&
        source.slice(init.getFullStart(), init.getStart(sf)).trim() === '/* @__PURE__ */';
      found.push({ name: declaration.name.getText(sf), wrapped });
    }
  }
  return found;
}

/** What esbuild bundles (minified, as the synth does) of an entry importing `names` from `module`. */
async function bundleOf(module: string, names: readonly string[], dir = DOMAIN): Promise<string> {
  const result = await build({
    stdin: {
      contents: `import { ${names.join(', ')} } from './${module}';\nexport default [${names.join(', ')}];`,
      resolveDir: dir,
      loader: 'ts',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

describe('schemas built by domain modules', () => {
  it('there are some, and each is written /* @__PURE__ */ z.schema(() => …)', () => {
    const declarations = files.flatMap((file) =>
      zodDeclarations(join(DOMAIN, file)).map((d) => ({ file, ...d })),
    );
    expect(declarations.length).toBeGreaterThan(30);
    expect(declarations.filter((d) => !d.wrapped)).toEqual([]);
  });

  it('stay out of a bundle that uses none of them, and come with what uses them', async () => {
    // lifecycle.ts's event schema (its message is its own) is needed by applyEvent alone.
    const eventMessage = 'an instant before the year 9000';
    expect(await bundleOf('lifecycle.ts', ['policyOf', 'missingDocuments'])).not.toContain(eventMessage);
    expect(await bundleOf('lifecycle.ts', ['applyEvent'])).toContain(eventMessage);
    // The stored fact records stay out of the tiers' reader.
    expect(await bundleOf('tiers.ts', ['EnterpriseId'])).not.toContain('FACT_RECORDED');
    expect(await bundleOf('facts.ts', ['FactRecord'])).toContain('FACT_RECORDED');
    // So do the values computed at import the same way (the only Math.max of their modules).
    expect(await bundleOf('policy.ts', ['policyById'])).not.toContain('Math.max');
    expect(await bundleOf('policy.ts', ['MAX_REVIEW_ROUNDS'])).toContain('Math.max');
    expect(await bundleOf('documents.ts', ['requiredDocuments'])).not.toContain('Math.max');
    expect(await bundleOf('documents.ts', ['SIGNATURE_BYTES'])).toContain('Math.max');
  });

  it("keep zod's English messages wherever a schema is used (domain/zod.ts configures them at import)", async () => {
    const code = await bundleOf('tiers.ts', ['EnterpriseId']);
    // zod/v4/locales/en.js: the message of an invalid_type issue.
    expect(code).toContain('Invalid input: expected');
  });
});

describe('schemas built by the modules of functions/', () => {
  it('there are some, and each is written /* @__PURE__ */ schema(() => …)', () => {
    const declarations = functionModules.flatMap((file) =>
      zodDeclarations(join(FUNCTIONS, file)).map((d) => ({ file, ...d })),
    );
    expect(declarations.filter((d) => d.file.startsWith('api/schemas/')).length).toBeGreaterThan(40);
    expect(declarations.filter((d) => !d.wrapped)).toEqual([]);
  });

  it('stay out of a bundle that uses none of them, and come with what uses them', async () => {
    const schemas = join(FUNCTIONS, 'api/schemas');
    // common.ts: a route naming the enterprise path parameters carries no review link id.
    expect(await bundleOf('common.ts', ['EnterprisePathParams'], schemas)).not.toContain('a review link id');
    expect(await bundleOf('common.ts', ['ReviewLinkPathParams'], schemas)).toContain('a review link id');
    // A response schema's description stays out of a bundle of a request schema of the same module.
    const described = 'with each resubmission';
    expect(await bundleOf('applications.ts', ['UploadTicket'], schemas)).not.toContain(described);
    expect(await bundleOf('applications.ts', ['Application'], schemas)).toContain(described);
  });
});
