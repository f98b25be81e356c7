import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WEB_NODE_FLAGS } from '../src/index.ts';

describe('WEB_NODE_FLAGS', () => {
  it('are the flags `pnpm start:web` runs with', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
    expect(WEB_NODE_FLAGS.length).toBeGreaterThan(0);
    for (const flag of WEB_NODE_FLAGS) expect(pkg.scripts.start.split(' ')).toContain(flag);
  });

  it('are accepted by this Node (a V8 upgrade that drops one fails here, not at `pnpm start:web`)', () => {
    const out = execFileSync(process.execPath, [...WEB_NODE_FLAGS, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toBe('ok');
    expect(() => execFileSync(process.execPath, ['--no-such-v8-flag-kickcord=1', '-e', '0'], { stdio: 'ignore' })).toThrow();
  });
});
