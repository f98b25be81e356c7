/**
 * Scenario 2 — end to end: Kick event → Discord message. kick-sim and discord-sim run here (so send
 * and receipt times share one clock); the web app and the real bot each run in their own process.
 * Follow events are sent at a fixed rate, round-robin over `channels` streamers, each announced in its
 * own Discord server (one channel alone cannot take 100 messages/s: Discord allows 5 per 5 s per
 * channel, and discord.js sends one request at a time per channel). Latency = kick-sim send →
 * discord-sim message created.
 */
import { randomBytes } from 'node:crypto';
import { createPrismaClient } from '@kickcord/db';
import { createTestDatabase } from '@kickcord/db/testing';
import { startDiscordSim } from '@kickcord/discord-sim';
import { freePort, MANAGE_GUILD, newSimKickApp, registerSimKickApp, simulatorBotEnv, simulatorEnv, startBotProcess, type BotProcess } from '@kickcord/testkit';
import { startKickSim } from '@kickcord/kick-sim';
import { queueKeyPrefix, waitFor } from '@kickcord/queue';
import { Redis } from 'ioredis';
import { startChild, type BenchChild } from './child.ts';
import { wipePrefix } from './redisKeys.ts';
import { summarize, type LatencySummary } from './stats.ts';

/** One traffic mix of the end-to-end scenario. */
export interface E2ePhaseOptions {
  name: string;
  /** Share of events that are follows (announced in Discord); the rest are chat messages (not announced). */
  followShare: number;
}

/** Settings of the end-to-end scenario. */
export interface E2eOptions {
  /** Events per phase. */
  events: number;
  /** Streamers (each with its own Discord server and #announcements) the events are spread over. */
  channels: number;
  ratePerSecond: number;
  warmupEvents: number;
  phases: E2ePhaseOptions[];
  redisUrl: string;
  log: (line: string) => void;
}

/** What one phase measured (latency: follows only, kick-sim send → discord-sim message). */
export interface E2ePhase {
  name: string;
  events: number;
  announced: number;
  achievedRate: number;
  delivered: number;
  lost: number;
  duplicates: number;
  latency: LatencySummary;
  /** kick-sim send → web's 200 for every event of the phase (the ingest part of the trip). */
  ingestAck: LatencySummary;
}

/** What scenario 2 reports. */
export interface E2eResult {
  channels: number;
  ratePerSecond: number;
  phases: E2ePhase[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Runs scenario 2. */
export async function runE2e(options: E2eOptions): Promise<E2eResult> {
  const { log } = options;
  const [kick, discord, db] = await Promise.all([startKickSim({ autoApprove: true, webhookRetryBaseMs: 50 }), startDiscordSim(), createTestDatabase()]);
  const prisma = createPrismaClient(db.url);
  const prefix = `kc-bench-e2e-${randomBytes(4).toString('hex')}`;
  const app = newSimKickApp();
  let web: BenchChild | undefined;
  const cleanups: (() => void)[] = [];
  let bot: BotProcess | undefined;
  try {
    const webPort = await freePort();
    const publicUrl = `http://127.0.0.1:${webPort}`;
    const common = simulatorEnv({ kick, app, databaseUrl: db.url, redisUrl: options.redisUrl, publicUrl, logLevel: 'warn' });
    web = startChild('servers/web.ts', { ...common, PORT: String(webPort), BENCH_QUEUE_PREFIX: prefix });
    await web.next('listening');
    registerSimKickApp(kick, app, publicUrl);
    const moderatorId = '200000000000000001';
    const tenants = Array.from({ length: options.channels }, (_, i) => {
      const streamer = kick.createUser({ username: `benchstreamer${i}x${randomBytes(2).toString('hex')}` });
      const guild = discord.addGuild({ name: `Bench Community ${i}`, channels: [{ name: 'announcements' }], members: [{ id: moderatorId, username: 'mod' }] });
      return { streamer, guild, channelId: guild.channels.find((c) => c.name === 'announcements')!.id };
    });

    bot = startBotProcess({ ...common, ...simulatorBotEnv(discord, prefix) });
    await bot.ready;
    await waitFor(async () => (await prisma.guild.count({ where: { id: { in: tenants.map((t) => t.guild.id) } } })) === tenants.length, { timeoutMs: 60_000, description: 'the bench guilds to be synced' });
    for (let i = 0; i < tenants.length; i += 10) {
      await Promise.all(
        tenants.slice(i, i + 10).map(async ({ streamer, guild }) => {
          await prisma.kickChannel.upsert({
            where: { broadcasterUserId: streamer.userId },
            create: { broadcasterUserId: streamer.userId, slug: streamer.username.toLowerCase(), displayName: streamer.username },
            update: {},
          });
          await prisma.guildChannelLink.create({ data: { guildId: guild.id, broadcasterUserId: streamer.userId, kind: 'watch', createdByDiscordId: moderatorId } });
          kick.addSubscription({ clientId: app.clientId, broadcasterUserId: streamer.userId, event: 'channel.followed' });
          kick.addSubscription({ clientId: app.clientId, broadcasterUserId: streamer.userId, event: 'chat.message.sent' });
          const record = await discord.invoke(guild.id, moderatorId, '/announce set follow #announcements', { permissions: MANAGE_GUILD, bypassCommandPermissions: true });
          await discord.waitForInteractionResponse(record, (r) => r.kind !== 'callback' || (r.type !== 5 && r.type !== 6), 30_000);
        }),
      );
    }

    const queueRedis = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
    cleanups.push(() => queueRedis.disconnect());
    const queueIdle = async () => {
      const keys = ['wait', 'active', 'delayed', 'prioritized'].map((k) => `${queueKeyPrefix(prefix)}:kick-events:${k}`);
      const [wait, active, delayed, prioritized] = await Promise.all([queueRedis.llen(keys[0]!), queueRedis.llen(keys[1]!), queueRedis.zcard(keys[2]!), queueRedis.zcard(keys[3]!)]);
      return wait + active + delayed + prioritized === 0;
    };
    const announcements = () => tenants.flatMap((t) => discord.messages(t.channelId).filter((m) => !m.interactionId));
    const chatters = tenants.map((t, i) => kick.createUser({ username: `chatter${i}x${randomBytes(2).toString('hex')}` }));
    let fanSeq = 0;

    /** Sends `count` events at the configured rate; every `1 / followShare`-th is a follow (announced), the rest chat. */
    const runPhase = async (count: number, followShare: number): Promise<Omit<E2ePhase, 'name'>> => {
      const sentAt = new Map<string, number>();
      const ackMs: number[] = [];
      const pending: Promise<unknown>[] = [];
      let follows = 0;
      const started = Date.now();
      for (let i = 0; i < count; i++) {
        await sleep(started + (i * 1000) / options.ratePerSecond - Date.now());
        const tenant = tenants[i % tenants.length]!;
        const t0 = Date.now();
        // Follows spread evenly: event i is a follow when the running share crosses the next integer.
        if (Math.floor((i + 1) * followShare) > Math.floor(i * followShare)) {
          const fan = kick.createUser({ username: `fan${fanSeq++}x${randomBytes(2).toString('hex')}` });
          sentAt.set(fan.username, t0);
          follows++;
          pending.push(kick.follow(tenant.streamer.userId, fan.userId).then(() => ackMs.push(Date.now() - t0)));
        } else {
          pending.push(kick.sendChat(tenant.streamer.userId, chatters[i % chatters.length]!.userId, `gg ${i}`).then(() => ackMs.push(Date.now() - t0)));
        }
      }
      const sendSeconds = (Date.now() - started) / 1000;
      await Promise.allSettled(pending);
      const names = new Set(sentAt.keys());
      const posted = () => announcements().filter((m) => names.has(/💚 (\S+) just followed/.exec(m.content)?.[1] ?? '')).length;
      await waitFor(() => posted() >= follows, { timeoutMs: 120_000, intervalMs: 50, description: 'every announcement' }).catch(() => undefined);
      const latencies: number[] = [];
      const counted = new Map<string, number>();
      for (const m of announcements()) {
        const name = /💚 (\S+) just followed/.exec(m.content)?.[1];
        const t0 = name === undefined ? undefined : sentAt.get(name);
        if (name === undefined || t0 === undefined) continue;
        counted.set(name, (counted.get(name) ?? 0) + 1);
        if (counted.get(name) === 1) latencies.push(m.createdAt.getTime() - t0);
      }
      return {
        events: count,
        announced: follows,
        achievedRate: count / sendSeconds,
        delivered: latencies.length,
        lost: follows - latencies.length,
        duplicates: [...counted.values()].filter((n) => n > 1).length,
        latency: summarize(latencies),
        ingestAck: summarize(ackMs),
      };
    };

    log(`e2e: warming up with ${options.warmupEvents} events…`);
    await runPhase(options.warmupEvents, 0.4);
    const phases: E2ePhase[] = [];
    for (const phase of options.phases) {
      log(`e2e: ${phase.name} — ${options.events} events at ${options.ratePerSecond}/s over ${tenants.length} channels…`);
      phases.push({ name: phase.name, ...(await runPhase(options.events, phase.followShare)) });
      await waitFor(async () => (await queueIdle()) === true, { timeoutMs: 120_000, description: 'the queue to drain between phases' }).catch(() => undefined);
    }
    return { channels: options.channels, ratePerSecond: options.ratePerSecond, phases };
  } finally {
    for (const cleanup of cleanups) cleanup();
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
