/**
 * Gateway and workers apart: the in-process bot runs as `gateway` only (slash commands, no queue workers),
 * three `worker` processes (no gateway session) consume the Kick events and post announcements over REST
 * through one shared Discord REST proxy (apps/discord-proxy), while discord-sim enforces a rate limit on
 * `POST /channels/{channel_id}/messages`. Events travel kick-sim → web → BullMQ → worker → proxy → discord-sim.
 */
import type { AddressInfo } from 'node:net';
import { createDiscordProxy, type DiscordProxy } from '@kickcord/discord-proxy';
import { waitFor } from '@kickcord/queue';
import { botEnvStrings, startBotProcess, type BotProcess } from '@kickcord/testkit';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/harness.ts';

const FOLLOWERS = 20;

let stack: TestStack;
let proxy: DiscordProxy;
let proxiedRequests = 0;
const workers: BotProcess[] = [];

beforeAll(async () => {
  stack = await startTestStack({ env: { BOT_ROLE: 'gateway' } });
  proxy = createDiscordProxy({ api: stack.discord.apiUrl, logger: pino({ level: 'silent' }) });
  proxy.server.prependListener('request', () => void proxiedRequests++);
  await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
}, 90_000);
afterAll(async () => {
  await Promise.allSettled(workers.map((w) => w.close()));
  await new Promise<void>((resolve) => (proxy ? proxy.server.close(() => resolve()) : resolve()));
  await stack?.close();
});

describe('workers apart from the gateway, REST through the shared proxy', () => {
  it('three workers posting a burst of announcements into one channel: each posted once, no 429 beyond the first discovery of the bucket', async () => {
    expect(stack.bot.role).toBe('gateway');
    await stack.run('/announce set live #announcements');
    await stack.run('/announce set follow #announcements');

    const proxyUrl = `http://127.0.0.1:${(proxy.server.address() as AddressInfo).port}/api`;
    // Two jobs at a time each: the burst has to be shared by all three workers.
    const env = botEnvStrings(stack.env, { LOG_LEVEL: 'debug', WORKER_CONCURRENCY: '2' });
    for (let i = 0; i < 3; i++) workers.push(startBotProcess(env, { role: 'worker', restProxyUrl: proxyUrl, registerCommands: false, captureOutput: true }));
    expect(await Promise.all(workers.map((w) => w.ready))).toEqual([0, 1, 2].map(() => ({ role: 'worker', shards: null })));
    // Workers hold no gateway session: the in-process gateway is the only one discord-sim ever saw.
    expect(stack.discord.gatewayStats().identifies).toBe(1);
    expect(stack.discord.gatewayStats().connected).toBe(1);

    stack.discord.configureRateLimits({ routes: { 'POST /channels/{channel_id}/messages': { limit: 5, windowMs: 1_000 } }, otherRoutes: null, globalPerSecond: null });
    stack.discord.resetRateLimitStats();
    const requestsBefore = proxiedRequests;
    try {
      const followers = Array.from({ length: FOLLOWERS }, (_, i) => stack.createViewer(`burst_fan_${i}`));
      await Promise.all([stack.kick.goLive(stack.streamer.userId, { title: 'Burst stream' }), ...followers.map((f) => stack.kick.follow(stack.streamer.userId, f.userId))]);

      const channel = stack.guild.announcementsChannelId;
      const announcements = () => stack.discord.messages(channel).filter((m) => !m.interactionId);
      await waitFor(() => announcements().length >= FOLLOWERS + 1, { timeoutMs: 45_000, description: `${FOLLOWERS + 1} announcements in #announcements` });
      await stack.drain(30_000);

      for (const f of followers) expect(announcements().filter((m) => m.content.includes(`${f.username} just followed`)), f.username).toHaveLength(1);
      expect(announcements().filter((m) => (m.embeds as { title?: string }[])[0]?.title === 'Burst stream')).toHaveLength(1);
      expect(announcements()).toHaveLength(FOLLOWERS + 1);
      const rows = await stack.db.prisma.postedAnnouncement.findMany({ where: { guildId: stack.guild.id, discordChannelId: channel, event: { in: ['live', 'follow'] } } });
      expect(rows).toHaveLength(FOLLOWERS + 1);
      expect(rows.every((r) => r.postedAt !== null && r.discordMessageId !== null)).toBe(true);

      // One channel = one bucket: at most the 429 that discovers it, however the three workers interleave.
      expect(stack.discord.rateLimitStats().total).toBeLessThanOrEqual(1);
      // Every post went through the proxy, and every worker posted some of the burst.
      expect(proxiedRequests - requestsBefore).toBeGreaterThanOrEqual(FOLLOWERS + 1);
      const postedBy = workers.map((w) => w.logs().filter((l) => l.msg === 'announcement posted').length);
      expect(postedBy.reduce((a, b) => a + b, 0)).toBe(FOLLOWERS + 1);
      for (const n of postedBy) expect(n).toBeGreaterThan(0);
    } finally {
      stack.discord.configureRateLimits(false);
    }
  }, 150_000);
});
