import { defineProject } from 'vitest/config';

/** The per-package vitest project: tests live in `__tests__/` beside `src/`. */
export function kickcordProject(name: string, extra: { testTimeout?: number; hookTimeout?: number } = {}) {
  return defineProject({
    test: {
      name,
      include: ['__tests__/**/*.test.ts'],
      environment: 'node',
      testTimeout: extra.testTimeout ?? 30_000,
      hookTimeout: extra.hookTimeout ?? 60_000,
      // Real Postgres and Redis: no mocks of our own storage; isolation comes from a database per file.
      restoreMocks: true,
    },
  });
}
