/** The sandbox's setup helpers: .env loading, database URL choice, service checks and port fallback. */
import { createServer, type Server } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queueEnv } from '@kickcord/config';
import { createRedisConnection, testQueuePrefix } from '@kickcord/queue';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEnvFile, parseEnvFile } from '../src/envFile.ts';
import { pickPort } from '../src/ports.ts';
import { SandboxServiceError } from '../src/SandboxServiceError.ts';
import { checkSandboxServices, DEFAULT_SANDBOX_DATABASE_URL, resetSandboxQueues, sandboxDatabaseUrl, sandboxQueuePrefix } from '../src/services.ts';

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

function occupy(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    servers.push(server);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

describe('.env loading', () => {
  it('parses comments, export, quotes and inline comments', () => {
    const parsed = parseEnvFile(['# comment', 'export A=1', 'B = "two words"', "C='x # not a comment'", 'D=plain # a comment', 'E=', 'F="line\\nbreak"', 'not a line'].join('\n'));
    expect(parsed).toEqual({ A: '1', B: 'two words', C: 'x # not a comment', D: 'plain', E: '', F: 'line\nbreak' });
  });

  it('never overrides variables that are already set, and ignores a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kickcord-env-'));
    writeFileSync(join(dir, '.env'), 'KEEP=file\nNEW=file\n');
    const env: Record<string, string | undefined> = { KEEP: 'real' };
    expect(loadEnvFile(join(dir, '.env'), env)).toEqual(['NEW']);
    expect(env).toEqual({ KEEP: 'real', NEW: 'file' });
    expect(loadEnvFile(join(dir, 'missing.env'), env)).toEqual([]);
  });
});

describe('sandbox database URL', () => {
  it('uses its own database on the server of DATABASE_URL, never DATABASE_URL itself', () => {
    expect(sandboxDatabaseUrl({})).toBe(DEFAULT_SANDBOX_DATABASE_URL);
    expect(sandboxDatabaseUrl({ DATABASE_URL: 'postgresql://kickcord:pw@db.local:5433/kickcord' })).toBe('postgresql://kickcord:pw@db.local:5433/kickcord_sandbox');
    expect(sandboxDatabaseUrl({ DATABASE_URL: 'postgresql://a@h/x', SANDBOX_DATABASE_URL: 'postgresql://b@h/mine' })).toBe('postgresql://b@h/mine');
  });
});

describe('service check', () => {
  it('names each unreachable service and how to start it, in one message', async () => {
    const [pgPort, redisPort] = await Promise.all([pickPort(0), pickPort(0)]);
    const error = await checkSandboxServices({ databaseUrl: `postgresql://postgres@127.0.0.1:${pgPort}/kickcord_sandbox`, redisUrl: `redis://127.0.0.1:${redisPort}`, explicitDatabase: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxServiceError);
    const message = (error as Error).message;
    expect(message).toContain(`✗ PostgreSQL at 127.0.0.1:${pgPort}: not reachable`);
    expect(message).toContain(`✗ Redis at 127.0.0.1:${redisPort}: not reachable`);
    expect(message).toContain('docker compose up -d postgres redis');
    expect(message).toContain('pg_ctlcluster');
    expect(message).toContain('redis-server --daemonize yes');
  });

  it('passes with the local PostgreSQL and Redis', async () => {
    const databaseUrl = new URL(process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
    databaseUrl.pathname = '/kickcord_sandbox_check';
    const result = await checkSandboxServices({ databaseUrl: databaseUrl.toString(), redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', explicitDatabase: true });
    expect(result.databaseUrl).toBe(databaseUrl.toString());
  });
});

describe('ports', () => {
  it('keeps a free preferred port and falls back to another when it is taken', async () => {
    const taken = await occupy();
    const fallback = await pickPort(taken);
    expect(fallback).not.toBe(taken);
    expect(fallback).toBeGreaterThan(0);
    const free = await pickPort(0);
    expect(await pickPort(free)).toBe(free);
  });
});

describe('sandboxQueuePrefix', () => {
  it('keeps the default prefix on the default database and gives another database queues of its own', () => {
    expect(sandboxQueuePrefix(DEFAULT_SANDBOX_DATABASE_URL)).toBe('kickcord-sandbox');
    expect(sandboxQueuePrefix('postgresql://postgres@127.0.0.1:5432/my_sandbox')).toBe('kickcord-sandbox-my_sandbox');
  });

  it('fits a long database name into a QUEUE_PREFIX that web and bot accept, still one per database', () => {
    const url = (name: string) => `postgresql://postgres@127.0.0.1:5432/${name}`;
    const names = ['kickcord_sandbox_of_the_team_one', 'kickcord_sandbox_of_the_team_two', 'x'.repeat(63)];
    const prefixes = names.map((name) => sandboxQueuePrefix(url(name)));
    for (const prefix of [...prefixes, sandboxQueuePrefix(DEFAULT_SANDBOX_DATABASE_URL), sandboxQueuePrefix(url('my_sandbox'))]) {
      expect(queueEnv.QUEUE_PREFIX.safeParse(prefix).success, prefix).toBe(true);
    }
    expect(prefixes[0]).toMatch(/^kickcord-sandbox-kickco/);
    expect(new Set(prefixes).size).toBe(names.length);
    expect(sandboxQueuePrefix(url(names[0] as string))).toBe(prefixes[0]);
  });
});

describe('resetSandboxQueues', () => {
  it("removes every key of the sandbox's prefix left by an earlier run (e.g. link code limits), and no other prefix's", async () => {
    const prefix = testQueuePrefix('sbxreset');
    const redis = createRedisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { connectionName: 'sandbox-reset-test' });
    try {
      await redis.set(`${prefix}:link:{300000000000000002}:issued`, '5');
      await redis.set(`${prefix}:settings:1`, '{}');
      await redis.set(`${prefix}-other:settings:1`, '{}');
      await resetSandboxQueues(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix);
      expect(await redis.exists(`${prefix}:link:{300000000000000002}:issued`, `${prefix}:settings:1`)).toBe(0);
      expect(await redis.exists(`${prefix}-other:settings:1`)).toBe(1);
    } finally {
      await redis.del(`${prefix}-other:settings:1`);
      redis.disconnect();
    }
  });
});
