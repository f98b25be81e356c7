import { randomBytes } from 'node:crypto';
import { flushLastHeard, GuildFanOutCache, lastHeardKey, markHeard } from '@kickcord/connections';
import { createRedisConnection, type RedisConnection } from '@kickcord/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannel, createConnectionsHarness, createGuild, type ConnectionsHarness } from './harness.ts';

let h: ConnectionsHarness;
let redis: RedisConnection;
const prefix = `kc-test-conn-${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  h = await createConnectionsHarness();
  redis = createRedisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
});
afterAll(async () => {
  const own = await redis.keys(`${prefix}:*`);
  if (own.length > 0) await redis.del(...own);
  redis.disconnect();
  await h?.close();
});

describe('GuildFanOutCache', () => {
  it('answers from Redis after the first read, and forget / forgetGuild make the next read see the database', async () => {
    const cache = new GuildFanOutCache({ prisma: h.db.prisma, redis, keyPrefix: prefix });
    const broadcaster = await createChannel(h, `fanout${randomBytes(2).toString('hex')}`);
    const owner = await createGuild(h, 'Owner');
    const watcher = await createGuild(h, 'Watcher');
    await h.db.prisma.guildChannelLink.createMany({
      data: [
        { guildId: watcher, broadcasterUserId: broadcaster, kind: 'watch', createdByDiscordId: '1' },
        { guildId: owner, broadcasterUserId: broadcaster, kind: 'owner', createdByDiscordId: '1' },
      ],
    });
    expect(await cache.guildsFor(broadcaster)).toEqual([
      { guildId: owner, kind: 'owner' },
      { guildId: watcher, kind: 'watch' },
    ]);
    expect(cache.key(broadcaster)).toBe(`${prefix}:links:${broadcaster}`);
    expect(await redis.ttl(cache.key(broadcaster))).toBeGreaterThan(0);

    // A change nobody announced is not seen (the read came from Redis, not from PostgreSQL)…
    await h.db.prisma.guildChannelLink.deleteMany({ where: { guildId: watcher } });
    expect((await cache.guildsFor(broadcaster)).map((g) => g.guildId)).toEqual([owner, watcher]);
    // …until it is announced.
    await cache.forget(broadcaster);
    expect((await cache.guildsFor(broadcaster)).map((g) => g.guildId)).toEqual([owner]);

    // The bot leaving a guild: forgetGuild drops every broadcaster that guild links.
    await h.db.prisma.guild.update({ where: { id: owner }, data: { active: false } });
    await cache.forgetGuild(owner);
    expect(await cache.guildsFor(broadcaster)).toEqual([]);
  });

  it('caches an empty answer too, and a short ttl bounds a missed invalidation', async () => {
    const cache = new GuildFanOutCache({ prisma: h.db.prisma, redis, keyPrefix: prefix, ttlSeconds: 1 });
    const broadcaster = await createChannel(h, `lonely${randomBytes(2).toString('hex')}`);
    expect(await cache.guildsFor(broadcaster)).toEqual([]);
    expect(await redis.get(cache.key(broadcaster))).toBe('[]');
    expect(await redis.pttl(cache.key(broadcaster))).toBeLessThanOrEqual(1_000);
  });
});

describe('last-heard marks', () => {
  it('keeps the newest mark per subscription in Redis and moves lastDeliveryAt in one statement, at most every 10 s', async () => {
    const broadcaster = await createChannel(h, `heard${randomBytes(2).toString('hex')}`);
    const subA = `01SUBHEARDA${randomBytes(4).toString('hex').toUpperCase()}`;
    const subB = `01SUBHEARDB${randomBytes(4).toString('hex').toUpperCase()}`;
    await h.db.prisma.kickSubscription.createMany({
      data: [
        { id: subA, broadcasterUserId: broadcaster, event: 'chat.message.sent', version: 1 },
        { id: subB, broadcasterUserId: broadcaster, event: 'chat.message.sent', version: 1, lastDeliveryAt: new Date('2026-01-01T10:00:00Z') },
      ],
    });
    await markHeard(redis, prefix, { subscriptionId: subA, receivedAt: '2026-01-01T10:00:20.000Z' });
    await markHeard(redis, prefix, { subscriptionId: subA, receivedAt: '2026-01-01T10:00:10.000Z' }); // late and older: ignored
    await markHeard(redis, prefix, { subscriptionId: subA, receivedAt: '2026-01-01T10:00:20.600Z' }); // < 1 s after this process's last mark: no Redis call
    await markHeard(redis, prefix, { subscriptionId: subB, receivedAt: '2026-01-01T10:00:05.000Z' }); // within 10 s of the row
    expect(await redis.hget(lastHeardKey(prefix), subA)).toBe(String(Date.parse('2026-01-01T10:00:20.000Z')));
    await markHeard(redis, prefix, { subscriptionId: subA, receivedAt: '2026-01-01T10:00:21.500Z' }); // a second later: marked
    expect(await redis.hget(lastHeardKey(prefix), subA)).toBe(String(Date.parse('2026-01-01T10:00:21.500Z')));

    expect(await flushLastHeard(h.db.prisma, redis, prefix)).toBe(1);
    const rows = await h.db.prisma.kickSubscription.findMany({ where: { id: { in: [subA, subB] } }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.lastDeliveryAt?.toISOString())).toEqual(['2026-01-01T10:00:21.500Z', '2026-01-01T10:00:00.000Z']);
    // Nothing new: the next flush moves nothing.
    expect(await flushLastHeard(h.db.prisma, redis, prefix)).toBe(0);
    await markHeard(redis, prefix, { subscriptionId: subB, receivedAt: '2026-01-01T10:01:00.000Z' });
    expect(await flushLastHeard(h.db.prisma, redis, prefix)).toBe(1);
  });
});
