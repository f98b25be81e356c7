/**
 * Discord sharding with real bot processes: two `gateway` processes each hold one of two shards of a bot in
 * 200 guilds (discord-sim routes every guild's events to the gateway session holding `(guild_id >> 22) % 2`), and an
 * unsharded login against 2,501 guilds fails with a message that tells the operator what to set.
 */
import { createTestDatabase, type TestDatabase } from '@kickcord/db/testing';
import { shardOf, startDiscordSim, type DiscordSim, type InteractionRecord } from '@kickcord/discord-sim';
import { startKickSim, type KickSim } from '@kickcord/kick-sim';
import { testQueuePrefix, waitFor } from '@kickcord/queue';
import { MANAGE_GUILD, newSimKickApp, simulatorBotEnv, simulatorEnv, startBotProcess, type BotProcess } from '@kickcord/testkit';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** What each test starts; stopped after it, bots first (discord-sim waits for their sockets otherwise). */
let bots: BotProcess[] = [];
let discord: DiscordSim | undefined;
let kick: KickSim | undefined;
let db: TestDatabase | undefined;
let prefix = '';

afterEach(async () => {
  await Promise.allSettled(bots.map((b) => b.close()));
  bots = [];
  await Promise.allSettled([discord?.close(), kick?.close()]);
  await db?.drop();
  if (prefix) {
    const redis = new Redis(redisUrl);
    const own = await redis.keys(`${prefix}:*`);
    if (own.length) await redis.del(...own);
    redis.disconnect();
  }
  discord = kick = db = undefined;
  prefix = '';
});

/** Starts kick-sim, discord-sim (with `sharding`), a fresh database and prefix; returns the bot environment. */
async function startWorld(sharding: NonNullable<Parameters<typeof startDiscordSim>[0]>['sharding']): Promise<Record<string, string>> {
  prefix = testQueuePrefix('shard');
  [kick, discord, db] = await Promise.all([startKickSim({ autoApprove: true }), startDiscordSim({ ...(sharding ? { sharding } : {}) }), createTestDatabase()]);
  const common = simulatorEnv({ kick, app: newSimKickApp(), databaseUrl: db.url, redisUrl, publicUrl: 'http://127.0.0.1:9', logLevel: 'debug' });
  return { ...common, ...simulatorBotEnv(discord, prefix) };
}

/** The footer of a `/kick status` answer ("Served by shard N of M"). */
function footerOf(record: InteractionRecord): string | undefined {
  const callback = record.responses.find((r) => r.kind === 'callback');
  const embeds = (callback?.data as { embeds?: { footer?: { text?: string } }[] } | undefined)?.embeds;
  return embeds?.[0]?.footer?.text;
}

describe('Discord sharding across gateway processes', () => {
  it('two gateway processes with 2 shards and 200 guilds: every slash command is answered exactly once, by the shard that owns its guild', async () => {
    // Discord's identify rule enforced: a second IDENTIFY within 5 s would get op 9. The two processes must take
    // turns through the Redis slot they share.
    const env = await startWorld({ maxConcurrency: 1, enforceIdentifyRateLimit: true });
    const sim = discord!;
    const guilds = sim.addGuilds(200);

    const gateways = [0, 1].map((shard) => startBotProcess(env, { role: 'gateway', shardCount: 2, shardIds: [shard], captureOutput: true, readyTimeoutMs: 90_000 }));
    bots.push(...gateways);
    const infos = await Promise.all(gateways.map((g) => g.ready));
    expect(infos).toEqual([
      { role: 'gateway', shards: { shardCount: 2, shardIds: [0] } },
      { role: 'gateway', shards: { shardCount: 2, shardIds: [1] } },
    ]);

    const stats = sim.gatewayStats();
    expect(stats.identifyLog.map((i) => [i.shard, i.outcome])).toEqual(expect.arrayContaining([[[0, 2], 'ready'], [[1, 2], 'ready']]));
    expect(stats.identifyLog).toHaveLength(2);
    expect(stats.identifyRateLimitViolations).toBe(0);
    // Only the holder of shard 0 registered the commands (one bulk overwrite).
    expect(sim.restCalls.filter((c) => c.method === 'PUT' && /^\/applications\/\d+\/commands/.test(c.path))).toHaveLength(1);
    // Each process synced the tenants of its own shard: together, all 200.
    await waitFor(async () => (await db!.prisma.guild.count({ where: { id: { in: guilds.map((g) => g.id) } } })) === 200, { timeoutMs: 30_000, description: 'all 200 guilds synced' });

    const records: InteractionRecord[] = [];
    for (let i = 0; i < guilds.length; i += 20) {
      const batch = guilds.slice(i, i + 20);
      const invoked = await Promise.all(batch.map((g) => sim.invoke(g.id, '200000000000000001', '/kick status', { permissions: MANAGE_GUILD })));
      await Promise.all(invoked.map((r) => sim.waitForInteractionResponse(r, undefined, 20_000)));
      records.push(...invoked);
    }

    for (const record of records) {
      const owner = shardOf(record.guildId, 2);
      expect(record.responses.filter((r) => r.kind === 'callback'), record.guildId).toHaveLength(1);
      expect(footerOf(record), record.guildId).toBe(`Served by shard ${owner} of 2`);
    }

    // The processes' own logs: every interaction was received by exactly one of them — the one holding its shard.
    const receivedBy = gateways.map((g) => new Map(g.logs().filter((l) => l.msg === 'interaction received').map((l) => [String(l.interactionId), l])));
    for (const record of records) {
      const owner = shardOf(record.guildId, 2);
      expect(receivedBy[owner]!.get(record.id)?.shardId, record.guildId).toBe(owner);
      expect(receivedBy[1 - owner]!.has(record.id), record.guildId).toBe(false);
    }
    expect(receivedBy[0]!.size + receivedBy[1]!.size).toBe(200);
    expect(receivedBy[0]!.size).toBeGreaterThan(50);
    expect(receivedBy[1]!.size).toBeGreaterThan(50);
  }, 180_000);

  it('an unsharded login against 2,501 guilds fails with a clear message that names DISCORD_SHARD_COUNT', async () => {
    const env = await startWorld(undefined);
    discord!.addGuilds(2501);
    const bot = startBotProcess(env, { role: 'gateway', shardCount: 1, captureOutput: true, readyTimeoutMs: 90_000 });
    bots.push(bot);
    await expect(bot.ready).rejects.toThrow(/exited before it was ready \(code 1\)/);
    expect((await bot.exited).code).toBe(1);
    const { stderr } = bot.output();
    expect(stderr).toContain('Discord requires sharding for this many guilds (close code 4011)');
    expect(stderr).toContain('Set DISCORD_SHARD_COUNT=auto (or a number ≥ 3; Discord recommends 3)');
    expect(discord!.gatewayStats().closes.map((c) => c.code)).toEqual([4011]);
    expect(discord!.gatewayStats().connected).toBe(0);
  }, 120_000);
});
