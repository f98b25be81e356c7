import { defineConfig } from 'vitest/config';

// One root config; each package is a project with its own vitest.config.ts (see vitest.shared.ts).
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'e2e/vitest.config.ts'],
    // 2-core machines: two files at a time keeps Postgres/Redis-backed tests from starving each other.
    maxWorkers: 2,
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-results.json' }]] : ['default'],
  },
});
