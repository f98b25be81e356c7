import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@kickcord/db/testing';
import { createRedisConnection, type RedisConnection } from '@kickcord/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countUse } from '../src/features/customCommands/customCommandHandler.ts';
import { RedisKeys } from '../src/redisKeys.ts';

let db: TestDatabase;
let redis: RedisConnection;
const keys = new RedisKeys(`kc-test-cmdcount-${randomBytes(3).toString('hex')}`);
const guildId = `g-cmdcount-${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  db = await createTestDatabase();
  redis = createRedisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  await db.prisma.guild.create({ data: { id: guildId, name: 'Counter Guild' } });
});
afterAll(async () => {
  const own = await redis.keys(`${keys.prefix}:*`);
  if (own.length > 0) await redis.del(...own);
  redis?.disconnect();
  await db?.drop();
});

describe('custom command {count}', () => {
  it('counts 600 uses as 600 when every message is delivered twice at the same time, and both deliveries render the same count', async () => {
    const command = await db.prisma.chatCommand.create({ data: { guildId, name: 'hug', response: 'hugs: {count}', createdByDiscordId: '1' } });
    const ctx = { prisma: db.prisma, redis, keys };
    const counts: number[] = [];
    for (let batch = 0; batch < 600; batch += 50) {
      const pairs = await Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          const messageId = `msg-${batch + i}`;
          return Promise.all([countUse(ctx, command, messageId), countUse(ctx, command, messageId)]);
        }),
      );
      for (const [a, b] of pairs) {
        expect(a).toBe(b);
        counts.push(a);
      }
    }
    const stored = await db.prisma.chatCommand.findUniqueOrThrow({ where: { id: command.id } });
    expect(stored.useCount).toBe(600);
    expect([...counts].sort((x, y) => x - y)).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));

    // A later redelivery reads the count its message produced and counts nothing.
    expect(await countUse(ctx, command, 'msg-7')).toBe(counts[7]);
    expect((await db.prisma.chatCommand.findUniqueOrThrow({ where: { id: command.id } })).useCount).toBe(600);
  });

  it('counts a use whose claim was left by a delivery that stopped before counting, once the claim lapses', async () => {
    const command = await db.prisma.chatCommand.create({ data: { guildId, name: 'wave', response: 'waves: {count}', createdByDiscordId: '1' } });
    await redis.set(keys.commandUse(guildId, 'msg-stale'), 'claimed', 'PX', 300);
    expect(await countUse({ prisma: db.prisma, redis, keys }, command, 'msg-stale')).toBe(1);
    expect((await db.prisma.chatCommand.findUniqueOrThrow({ where: { id: command.id } })).useCount).toBe(1);
  });
});
