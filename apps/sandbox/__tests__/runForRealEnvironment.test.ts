/**
 * `pnpm start` with credentials but a broken environment: every problem of web's and bot's environment is listed
 * at once, before the database is migrated or anything started, and no value is echoed.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { environmentProblems } from '../src/environmentProblems.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SECRET = 'kick-secret-never-printed';

/** Credentials present (so the real path runs), everything else unset or wrong; '' counts as unset. */
const BROKEN_ENV = {
  DISCORD_TOKEN: 'discord-token-never-printed',
  DISCORD_CLIENT_ID: 'not-a-snowflake',
  KICK_CLIENT_ID: 'client',
  KICK_CLIENT_SECRET: SECRET,
  TOKEN_ENCRYPTION_KEY: 'too-short',
  DATABASE_URL: '',
  PUBLIC_URL: '',
  REDIS_URL: '',
};

function runCli(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(`${root}node_modules/.bin/tsx`, ['apps/sandbox/src/cli.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('pnpm start (for real) checks the environment first', () => {
  it('lists web and bot problems together, once each, and lists nothing for a complete environment', () => {
    const problems = environmentProblems(BROKEN_ENV);
    const names = problems.map((p) => p.split(' ')[0]);
    expect(names).toEqual(expect.arrayContaining(['DATABASE_URL', 'PUBLIC_URL', 'TOKEN_ENCRYPTION_KEY', 'DISCORD_CLIENT_ID']));
    expect(names.filter((n) => n === 'DATABASE_URL')).toHaveLength(1);
    expect(problems.join('\n')).not.toContain(SECRET);
    expect(
      environmentProblems({
        ...BROKEN_ENV,
        DISCORD_CLIENT_ID: '100000000000000001',
        TOKEN_ENCRYPTION_KEY: 'ab'.repeat(32),
        DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/kickcord',
        PUBLIC_URL: 'https://bot.example.com',
        REDIS_URL: 'redis://127.0.0.1:6379',
      }),
    ).toEqual([]);
  });

  it('exits 78 with every problem before migrating', async () => {
    const { code, stdout, stderr } = await runCli(BROKEN_ENV);
    expect(code).toBe(78);
    expect(stderr).toContain('nothing was migrated or started');
    for (const name of ['DATABASE_URL', 'PUBLIC_URL', 'TOKEN_ENCRYPTION_KEY', 'DISCORD_CLIENT_ID']) expect(stderr).toMatch(new RegExp(`^  - ${name} `, 'mu'));
    expect(stdout).not.toContain('migrating');
    expect(stdout + stderr).not.toContain(SECRET);
    expect(stdout + stderr).not.toContain(BROKEN_ENV.DISCORD_TOKEN);
  }, 60_000);
});
