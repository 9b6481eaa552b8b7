import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * A schema a domain module builds at import is written `/* @__PURE__ *\/ z.schema(() => …)`
 * (domain/zod.ts says why), so a Lambda bundle leaves out the schemas it never uses.
 */

const DOMAIN = join(dirname(fileURLToPath(import.meta.url)), '../../../domain');
const files = readdirSync(DOMAIN).filter((f) => f.endsWith('.ts') && f !== 'zod.ts');

/** The top-level declarations whose value is built by calling zod, each with how it is written. */
function zodDeclarations(file: string): { name: string; wrapped: boolean }[] {
  const source = readFileSync(join(DOMAIN, file), 'utf8');
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: { name: string; wrapped: boolean }[] = [];
  for (const statement of sf.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer;
      if (init === undefined) continue;
      let callsZod = false;
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node)) {
          const callee = node.expression.getText(sf);
          if (callee.startsWith('z.') || callee.endsWith('.check')) callsZod = true;
        }
        ts.forEachChild(node, visit);
      };
      visit(init);
      if (!callsZod) continue;
      const wrapped =
        ts.isCallExpression(init) &&
        init.expression.getText(sf) === 'z.schema' &&
        init.arguments.length === 1 &&
        ts.isArrowFunction(init.arguments[0]!) &&
        source.slice(init.getFullStart(), init.getStart(sf)).trim() === '/* @__PURE__ */';
      found.push({ name: declaration.name.getText(sf), wrapped });
    }
  }
  return found;
}

/** What esbuild bundles (minified, as the synth does) of an entry importing `names` from `module`. */
async function bundleOf(module: string, names: readonly string[]): Promise<string> {
  const result = await build({
    stdin: {
      contents: `import { ${names.join(', ')} } from './${module}';\nexport default [${names.join(', ')}];`,
      resolveDir: DOMAIN,
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
    const declarations = files.flatMap((file) => zodDeclarations(file).map((d) => ({ file, ...d })));
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
