import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuild } from '../../../console/build/build.ts';
import { consoleOutDir, type ConsoleVariant } from '../../../console/build/variants.ts';

/**
 * The console's AWS build has no operator pages and no dev sign-in: read from the built files, not
 * the sources. The same markers are looked for in the embedded build, where they must be, so the
 * check cannot pass by looking for the wrong thing.
 */

const OPERATOR_MARKERS = [
  '/_local/', // the runtime's controls: token, clock, sweep, outbox
  'Sign in as a dev identity',
  '以开发身份登录',
  'Run the sweep now',
  'swagger',
];

async function builtFiles(variant: ConsoleVariant): Promise<Map<string, string>> {
  const dir = consoleOutDir(variant);
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), await readFile(path, 'utf8'));
  }
  return files;
}

const found = (files: Map<string, string>, marker: string): string[] =>
  [...files].filter(([, text]) => text.toLowerCase().includes(marker.toLowerCase())).map(([name]) => name);

let staticFiles: Map<string, string>;
let embeddedFiles: Map<string, string>;

beforeAll(async () => {
  await ensureConsoleBuild('static');
  await ensureConsoleBuild('embedded');
  staticFiles = await builtFiles('static');
  embeddedFiles = await builtFiles('embedded');
}, 120_000);

describe('the console builds', () => {
  it.each(OPERATOR_MARKERS)('the AWS build holds no trace of the operator pages: %s', (marker) => {
    expect(found(embeddedFiles, marker).length, `the embedded build should hold ${marker}`).toBeGreaterThan(
      0,
    );
    expect(found(staticFiles, marker)).toEqual([]);
  });

  it('the AWS build has no API docs page', () => {
    expect(embeddedFiles.has('api-docs.html')).toBe(true);
    expect(staticFiles.has('api-docs.html')).toBe(false);
  });

  it.each(['static', 'embedded'] as const)('the %s build loads nothing from another origin', (variant) => {
    const files = variant === 'static' ? staticFiles : embeddedFiles;
    const index = files.get('index.html') ?? '';
    const sources = [...index.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(source).toMatch(/^\/console\/assets\//);
    // No inline script: the CSP allows scripts from this origin only.
    expect(index).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('a current build is not built again', async () => {
    await expect(ensureConsoleBuild('static')).resolves.toBe(false);
  });
});
