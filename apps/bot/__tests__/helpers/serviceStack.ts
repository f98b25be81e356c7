/**
 * A service-level test stack (loyalty and games tests): kick-sim + a fresh test database + real Redis (own key prefix)
 * + a real BotContext (real KickConnectionStore, SubscriptionService, KickChatSender). kick-sim's
 * webhooks are received by a tiny HTTP endpoint that runs the bot's real `processKickEvent` with the
 * Kick event handlers assembled from the features before answering — so when `sim.sendChat()` resolves, the message has been
 * handled (deterministic, no queue). The full production path (web → BullMQ → worker) is covered by
 * e2e/__tests__/loyalty.e2e.test.ts and games.e2e.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { KickConnectionStore, SubscriptionService, TokenRefresher, GuildFanOutCache } from '@kickcord/connections';
import { createPrismaClient, TokenCipher } from '@kickcord/db';
import { createTestDatabase, type TestDatabase } from '@kickcord/db/testing';
import { KickApiClient, KickOAuth } from '@kickcord/kick';
import { startKickSim, type KickSim } from '@kickcord/kick-sim';
import { REST } from 'discord.js';
import { Redis } from 'ioredis';
import { LocalCopies, type KickEventJob } from '@kickcord/queue';
import { pino } from 'pino';
import type { BotContext } from '../../src/context.ts';
import { RedisKeys } from '../../src/redisKeys.ts';
import { parseBotEnv } from '../../src/env.ts';
import { kickEventHandlers } from '../../src/features/assemble.ts';
import { KickChatSender } from '../../src/kickChat/KickChatSender.ts';
import type { KickEventHandler } from '../../src/kickEvents/KickEventHandler.ts';
import { processKickEvent } from '../../src/kickEvents/processKickEvent.ts';

/** A clock tests move by hand. */
export interface TestClock {
  now(): Date;
  set(at: Date | number): void;
  advance(ms: number): void;
}

export function createTestClock(start: Date | number): TestClock {
  let t = typeof start === 'number' ? start : start.getTime();
  return {
    now: () => new Date(t),
    set: (at) => {
      t = typeof at === 'number' ? at : at.getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export interface ServiceStack {
  sim: KickSim;
  db: TestDatabase;
  ctx: BotContext;
  clock: TestClock;
  redis: Redis;
  guildId: string;
  streamer: { userId: number; username: string };
  /** Errors thrown by event processing (a test asserts this stays empty). */
  failures: unknown[];
  /** Statements the stack's bot context has sent to PostgreSQL so far. */
  statements(): number;
  /** Kick events processed by the receiver so far (including duplicates). */
  processed(): number;
  /** Creates a Kick viewer account in the sim. */
  viewer(username: string): { userId: number; username: string };
  /** Adds another guild owning another channel (for isolation tests). */
  addOwnerGuild(name: string): Promise<{ guildId: string; streamer: { userId: number; username: string } }>;
  /**
   * Another, independent BotContext over the same database and Redis namespace (its own Prisma client, Redis
   * connection, connection store and chat sender) — a second worker, or the bot after a restart.
   */
  newContext(): Promise<BotContext>;
  close(): Promise<void>;
}

const SCOPES = ['user:read', 'channel:read', 'chat:write', 'events:subscribe', 'moderation:ban', 'kicks:read', 'channel:rewards:read'];

/** Starts the stack: one guild owning one streamer's channel, subscribed in kick-sim, at `clock`. */
export async function startServiceStack(options: { start?: Date; handlers?: KickEventHandler[] } = {}): Promise<ServiceStack> {
  const clock = createTestClock(options.start ?? new Date(Math.floor(Date.now() / 60_000) * 60_000));
  const [sim, db] = await Promise.all([startKickSim({ autoApprove: true, webhookRetries: 1 }), createTestDatabase()]);
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  // Every key of this stack lives under its own install prefix (QUEUE_PREFIX), as in production.
  const installPrefix = `kc-test-svc-${randomBytes(4).toString('hex')}`;
  const keys = new RedisKeys(installPrefix);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  const clientId = `app-${randomBytes(4).toString('hex')}`;
  const clientSecret = randomBytes(16).toString('hex');
  const encryptionKey = randomBytes(32).toString('hex');
  const failures: unknown[] = [];
  let processed = 0;
  const handlers = options.handlers ?? kickEventHandlers;

  // eslint-disable-next-line prefer-const
  let ctx: BotContext;
  const receiver: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const header = (name: string) => String(req.headers[name.toLowerCase()] ?? '');
      const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { broadcaster?: { user_id?: number } };
      const job: KickEventJob = {
        messageId: header('Kick-Event-Message-Id'),
        subscriptionId: header('Kick-Event-Subscription-Id'),
        eventType: header('Kick-Event-Type'),
        eventVersion: header('Kick-Event-Version'),
        messageTimestamp: header('Kick-Event-Message-Timestamp'),
        receivedAt: new Date().toISOString(),
        broadcasterUserId: payload.broadcaster?.user_id ?? null,
        payload,
      };
      processed++;
      processKickEvent(ctx, handlers, job)
        .catch((error: unknown) => failures.push(error))
        .finally(() => res.writeHead(200).end('ok'));
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  const receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/webhooks/kick`;
  sim.registerApp({ clientId, clientSecret, redirectUris: ['http://localhost:9/cb'], webhookUrl: receiverUrl, botUsername: 'kickcord_bot' });

  const env = parseBotEnv({
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    PUBLIC_URL: 'http://127.0.0.1:9',
    TOKEN_ENCRYPTION_KEY: encryptionKey,
    KICK_CLIENT_ID: clientId,
    KICK_CLIENT_SECRET: clientSecret,
    KICK_API_URL: sim.url,
    KICK_AUTH_URL: sim.url,
    KICK_WEBHOOK_PUBLIC_KEY: sim.publicKeyPem,
    KICK_BOT_USERNAME: 'kickcord_bot',
    DISCORD_TOKEN: 'unused',
    DISCORD_CLIENT_ID: '100000000000000001',
    LOG_LEVEL: 'silent',
    QUEUE_PREFIX: installPrefix,
  });
  const logger = pino({ level: 'silent' });
  const cipher = new TokenCipher(encryptionKey);
  const kickOAuth = new KickOAuth({ clientId, clientSecret, authUrl: sim.url, apiUrl: sim.url });
  const kickApp = new KickApiClient({ apiUrl: sim.url, token: () => kickOAuth.appToken(), maxRetries: 1 });
  // The bot's own client counts every statement it sends (tests of the chat path assert none).
  let statementCount = 0;
  const botPrisma = createPrismaClient(db.url, { onStatement: () => void statementCount++ });
  const connections = new KickConnectionStore({ prisma: botPrisma, cipher, oauth: kickOAuth, apiUrl: sim.url });
  const subscriptions = new SubscriptionService({ prisma: botPrisma, oauth: kickOAuth, apiUrl: sim.url });
  const kickChat = new KickChatSender({ prisma: botPrisma, redis, keys, connections, kickApiUrl: sim.url, logger, now: clock.now, rateLimit: { messages: 1000, windowSeconds: 30 } });
  // Local copies as a bot process has them; each context of newContext() has its own, like another process.
  const localCopies = await LocalCopies.start(redis, installPrefix);
  const copies = [localCopies];
  ctx = { env, prisma: botPrisma, redis, localCopies, keys, cipher, kickOAuth, kickApp, connections, fanOut: new GuildFanOutCache({ prisma: botPrisma, redis, keyPrefix: installPrefix, localCopies }), subscriptions, refresher: new TokenRefresher({ prisma: botPrisma, store: connections }), kickChat, discordRest: new REST(), logger, now: clock.now };

  const extra: { prisma: ReturnType<typeof createPrismaClient>; redis: Redis }[] = [];
  async function newContext(): Promise<BotContext> {
    const prisma = createPrismaClient(db.url);
    const redis2 = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
    extra.push({ prisma, redis: redis2 });
    const localCopies2 = await LocalCopies.start(redis2, installPrefix);
    copies.push(localCopies2);
    const oauth2 = new KickOAuth({ clientId, clientSecret, authUrl: sim.url, apiUrl: sim.url });
    const connections2 = new KickConnectionStore({ prisma, cipher, oauth: oauth2, apiUrl: sim.url });
    return {
      env,
      prisma,
      redis: redis2,
      localCopies: localCopies2,
      keys,
      cipher,
      kickOAuth: oauth2,
      kickApp: new KickApiClient({ apiUrl: sim.url, token: () => oauth2.appToken(), maxRetries: 1 }),
      connections: connections2,
      fanOut: new GuildFanOutCache({ prisma, redis: redis2, keyPrefix: installPrefix, localCopies: localCopies2 }),
      subscriptions: new SubscriptionService({ prisma, oauth: oauth2, apiUrl: sim.url }),
      refresher: new TokenRefresher({ prisma, store: connections2, logger }),
      kickChat: new KickChatSender({ prisma, redis: redis2, keys, connections: connections2, kickApiUrl: sim.url, logger, now: clock.now, rateLimit: { messages: 1000, windowSeconds: 30 } }),
      discordRest: new REST(),
      logger,
      now: clock.now,
    };
  }

  async function addOwnerGuild(name: string) {
    const guildId = String(100000000000000000n + BigInt(Math.floor(Math.random() * 1e12)));
    const user = sim.createUser({ username: `${name}${randomBytes(2).toString('hex')}` });
    await db.prisma.guild.create({ data: { id: guildId, name, settings: { create: {} } } });
    await db.prisma.kickChannel.create({ data: { broadcasterUserId: user.userId, slug: user.username.toLowerCase(), displayName: user.username } });
    const tokens = sim.issueUserToken({ clientId, userId: user.userId, scopes: SCOPES });
    await connections.save({
      guildId,
      broadcasterUserId: user.userId,
      kickUsername: user.username,
      connectedByDiscordId: '200000000000000001',
      tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, tokenType: 'Bearer', scopes: SCOPES, expiresAt: new Date(Date.now() + tokens.expiresIn * 1000) },
    });
    await db.prisma.guildChannelLink.upsert({
      where: { guildId_broadcasterUserId: { guildId, broadcasterUserId: user.userId } },
      create: { guildId, broadcasterUserId: user.userId, kind: 'owner', createdByDiscordId: '200000000000000001' },
      update: { kind: 'owner' },
    });
    await subscriptions.sync(user.userId);
    return { guildId, streamer: { userId: user.userId, username: user.username } };
  }

  const first = await addOwnerGuild('streamer');
  return {
    sim,
    db,
    ctx,
    clock,
    redis,
    guildId: first.guildId,
    streamer: first.streamer,
    failures,
    statements: () => statementCount,
    processed: () => processed,
    viewer(username) {
      const u = sim.createUser({ username });
      return { userId: u.userId, username: u.username };
    },
    addOwnerGuild,
    newContext,
    async close() {
      await Promise.all(copies.map((c) => c.close()));
      for (const e of extra) {
        e.redis.disconnect();
        await e.prisma.$disconnect().catch(() => undefined);
      }
      await sim.close();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
      await botPrisma.$disconnect().catch(() => undefined);
      // Only this stack's own keys (its install prefix), never other keys on the server.
      const own = await redis.keys(`${installPrefix}:*`);
      for (let i = 0; i < own.length; i += 1000) await redis.del(...own.slice(i, i + 1000));
      redis.disconnect();
      await db.drop();
    },
  };
}
