/**
 * Scenario 2 — end to end: Kick event → Discord message. kick-sim and discord-sim run here (so send
 * and receipt times share one clock); the web app and the real bot each run in their own process.
 * Follow events are sent at a fixed rate; latency = kick-sim send → discord-sim message created.
 */
import { randomBytes } from 'node:crypto';
import { createPrismaClient } from '@kickcord/db';
import { createTestDatabase } from '@kickcord/db/testing';
import { startDiscordSim } from '@kickcord/discord-sim';
import { freePort, MANAGE_GUILD, startBotProcess, type BotProcess } from '@kickcord/e2e';
import { startKickSim } from '@kickcord/kick-sim';
import { waitFor } from '@kickcord/queue';
import { Redis } from 'ioredis';
import { startChild, type BenchChild } from './child.ts';
import { wipePrefix } from './redisKeys.ts';
import { summarize, type LatencySummary } from './stats.ts';

/** Settings of the end-to-end scenario. */
export interface E2eOptions {
  events: number;
  ratePerSecond: number;
  warmupEvents: number;
  redisUrl: string;
  log: (line: string) => void;
}

/** What scenario 2 reports. */
export interface E2eResult {
  events: number;
  ratePerSecond: number;
  achievedRate: number;
  delivered: number;
  lost: number;
  duplicates: number;
  latency: LatencySummary;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Runs scenario 2. */
export async function runE2e(options: E2eOptions): Promise<E2eResult> {
  const { log } = options;
  const [kick, discord, db] = await Promise.all([startKickSim({ autoApprove: true, webhookRetryBaseMs: 50 }), startDiscordSim(), createTestDatabase()]);
  const prisma = createPrismaClient(db.url);
  const prefix = `kc-bench-e2e-${randomBytes(4).toString('hex')}`;
  const clientId = `bench-${randomBytes(4).toString('hex')}`;
  const clientSecret = randomBytes(16).toString('hex');
  const encryptionKey = randomBytes(32).toString('hex');
  let web: BenchChild | undefined;
  let bot: BotProcess | undefined;
  try {
    const webPort = await freePort();
    const publicUrl = `http://127.0.0.1:${webPort}`;
    const common = {
      DATABASE_URL: db.url,
      REDIS_URL: options.redisUrl,
      PUBLIC_URL: publicUrl,
      KICK_CLIENT_ID: clientId,
      KICK_CLIENT_SECRET: clientSecret,
      KICK_API_URL: kick.url,
      KICK_AUTH_URL: kick.url,
      KICK_WEBHOOK_PUBLIC_KEY: kick.publicKeyPem,
      TOKEN_ENCRYPTION_KEY: encryptionKey,
      LOG_LEVEL: 'warn',
    };
    web = startChild('servers/web.ts', { ...common, PORT: String(webPort), BENCH_QUEUE_PREFIX: prefix });
    await web.next('listening');
    kick.registerApp({ clientId, clientSecret, redirectUris: [`${publicUrl}/oauth/kick/callback`], webhookUrl: `${publicUrl}/webhooks/kick`, botUsername: 'kickcord_bot' });
    const streamer = kick.createUser({ username: `benchstreamer${randomBytes(2).toString('hex')}` });
    const moderatorId = '200000000000000001';
    const guild = discord.addGuild({ name: 'Bench Community', channels: [{ name: 'announcements' }], members: [{ id: moderatorId, username: 'mod' }] });
    const channelId = guild.channels.find((c) => c.name === 'announcements')!.id;

    bot = startBotProcess({
      ...common,
      KICK_BOT_USERNAME: 'kickcord_bot',
      DISCORD_TOKEN: discord.token,
      DISCORD_CLIENT_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      QUEUE_PREFIX: prefix,
    });
    await bot.ready;
    await waitFor(() => prisma.guild.findUnique({ where: { id: guild.id } }), { timeoutMs: 30_000, description: 'the bench guild to be synced' });
    await prisma.kickChannel.upsert({
      where: { broadcasterUserId: streamer.userId },
      create: { broadcasterUserId: streamer.userId, slug: streamer.username.toLowerCase(), displayName: streamer.username },
      update: {},
    });
    await prisma.guildChannelLink.create({ data: { guildId: guild.id, broadcasterUserId: streamer.userId, kind: 'watch', createdByDiscordId: moderatorId } });
    kick.addSubscription({ clientId, broadcasterUserId: streamer.userId, event: 'channel.followed' });
    const record = await discord.invoke(guild.id, moderatorId, '/announce set follow #announcements', { permissions: MANAGE_GUILD, bypassCommandPermissions: true });
    await discord.waitForInteractionResponse(record, (r) => r.kind !== 'callback' || (r.type !== 5 && r.type !== 6), 15_000);

    const total = options.warmupEvents + options.events;
    const users = Array.from({ length: total }, (_, i) => kick.createUser({ username: `fan${i}x${randomBytes(2).toString('hex')}` }));
    const sentAt = new Map<string, number>();
    const pending: Promise<unknown>[] = [];
    const fire = (from: number, to: number) => {
      const started = Date.now();
      return (async () => {
        for (let i = from; i < to; i++) {
          await sleep(started + ((i - from) * 1000) / options.ratePerSecond - Date.now());
          const user = users[i]!;
          sentAt.set(user.username, Date.now());
          pending.push(kick.follow(streamer.userId, user.userId));
        }
      })();
    };
    const followsPosted = () => discord.messages(channelId).filter((m) => !m.interactionId).length;

    log(`e2e: warming up with ${options.warmupEvents} follows…`);
    await fire(0, options.warmupEvents);
    await waitFor(() => followsPosted() >= options.warmupEvents, { timeoutMs: 60_000, description: 'warm-up announcements' });
    const before = followsPosted();

    log(`e2e: ${options.events} follows at ${options.ratePerSecond}/s…`);
    const startedAt = Date.now();
    await fire(options.warmupEvents, total);
    const sendSeconds = (Date.now() - startedAt) / 1000;
    await Promise.allSettled(pending);
    await waitFor(() => followsPosted() >= before + options.events, { timeoutMs: 120_000, intervalMs: 50, description: 'every announcement' }).catch(() => undefined);

    const indexOf = new Map(users.map((u, i) => [u.username, i]));
    const latencies: number[] = [];
    const counted = new Map<string, number>();
    for (const m of discord.messages(channelId)) {
      const name = /💚 (\S+) just followed/.exec(m.content)?.[1];
      if (!name) continue;
      counted.set(name, (counted.get(name) ?? 0) + 1);
      const t0 = sentAt.get(name);
      const index = indexOf.get(name) ?? -1;
      if (t0 !== undefined && index >= options.warmupEvents && counted.get(name) === 1) latencies.push(m.createdAt.getTime() - t0);
    }
    const duplicates = [...counted.values()].filter((n) => n > 1).length;
    return {
      events: options.events,
      ratePerSecond: options.ratePerSecond,
      achievedRate: options.events / sendSeconds,
      delivered: latencies.length,
      lost: options.events - latencies.length,
      duplicates,
      latency: summarize(latencies),
    };
  } finally {
    await bot?.close().catch(() => undefined);
    await web?.stop().catch(() => undefined);
    const redis = new Redis(options.redisUrl);
    await wipePrefix(redis, prefix).catch(() => undefined);
    redis.disconnect();
    await Promise.allSettled([kick.close(), discord.close()]);
    await prisma.$disconnect().catch(() => undefined);
    await db.drop().catch(() => undefined);
  }
}
