import { randomBytes } from 'node:crypto';
import { createRedisConnection, type RedisConnection } from '@kickcord/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisKeys } from '../src/redisKeys.ts';
import { noteViewer } from '../src/viewers/newViewers.ts';

let redis: RedisConnection;
const keys = new RedisKeys(`kc-test-newviewers-${randomBytes(3).toString('hex')}`);

beforeAll(() => {
  redis = createRedisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
});
afterAll(async () => {
  const own = await redis.keys(`${keys.prefix}:*`);
  if (own.length > 0) await redis.del(...own);
  redis?.disconnect();
});

describe('noteViewer', () => {
  it('queues a viewer once per guild while the seen flag lasts', async () => {
    const viewer = { guildId: 'g-nv-1', userId: 501, username: 'firsttimer' };
    expect(await noteViewer({ redis, keys }, viewer)).toBe(true);
    expect(await noteViewer({ redis, keys }, viewer)).toBe(false);
    expect(await redis.lrange(keys.newViewers(), 0, -1)).toEqual([JSON.stringify(['g-nv-1', 501, 'firsttimer'])]);
  });

  it('after a failed queue write, queues the viewer on their next message instead of hiding them for 24 hours', async () => {
    await redis.del(keys.newViewers());
    const viewer = { guildId: 'g-nv-2', userId: 502, username: 'unlucky' };
    // A real failing write: the queue key holds a string, so RPUSH answers WRONGTYPE.
    await redis.set(keys.newViewers(), 'not a list');
    await expect(noteViewer({ redis, keys }, viewer)).rejects.toThrow(/WRONGTYPE/);
    expect(await redis.exists(keys.seenViewer('g-nv-2', 502))).toBe(0);

    await redis.del(keys.newViewers());
    expect(await noteViewer({ redis, keys }, viewer)).toBe(true);
    expect(await redis.lrange(keys.newViewers(), 0, -1)).toEqual([JSON.stringify(['g-nv-2', 502, 'unlucky'])]);
    expect(await redis.ttl(keys.seenViewer('g-nv-2', 502))).toBeGreaterThan(0);
  });
});
