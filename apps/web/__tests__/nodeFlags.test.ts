import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WEB_NODE_FLAGS } from '../src/index.ts';

describe('WEB_NODE_FLAGS', () => {
  it('are the flags `pnpm start:web` runs with', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
    expect(WEB_NODE_FLAGS.length).toBeGreaterThan(0);
    for (const flag of WEB_NODE_FLAGS) expect(pkg.scripts.start.split(' ')).toContain(flag);
  });
});
