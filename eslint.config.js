// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Import rules shared by every file (a later block that narrows them repeats these, since ESLint replaces a
// rule's options rather than merging them).
const packageIndexOnly = { group: ['@kickcord/*/src/*', '../../packages/*', '../../apps/*'], message: 'Import a package through its public index (@kickcord/<name>), never its src/ files.' };
// e2e/ holds only tests and bench/ only the benchmark: nothing may build on them. Shared test tools live in
// @kickcord/testkit, the sandbox in @kickcord/sandbox.
const noTestOrBenchImports = {
  group: ['@kickcord/e2e', '@kickcord/e2e/*', '@kickcord/bench', '@kickcord/bench/*', '**/e2e/*', '**/bench/*', '**/scripts/*'],
  message: 'Nothing imports from e2e/, bench/ or scripts/: move what is shared into a package (e.g. @kickcord/testkit).',
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'packages/db/src/generated/**', '.turbo/**', 'bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', fetch: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', crypto: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', structuredClone: 'readonly', performance: 'readonly', queueMicrotask: 'readonly', setImmediate: 'readonly', URLSearchParams: 'readonly', Response: 'readonly', Request: 'readonly', Headers: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': ['error', { patterns: [packageIndexOnly, noTestOrBenchImports] }],
      'no-console': 'off',
    },
  },
  {
    // The products never depend on the development-only test kit.
    files: ['apps/web/**/*.ts', 'apps/bot/**/*.ts', 'packages/*/src/**/*.ts'],
    ignores: ['packages/testkit/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [packageIndexOnly, noTestOrBenchImports, { group: ['@kickcord/testkit', '@kickcord/testkit/*'], message: '@kickcord/testkit is for tests, the sandbox and the bench only.' }] },
      ],
    },
  },
  {
    // Only env.ts files (and entry scripts) read process.env. The test kit starts child processes with it.
    files: ['apps/*/src/**/*.ts', 'packages/*/src/**/*.ts'],
    ignores: ['**/env.ts', '**/cli.ts', '**/testing/**', '**/testing.ts', 'packages/config/**', 'packages/testkit/**'],
    rules: { 'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration in env.ts and pass it in.' }] },
  },
);
