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
/** Single files elsewhere that only compute too. */
const SHARED_MODULE_FILES = [
  'test/unit/adapters/memory-store.test.ts',
  'test/unit/handlers/review-handler.test.ts',
  'test/unit/handlers/sweep-event.test.ts',
  'test/unit/local/post-policy.test.ts',
  'test/unit/support/log-secrets.test.ts',
];
/** Files in those folders that do change process-wide state (environment, installed ports). */
const STATEFUL = new Set(['test/unit/usecases/reviews/link-ids.test.ts', 'test/unit/http/handler.test.ts']);

const sharedModuleFiles = [
  ...SHARED_MODULE_FOLDERS.flatMap((folder) => globSync(`${folder}/**/*.test.ts`)),
  ...SHARED_MODULE_FILES,
]
  .map((file) => file.split('\\').join('/'))
  .filter((file) => !STATEFUL.has(file));

/**
 * The infra tests that read synthesized templates share one module graph per worker too: loading
 * aws-cdk-lib costs seconds per file, and test/support/synth-app.ts's defaultApp() synthesizes the
 * default app once per worker for every file that reads it. They change no process-wide state
 * (synthApp restores the one variable it sets). grants-cover-calls sets the functions' environment
 * and bundles imports every bundle: both keep their own.
 */
const infraFiles = [
  'asl-parity',
  'config',
  'edge',
  'fallback-route',
  'first-contact',
  'state-machine',
  'stateful',
  'stateless',
].map((name) => `test/infra/${name}.test.ts`);

/** Tests that drive a browser. */
const BROWSER_FILES = ['test/e2e/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    /**
     * Two test files at a time. Vitest's default for a run is one worker fewer than the cores, which
     * on the 2-core machines this runs on is one file at a time; many files spend most of their
     * time waiting (on `npm start`, on a workflow, on child processes), and a second worker fills
     * those waits (docs/performance.md "Test-suite time").
     */
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'shared-modules', include: sharedModuleFiles, isolate: false },
      },
      {
        extends: true,
        // A synthesis takes seconds on a quiet machine; at a load average of 12–18 on 2 cores the
        // three of first-contact's set-up took over the default minute (seen on main), and its
        // cfn-lint and cfn-guard runs over a minute and a half: hooks and tests get 3 minutes.
        test: {
          name: 'infra',
          include: infraFiles,
          isolate: false,
          hookTimeout: 180_000,
          testTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'isolated',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...sharedModuleFiles, ...infraFiles, ...BROWSER_FILES],
        },
      },
      {
        extends: true,
        // The browser tests run last, by themselves: each drives Chromium against a runtime with
        // fixed waits for what the workflow does, and beside a second worker's integration file
        // on 2 cores they ran past those waits (seen in CI, never alone).
        test: { name: 'browser', include: BROWSER_FILES, sequence: { groupOrder: 1 } },
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
