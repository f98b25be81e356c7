import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@kickcord/db/testing';
import { startKickSim, type KickSim } from '@kickcord/kick-sim';
import { createRedisConnection } from '@kickcord/queue';
import type { RedisConnection } from '@kickcord/queue';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatReplyCounts, describeChatReplyCounts, expireStuckReplies, KickChatSender, STUCK_REPLY_ERROR } from '../src/kickChat/KickChatSender.ts';
import { RedisKeys } from '../src/redisKeys.ts';
import { ReauthRequiredError } from '@kickcord/connections';

let db: TestDatabase;
let sim: KickSim;
let redis: RedisConnection;
let token: string;
let broadcasterUserId: number;
const guildId = `g-chat-${randomBytes(3).toString('hex')}`;
const now = () => new Date('2030-01-01T00:00:10Z');
const installPrefix = `kc-test-chat-${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  [db, sim] = await Promise.all([createTestDatabase(), startKickSim()]);
  redis = createRedisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  sim.registerApp({ clientId: 'chat-app', clientSecret: 'secret', redirectUris: ['http://127.0.0.1/cb'], botUsername: 'kickcord_bot' });
  const streamer = sim.createUser({ username: `chatstreamer${randomBytes(2).toString('hex')}` });
  broadcasterUserId = streamer.userId;
  token = sim.issueUserToken({ clientId: 'chat-app', userId: streamer.userId, scopes: ['chat:write'] }).accessToken;
  await db.prisma.guild.create({ data: { id: guildId, name: 'Chat Guild' } });
});
afterAll(async () => {
  for (const prefix of [installPrefix, `${installPrefix}-b`]) {
    const own = await redis.keys(`${prefix}:*`);
    if (own.length > 0) await redis.del(...own);
  }
  redis?.disconnect();
  await sim?.close();
  await db?.drop();
});

function sender(rateLimit = { messages: 3, windowSeconds: 30 }, accessToken = async () => token, prefix = installPrefix) {
  return new KickChatSender({ prisma: db.prisma, redis, keys: new RedisKeys(prefix), connections: { getValidAccessToken: accessToken }, kickApiUrl: sim.url, logger: pino({ level: 'silent' }), now, rateLimit });
}

describe('KickChatSender', () => {
  it('caps bot messages per channel, records what it dropped, and never sends a dedupe key twice', async () => {
    const chat = sender();
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(await chat.send({ guildId, broadcasterUserId, dedupeKey: `reply:m${i}`, content: `answer ${i}` }));
    expect(outcomes).toEqual(['sent', 'sent', 'sent', 'rate_limited', 'rate_limited']);
    expect(await chat.send({ guildId, broadcasterUserId, dedupeKey: 'reply:m0', content: 'answer 0 again' })).toBe('duplicate');
    const botLines = sim.chatLog(broadcasterUserId).filter((m) => m.type === 'bot').map((m) => m.content);
    expect(botLines).toEqual(['answer 0', 'answer 1', 'answer 2']);
    const rows = await db.prisma.outgoingChatMessage.findMany({ where: { guildId }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'dropped', 'dropped']);
    expect(rows[3]?.error).toMatch(/rate limited/);
  });

  it('records a failure without throwing and keeps the token out of the error', async () => {
    const chat = sender({ messages: 100, windowSeconds: 30 }, async () => 'not-a-valid-token-abc123');
    expect(await chat.send({ guildId, broadcasterUserId, dedupeKey: 'reply:fail', content: 'hello' })).toBe('failed');
    const row = await db.prisma.outgoingChatMessage.findFirst({ where: { guildId, dedupeKey: 'reply:fail' } });
    expect(row?.status).toBe('failed');
    expect(row?.error).toMatch(/401|Unauthorized|KickApiError/i);
    expect(row?.error).not.toContain('not-a-valid-token-abc123');
  });

  it('claims nothing when it cannot even start (so the retried job still answers), and records a connection that needs re-auth', async () => {
    const flaky = sender({ messages: 100, windowSeconds: 30 }, async () => {
      throw new Error('connection terminated unexpectedly');
    });
    await expect(flaky.send({ guildId, broadcasterUserId, dedupeKey: 'reply:retry', content: 'after retry' })).rejects.toThrow(/terminated/);
    expect(await db.prisma.outgoingChatMessage.findFirst({ where: { guildId, dedupeKey: 'reply:retry' } })).toBeNull();
    expect(await sender({ messages: 100, windowSeconds: 30 }).send({ guildId, broadcasterUserId, dedupeKey: 'reply:retry', content: 'after retry' })).toBe('sent');

    const reauth = sender({ messages: 100, windowSeconds: 30 }, async () => {
      throw new ReauthRequiredError(guildId, 'refresh token expired');
    });
    expect(await reauth.send({ guildId, broadcasterUserId, dedupeKey: 'reply:reauth', content: 'x' })).toBe('failed');
    const row = await db.prisma.outgoingChatMessage.findFirst({ where: { guildId, dedupeKey: 'reply:reauth' } });
    expect(row?.status).toBe('failed');
    expect(row?.error).toMatch(/ReauthRequiredError/);
  });

  it('cuts replies to Kick’s 500-character limit', async () => {
    const chat = sender({ messages: 100, windowSeconds: 30 });
    expect(await chat.send({ guildId, broadcasterUserId, dedupeKey: 'reply:long', content: 'word '.repeat(200) })).toBe('sent');
    const last = sim.chatLog(broadcasterUserId).filter((m) => m.type === 'bot').at(-1);
    expect([...(last?.content ?? '')].length).toBeLessThanOrEqual(500);
    expect(last?.content.endsWith('…')).toBe(true);
  });

  it('keeps the send limits of two installs apart when two installs share one Redis (keys under QUEUE_PREFIX)', async () => {
    const otherGuild = `${guildId}-b`;
    await db.prisma.guild.create({ data: { id: otherGuild, name: 'Other install' } });
    const a = sender({ messages: 2, windowSeconds: 30 });
    const b = sender({ messages: 2, windowSeconds: 30 }, async () => token, `${installPrefix}-b`);
    const outcomes = [];
    for (let i = 0; i < 2; i++) outcomes.push(await a.send({ guildId: otherGuild, broadcasterUserId: broadcasterUserId + 1_000_000, dedupeKey: `a:${i}`, content: `a ${i}` }));
    for (let i = 0; i < 2; i++) outcomes.push(await b.send({ guildId: otherGuild, broadcasterUserId: broadcasterUserId + 1_000_000, dedupeKey: `b:${i}`, content: `b ${i}` }));
    expect(outcomes.filter((o) => o === 'rate_limited')).toEqual([]);
    expect(await redis.keys(`${installPrefix}:chat-out:*`)).not.toEqual([]);
    expect(await redis.keys(`${installPrefix}-b:chat-out:*`)).not.toEqual([]);
  });

  it('expires a reply a stopped process left pending to failed (not sent again), and counts pending and failed replies of the last 24 h', async () => {
    const stuckGuild = `${guildId}-stuck`;
    await db.prisma.guild.create({ data: { id: stuckGuild, name: 'Stuck replies' } });
    const at = new Date();
    const row = (dedupeKey: string, minutesAgo: number, status: 'pending' | 'failed' | 'sent' = 'pending') => ({
      guildId: stuckGuild,
      broadcasterUserId,
      dedupeKey,
      content: dedupeKey,
      status,
      createdAt: new Date(at.getTime() - minutesAgo * 60_000),
    });
    await db.prisma.outgoingChatMessage.createMany({
      data: [row('reply:crashed', 10), row('reply:in-flight', 1), row('reply:old-failure', 60, 'failed'), row('reply:ok', 2, 'sent'), row('reply:yesterday', 25 * 60, 'failed')],
    });
    expect(await chatReplyCounts(db.prisma, stuckGuild, new Date(at.getTime() - 86_400_000))).toEqual({ pending: 2, failed: 1 });

    expect(await expireStuckReplies(db.prisma, at)).toBe(1);
    const crashed = await db.prisma.outgoingChatMessage.findUniqueOrThrow({ where: { guildId_dedupeKey: { guildId: stuckGuild, dedupeKey: 'reply:crashed' } } });
    expect(crashed.status).toBe('failed');
    expect(crashed.error).toBe(STUCK_REPLY_ERROR);
    expect((await db.prisma.outgoingChatMessage.findUniqueOrThrow({ where: { guildId_dedupeKey: { guildId: stuckGuild, dedupeKey: 'reply:in-flight' } } })).status).toBe('pending');
    const counts = await chatReplyCounts(db.prisma, stuckGuild, new Date(at.getTime() - 86_400_000));
    expect(counts).toEqual({ pending: 1, failed: 2 });
    expect(describeChatReplyCounts(counts)).toBe('1 pending, 2 failed in the last 24 h');
    expect(describeChatReplyCounts({ pending: 0, failed: 0 })).toBeNull();
    // Expired once: a second run changes nothing, and the dedupe key still blocks a resend.
    expect(await expireStuckReplies(db.prisma, at)).toBe(0);
    expect(await sender({ messages: 100, windowSeconds: 30 }).send({ guildId: stuckGuild, broadcasterUserId, dedupeKey: 'reply:crashed', content: 'again' })).toBe('duplicate');
  });
});
