import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EnvError, encryptionEnv, kickEnv, parseEnv, storageEnv } from '../src/index.ts';

const schema = z.object({ ...storageEnv, ...encryptionEnv, ...kickEnv });

describe('parseEnv', () => {
  it('reports every missing or invalid variable on its own line with how to fix it', () => {
    let error: unknown;
    try {
      parseEnv(schema, { DATABASE_URL: 'not a url', TOKEN_ENCRYPTION_KEY: 'supersecretvalue', KICK_CLIENT_ID: '' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const problems = (error as EnvError).problems;
    expect(problems.find((p) => p.startsWith('DATABASE_URL is invalid'))).toContain('PostgreSQL connection string');
    expect(problems.find((p) => p.startsWith('KICK_CLIENT_ID is missing'))).toContain('kick.com → Settings → Developer');
    expect(problems.find((p) => p.startsWith('KICK_CLIENT_SECRET is missing'))).toBeDefined();
    expect(problems.find((p) => p.startsWith('TOKEN_ENCRYPTION_KEY is invalid'))).toContain('openssl rand -hex 32');
    expect((error as Error).message).not.toContain('supersecretvalue');
  });

  it('applies defaults and accepts a valid environment', () => {
    const env = parseEnv(schema, {
      DATABASE_URL: 'postgresql://u@localhost:5432/db',
      TOKEN_ENCRYPTION_KEY: 'a'.repeat(64),
      KICK_CLIENT_ID: 'id',
      KICK_CLIENT_SECRET: 'secret',
    });
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(env.KICK_API_URL).toBe('https://api.kick.com');
    expect(env.KICK_WEBHOOK_PUBLIC_KEY).toBeUndefined();
  });
});
