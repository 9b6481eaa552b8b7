import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as domain from '../../../domain/index.ts';

// DESIGN.md principle 2: the domain is pure. It may import its own modules and zod, nothing else;
// zod itself only through zod.ts (zod/mini with its English messages, domain/zod.ts says why).
const DOMAIN = join(dirname(fileURLToPath(import.meta.url)), '../../../domain');
const files = readdirSync(DOMAIN).filter((f) => f.endsWith('.ts'));

// The TypeScript scanner finds static, type-only, re-export, side-effect and dynamic imports and require().
function specifiers(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

describe('domain/ imports', () => {
  it('has files to check', () => {
    expect(files).toContain('classification.ts');
    expect(files.length).toBeGreaterThan(5);
  });

  it('finds every kind of import (the scan itself can fail)', () => {
    const sample = [
      "import { a } from './a.ts';",
      'import type { B } from "node:fs";',
      "export * from './c.ts';",
      "export const LABELS = ['not an import'];",
      "import 'side-effect';",
      "const x = await import('aws-sdk');",
      "require('fs');",
    ].join('\n');
    expect(specifiers(sample).sort()).toEqual([
      './a.ts',
      './c.ts',
      'aws-sdk',
      'fs',
      'node:fs',
      'side-effect',
    ]);
  });

  it.each(files)('%s imports only relative domain files and zod', (file) => {
    const source = readFileSync(join(DOMAIN, file), 'utf8');
    for (const specifier of specifiers(source)) {
      const allowed =
        file === 'zod.ts'
          ? specifier === 'zod/mini' || specifier === 'zod/v4/core' || specifier === 'zod/v4/locales/en.js'
          : /^\.\/[\w.-]+\.ts$/.test(specifier);
      expect(allowed, `${file} imports ${specifier}`).toBe(true);
    }
  });

  it.each(files)('%s reads no global clock and does no I/O', (file) => {
    const source = readFileSync(join(DOMAIN, file), 'utf8');
    expect(source).not.toMatch(/\bDate\.now\(|new Date\(\)|\bprocess\.|\bfetch\(/);
  });

  it('index.ts re-exports every module (but zod.ts: the schema toolkit, not a rule)', () => {
    const reexported = specifiers(readFileSync(join(DOMAIN, 'index.ts'), 'utf8'));
    expect(reexported.sort()).toEqual(
      files
        .filter((f) => f !== 'index.ts' && f !== 'zod.ts')
        .map((f) => `./${f}`)
        .sort(),
    );
    for (const name of [
      'classify',
      'checkEligibility',
      'foldFacts',
      'enterpriseDutiesOn',
      'addMonths',
      'POLICY',
    ]) {
      expect(domain).toHaveProperty(name);
    }
  });
});
