import { globSync } from 'node:fs';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Tests that only compute (the domain, pages, the route table and HTTP helpers, use cases on the
 * in-memory twins, the ASL) share one module graph per worker: they set no environment, install no
 * ports and mock no module, so re-importing zod, the SDK types and the domain for each file only
 * costs time (two thirds of their CPU time, measured: docs/performance.md). Every other file keeps
 * its own module graph, as it starts services or changes process-wide state.
 */
const SHARED_MODULE_FOLDERS = [
  'test/unit/domain',
  'test/unit/pages',
  'test/unit/architecture',
  'test/unit/console',
  'test/unit/workflows',
  'test/unit/usecases',
  'test/unit/http',
];
/** Files in those folders that do change process-wide state (environment, installed ports). */
const STATEFUL = new Set(['test/unit/usecases/reviews/link-ids.test.ts', 'test/unit/http/handler.test.ts']);

const sharedModuleFiles = SHARED_MODULE_FOLDERS.flatMap((folder) => globSync(`${folder}/**/*.test.ts`))
  .map((file) => file.split('\\').join('/'))
  .filter((file) => !STATEFUL.has(file));

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'shared-modules', include: sharedModuleFiles, isolate: false },
      },
      {
        extends: true,
        test: {
          name: 'isolated',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...sharedModuleFiles],
        },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['domain/**', 'functions/**', 'workflows/**', 'local/**'],
      reporter: ['text-summary', 'json-summary'],
      thresholds: {
        'domain/**': { lines: 95, branches: 95 },
      },
    },
  },
});
