import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { SCHEMA_CHECK_ZOD_VERSION } from '../src/events/schemaCheck.ts';

const require = createRequire(import.meta.url);

describe('zod version', () => {
  it('is the one the schema compiler was written for', () => {
    const installed = (require('zod/package.json') as { version: string }).version;
    expect(
      installed,
      `zod ${installed} is installed, but src/events/schemaCheck.ts reads the internals of zod ${SCHEMA_CHECK_ZOD_VERSION}. ` +
        'Check the compiler against the new version (the schemaCheck tests), then update SCHEMA_CHECK_ZOD_VERSION and the exact zod version in pnpm-workspace.yaml together.',
    ).toBe(SCHEMA_CHECK_ZOD_VERSION);
  });

  it('is pinned exactly in the workspace catalog', () => {
    const workspace = readFileSync(new URL('../../../pnpm-workspace.yaml', import.meta.url), 'utf8');
    const pinned = /^\s+zod:\s*(\S+)\s*$/mu.exec(workspace)?.[1];
    expect(pinned, `pnpm-workspace.yaml's catalog must pin zod to exactly ${SCHEMA_CHECK_ZOD_VERSION} (no ^ or ~): the schema compiler reads zod internals`).toBe(
      SCHEMA_CHECK_ZOD_VERSION,
    );
  });
});
