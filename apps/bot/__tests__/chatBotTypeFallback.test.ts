import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@kickcord/db/testing';
import { startKickSim, type KickSim } from '@kickcord/kick-sim';
import { createRedisConnection, type RedisConnection } from '@kickcord/queue';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KickChatSender } from '../src/kickChat/KickChatSender.ts';
import { RedisKeys } from '../src/redisKeys.ts';

let db: TestDatabase;
let sim: KickSim;
let redis: RedisConnection;
const guildId = `g-bottype-${randomBytes(3).toString('hex')}`;
const installPrefix = `kc-test-bottype-${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  [db, sim] = await Promise.all([createTestDatabase(), startKickSim()]);
  redis = createRedisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  await db.prisma.guild.create({ data: { id: guildId, name: 'Bot Type Guild' } });
});
afterAll(async () => {
  const own = await redis.keys(`${installPrefix}:*`);
  if (own.length > 0) await redis.del(...own);
  redis?.disconnect();
  await sim?.close();
  await db?.drop();
});

function senderFor(clientId: string, botEnabled: boolean) {
  sim.registerApp({ clientId, clientSecret: 'secret', redirectUris: ['http://127.0.0.1/cb'], botUsername: `${clientId}_bot`, botEnabled });
  const streamer = sim.createUser({ username: `st${clientId}` });
  const token = sim.issueUserToken({ clientId, userId: streamer.userId, scopes: ['chat:write'] }).accessToken;
  const chat = new KickChatSender({
    prisma: db.prisma,
    redis,
    keys: new RedisKeys(installPrefix),
    connections: { getValidAccessToken: async () => token },
    kickApiUrl: sim.url,
    logger: pino({ level: 'silent' }),
    now: () => new Date('2030-01-01T00:00:10Z'),
    rateLimit: { messages: 100, windowSeconds: 30 },
  });
  return { chat, streamer };
}

describe('KickChatSender chat type', () => {
  it('sends as the app bot when the bot is enabled', async () => {
    const { chat, streamer } = senderFor('botok', true);
    expect(await chat.send({ guildId, broadcasterUserId: streamer.userId, dedupeKey: 'bt:ok', content: 'from the bot' })).toBe('sent');
    expect(sim.chatLog(streamer.userId).map((m) => [m.type, m.senderUsername, m.content])).toEqual([['bot', 'botok_bot', 'from the bot']]);
  });

  it('falls back to type "user" with broadcaster_user_id when Kick refuses the bot type, keeping the reply target', async () => {
    const { chat, streamer } = senderFor('botoff', false);
    const viewer = sim.createUser({ username: 'askingviewer' });
    const asked = await sim.sendChat(streamer.userId, viewer.userId, '!points');
    expect(await chat.send({ guildId, broadcasterUserId: streamer.userId, dedupeKey: 'bt:off', content: 'as the streamer', replyToMessageId: asked.messageId })).toBe('sent');
    const posted = sim.chatLog(streamer.userId).filter((m) => m.type !== 'viewer');
    expect(posted.map((m) => [m.type, m.senderUsername, m.content, m.replyToMessageId])).toEqual([['user', streamer.username, 'as the streamer', asked.messageId]]);
    const row = await db.prisma.outgoingChatMessage.findFirstOrThrow({ where: { guildId, dedupeKey: 'bt:off' } });
    expect(row.status).toBe('sent');
    expect(row.kickMessageId).toBe(posted[0]?.messageId);
  });
});
