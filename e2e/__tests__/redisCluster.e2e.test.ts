/**
 * The whole system on a Redis Cluster: a local 3-master cluster (`redis-server --cluster-enabled yes` on
 * loopback ports, joined by `redis-cli --cluster create`), REDIS_URL=redis+cluster://…, and events on the
 * production path — kick-sim signs → web verifies and enqueues (one Lua script per batch, every queue key
 * in the `{q}` slot) → the bot's worker → discord-sim and Kick chat — with the bot's own keys (activity,
 * cooldowns, caches) spread over the cluster's nodes.
 */
import { startLocalRedisCluster, waitFor, type LocalRedisCluster } from '@kickcord/queue';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/harness.ts';

let cluster: LocalRedisCluster;
let stack: TestStack;

beforeAll(async () => {
  cluster = await startLocalRedisCluster();
  stack = await startTestStack({ redisUrl: cluster.url });
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await cluster?.stop();
});

describe('kickcord on a Redis Cluster', () => {
  it('announces a follow, answers a chat command and records chat activity, end to end', async () => {
    expect(stack.env.REDIS_URL).toMatch(/^redis\+cluster:\/\//);
    await stack.run('/announce set follow #announcements');
    const fan = stack.createViewer('cluster_fan');
    await stack.kick.follow(stack.streamer.userId, fan.userId);
    const posted = await stack.discord.waitForMessage(stack.guild.announcementsChannelId, (m) => m.content.includes('cluster_fan just followed'), 20_000);
    expect(posted.content).toContain(stack.streamer.username);

    const sent = await stack.kick.sendChat(stack.streamer.userId, fan.userId, '!points');
    await waitFor(() => stack.kick.chatLog(stack.streamer.userId).some((m) => m.type === 'bot' && m.replyToMessageId === sent.messageId), {
      timeoutMs: 20_000,
      description: 'the bot to answer !points in Kick chat',
    });
    await stack.drain(20_000);

    // The keys landed on the cluster, spread over more than one node: queue keys in the {q} slot, the
    // bot's activity window of this channel in its own slot.
    const prefix = stack.env.QUEUE_PREFIX;
    const holders: number[] = [];
    for (const port of cluster.ports) {
      const node = new Redis({ port, host: '127.0.0.1', lazyConnect: true });
      await node.connect();
      const keys = await node.keys(`${prefix}:*`);
      node.disconnect();
      if (keys.length > 0) holders.push(port);
    }
    expect(holders.length).toBeGreaterThan(1);
    const activity = stack.bot.ctx.keys.activity(stack.guild.id, stack.streamer.userId);
    expect(await stack.bot.ctx.redis.zscore(activity.zset, String(fan.userId))).not.toBeNull();
  });
});
