import { defineConfig, type Plugin } from 'vite';
import { CONSOLE_DIR, consoleOutDir, type ConsoleVariant } from './build/variants.ts';

/**
 * The web console's builds (build/variants.ts). In the `static` one `__EMBEDDED__` is `false`, so
 * every operator module, only ever reached through `if (__EMBEDDED__)`, is dropped from the
 * bundle, and the API docs page is not an input.
 */

/** Records the source files a build read, so a later start can tell whether it must rebuild. */
export function recordInputs(onInputs: (files: string[]) => void): Plugin {
  return {
    name: 'credit-repair:record-inputs',
    apply: 'build',
    buildEnd() {
      const files = [...this.getModuleIds()].filter((id) => !id.startsWith('\0') && !id.includes('?'));
      onInputs(files);
    },
  };
}

/**
 * The domain modules the console imports (labels, vocabulary, dates) declare zod schemas beside
 * the data it needs. Building a schema has no side effects, but a bundler cannot know that, so
 * each `= z.…` declaration in domain/ is marked pure here and the unused ones (all of them, in
 * the browser) are dropped with zod itself: about 75 KB less. domain/zod.ts's one statement, the
 * English messages for the functions' parsing, goes too: the console parses nothing with zod.
 */
export function pureZodDeclarations(): Plugin {
  return {
    name: 'credit-repair:pure-zod-declarations',
    transform(code, id) {
      if (!/[\\/]domain[\\/][\w-]+\.ts$/.test(id)) return null;
      if (/[\\/]domain[\\/]zod\.ts$/.test(id))
        return { code: code.replace(/^config\(en\(\)\);$/m, ''), map: null };
      return { code: code.replace(/=(\s*)z(\s*)\./g, '=$1/* @__PURE__ */ z$2.'), map: null };
    },
  };
}

export default defineConfig(({ mode }) => {
  const variant: ConsoleVariant = mode === 'static' ? 'static' : 'embedded';
  const embedded = variant === 'embedded';
  const input: Record<string, string> = { index: `${CONSOLE_DIR}index.html` };
  if (embedded) input['api-docs'] = `${CONSOLE_DIR}api-docs.html`;
  return {
    root: CONSOLE_DIR,
    base: '/console/',
    publicDir: false,
    logLevel: 'warn',
    define: { __EMBEDDED__: JSON.stringify(embedded) },
    plugins: [pureZodDeclarations()],
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir: consoleOutDir(variant),
      emptyOutDir: true,
      // Everything is a file under /console/assets/: a strict CSP allows no data: URLs.
      assetsInlineLimit: 0,
      target: 'es2022',
      reportCompressedSize: false,
      chunkSizeWarningLimit: 2048,
      modulePreload: { polyfill: false },
      rollupOptions: {
        input,
      },
    },
  };
});
