import { randomBytes } from 'node:crypto';
import { checkTokenEncryptionKey, TokenKeyMismatchError } from '@kickcord/connections';
import { TokenCipher } from '@kickcord/db';
import { createTestDatabase, type TestDatabase } from '@kickcord/db/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../src/bot.ts';
import { parseBotEnv } from '../src/env.ts';
import { MINIMAL_BOT_ENV } from './helpers/minimalEnv.ts';

let db: TestDatabase;
const originalKey = randomBytes(32).toString('hex');

beforeAll(async () => {
  db = await createTestDatabase();
  await checkTokenEncryptionKey(db.prisma, new TokenCipher(originalKey));
});
afterAll(async () => {
  await db?.drop();
});

describe('bot start with TOKEN_ENCRYPTION_KEY', () => {
  it('refuses a valid key that is not the one the stored tokens were encrypted with, saying what to do and never printing the key', async () => {
    const otherKey = randomBytes(32).toString('hex');
    const env = parseBotEnv({ ...MINIMAL_BOT_ENV, DATABASE_URL: db.url, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', TOKEN_ENCRYPTION_KEY: otherKey, BOT_ROLE: 'worker', QUEUE_PREFIX: `kc-test-keycheck-${randomBytes(3).toString('hex')}` });
    const failure = await startBot({ env, logger: pino({ level: 'silent' }), schedule: false }).then(
      async (bot) => {
        await bot.close();
        return null;
      },
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TokenKeyMismatchError);
    const message = (failure as Error).message;
    expect(message).toMatch(/^TOKEN_ENCRYPTION_KEY does not match the key the stored tokens were encrypted with: restore the original key/);
    expect(message).not.toContain(otherKey);
    expect(message).not.toContain(originalKey);
  });
});
