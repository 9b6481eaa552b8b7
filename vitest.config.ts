import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: [],
    testTimeout: 30_000,
    hookTimeout: 60_000,
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
