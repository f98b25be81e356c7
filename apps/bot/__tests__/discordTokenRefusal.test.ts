/**
 * A wrong DISCORD_TOKEN at start: Discord (discord-sim, which answers 401 to any other token) refuses it, and the
 * bot says which setting is wrong instead of passing on Discord's raw answer.
 */
import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@kickcord/db/testing';
import { startDiscordSim, type DiscordSim } from '@kickcord/discord-sim';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../src/bot.ts';
import { DiscordTokenRefusedError, isDiscordTokenRefusal } from '../src/discord/DiscordTokenRefusedError.ts';
import { parseBotEnv } from '../src/env.ts';
import { MINIMAL_BOT_ENV } from './helpers/minimalEnv.ts';

let db: TestDatabase;
let sim: DiscordSim;
beforeAll(async () => {
  [db, sim] = await Promise.all([createTestDatabase(), startDiscordSim()]);
}, 60_000);
afterAll(async () => {
  await Promise.allSettled([db?.drop(), sim?.close()]);
});

describe('bot start with a DISCORD_TOKEN Discord refuses', () => {
  it.each(['auto', '1'])('says "DISCORD_TOKEN was refused by Discord (401)" and never prints the token (DISCORD_SHARD_COUNT=%s)', async (shardCount) => {
    const wrongToken = `wrong-${randomBytes(8).toString('hex')}`;
    const env = parseBotEnv({
      ...MINIMAL_BOT_ENV,
      DATABASE_URL: db.url,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      DISCORD_TOKEN: wrongToken,
      DISCORD_API_URL: sim.apiUrl,
      DISCORD_SHARD_COUNT: shardCount,
      BOT_ROLE: 'gateway',
      QUEUE_PREFIX: `kc-test-tokenrefused-${randomBytes(3).toString('hex')}`,
    });
    const failure = await startBot({ env, logger: pino({ level: 'silent' }), schedule: false }).then(
      async (bot) => {
        await bot.close();
        return null;
      },
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(DiscordTokenRefusedError);
    const message = (failure as Error).message;
    expect(message).toMatch(/^DISCORD_TOKEN was refused by Discord \(401\) — copy the bot token again/);
    expect(message).not.toContain(wrongToken);
    expect(message).not.toContain('{');
  });

  it('recognises a REST 401 and discord.js TokenInvalid, nothing else', () => {
    expect(isDiscordTokenRefusal({ status: 401 })).toBe(true);
    expect(isDiscordTokenRefusal({ code: 'TokenInvalid' })).toBe(true);
    expect(isDiscordTokenRefusal({ status: 403 })).toBe(false);
    expect(isDiscordTokenRefusal(new Error('401'))).toBe(false);
    expect(isDiscordTokenRefusal(null)).toBe(false);
  });
});
