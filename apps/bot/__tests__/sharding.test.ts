import { randomBytes } from 'node:crypto';
import { shardOf, startDiscordSim, type DiscordSim } from '@kickcord/discord-sim';
import { Events, REST, type Client } from 'discord.js';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createDiscordClient } from '../src/discord/createDiscordClient.ts';
import { GatewayStartError } from '../src/discord/GatewayStartError.ts';
import { explainGatewayClose, loginGateway } from '../src/discord/loginGateway.ts';
import { RedisIdentifyThrottler } from '../src/discord/RedisIdentifyThrottler.ts';
import { resolveShardPlan } from '../src/discord/resolveShardPlan.ts';
import { formatShardIds, parseShardIds, shardOfGuild } from '../src/discord/shardIds.ts';
import { parseBotEnv } from '../src/env.ts';
import { MINIMAL_BOT_ENV } from './helpers/minimalEnv.ts';

/** The smallest valid bot environment. */
const REQUIRED = MINIMAL_BOT_ENV;

describe('DISCORD_SHARD_IDS ranges', () => {
  it('reads ids and inclusive ranges, sorted and without duplicates', () => {
    expect(parseShardIds('0-3')).toEqual({ ok: true, ids: [0, 1, 2, 3] });
    expect(parseShardIds('0,2,5-7')).toEqual({ ok: true, ids: [0, 2, 5, 6, 7] });
    expect(parseShardIds(' 4 , 1 - 2,2')).toEqual({ ok: true, ids: [1, 2, 4] });
    expect(parseShardIds('9')).toEqual({ ok: true, ids: [9] });
  });

  it('says what is wrong with a bad list', () => {
    expect(parseShardIds('3-1')).toEqual({ ok: false, message: 'the range 3-1 runs backwards: write it as 1-3' });
    for (const bad of ['', 'a', '1-', '-1', '1,,2', '1.5', '0-2-4']) {
      const parsed = parseShardIds(bad);
      expect(parsed.ok, bad).toBe(false);
      if (!parsed.ok) expect(parsed.message).toContain('use ids and ranges such as 0-3 or 0,2,5-7');
    }
    expect(parseShardIds('0-70000')).toEqual({ ok: false, message: 'shard id 70000 is above 65535' });
  });

  it('writes ids back as ranges', () => {
    expect(formatShardIds([0, 1, 2, 5, 7, 8])).toBe('0-2,5,7-8');
    expect(formatShardIds([3])).toBe('3');
    expect(parseShardIds(formatShardIds([0, 1, 2, 5, 7, 8]))).toEqual({ ok: true, ids: [0, 1, 2, 5, 7, 8] });
  });

  it("routes guilds as Discord does: (guild_id >> 22) % shard_count", () => {
    const ids = ['81384788765712384', '175928847299117063', '1234567890123456789', '100000000000000001'];
    for (const id of ids) for (const count of [1, 2, 3, 16]) expect(shardOfGuild(id, count)).toBe(shardOf(id, count));
    expect(shardOfGuild(String(5n << 22n), 4)).toBe(1);
  });
});

describe('bot environment: role, shards and REST proxy', () => {
  it('defaults to one process doing everything, with Discord recommending the shard count', () => {
    const env = parseBotEnv(REQUIRED);
    expect(env.BOT_ROLE).toBe('all');
    expect(env.DISCORD_SHARD_COUNT).toBe('auto');
    expect(env.DISCORD_SHARD_IDS).toBeUndefined();
    expect(env.DISCORD_REST_PROXY_URL).toBeUndefined();
  });

  it('parses a gateway holding a range of a fixed count, and a worker behind the proxy', () => {
    const gateway = parseBotEnv({ ...REQUIRED, BOT_ROLE: 'gateway', DISCORD_SHARD_COUNT: '8', DISCORD_SHARD_IDS: '0,2,5-7' });
    expect(gateway.BOT_ROLE).toBe('gateway');
    expect(gateway.DISCORD_SHARD_COUNT).toBe(8);
    expect(gateway.DISCORD_SHARD_IDS).toEqual([0, 2, 5, 6, 7]);
    const worker = parseBotEnv({ ...REQUIRED, BOT_ROLE: 'worker', DISCORD_REST_PROXY_URL: 'http://discord-proxy:8080/api/' });
    expect(worker.BOT_ROLE).toBe('worker');
    expect(worker.DISCORD_REST_PROXY_URL).toBe('http://discord-proxy:8080/api');
  });

  it('survives being handed on as strings (a parsed environment given to a child process)', () => {
    const env = parseBotEnv({ ...REQUIRED, DISCORD_SHARD_COUNT: '4', DISCORD_SHARD_IDS: '1-3' });
    const strings = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
    const again = parseBotEnv(strings);
    expect(again.DISCORD_SHARD_COUNT).toBe(4);
    expect(again.DISCORD_SHARD_IDS).toEqual([1, 2, 3]);
  });

  it('refuses each bad setting with a message naming the variable', () => {
    expect(() => parseBotEnv({ ...REQUIRED, BOT_ROLE: 'both' })).toThrow(/BOT_ROLE is invalid/);
    expect(() => parseBotEnv({ ...REQUIRED, DISCORD_SHARD_COUNT: '0' })).toThrow('DISCORD_SHARD_COUNT is invalid (must be auto or a whole number of shards ≥ 1)');
    expect(() => parseBotEnv({ ...REQUIRED, DISCORD_SHARD_COUNT: 'lots' })).toThrow('DISCORD_SHARD_COUNT is invalid');
    expect(() => parseBotEnv({ ...REQUIRED, DISCORD_SHARD_IDS: '3-1' })).toThrow('DISCORD_SHARD_IDS is invalid (the range 3-1 runs backwards: write it as 1-3)');
    expect(() => parseBotEnv({ ...REQUIRED, DISCORD_SHARD_COUNT: '2', DISCORD_SHARD_IDS: '1-3' })).toThrow(
      'DISCORD_SHARD_IDS is invalid (names shard 2-3, but DISCORD_SHARD_COUNT=2 means shard ids 0-1;',
    );
    expect(() => parseBotEnv({ ...REQUIRED, DISCORD_REST_PROXY_URL: 'http://discord-proxy:8080/' })).toThrow('DISCORD_REST_PROXY_URL is invalid (must be an http(s) URL ending in /api');
  });

  it('reports the shard-range problem together with unrelated missing variables', () => {
    let message = '';
    try {
      parseBotEnv({ DISCORD_SHARD_COUNT: '2', DISCORD_SHARD_IDS: '5' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('DATABASE_URL is missing');
    expect(message).toContain('DISCORD_SHARD_IDS is invalid (names shard 5, but DISCORD_SHARD_COUNT=2');
  });
});

describe('shards against discord-sim', () => {
  let sim: DiscordSim | undefined;
  const clients: Client[] = [];
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `kc-test-shards-${randomBytes(4).toString('hex')}`;
  const rest = () => new REST({ api: sim!.apiUrl }).setToken(sim!.token);

  afterEach(async () => {
    for (const c of clients.splice(0)) await c.destroy();
    await sim?.close();
    sim = undefined;
  });
  afterAll(async () => {
    const own = await redis.keys(`${prefix}:*`);
    if (own.length) await redis.del(...own);
    redis.disconnect();
  });

  it("resolves auto to Discord's recommendation, and refuses ids beyond it naming DISCORD_SHARD_COUNT", async () => {
    sim = await startDiscordSim({ sharding: { guildsPerShard: 10 } });
    sim.addGuilds(25);
    expect(await resolveShardPlan({ shardCount: 'auto', shardIds: undefined }, rest())).toEqual({ shardCount: 3, shardIds: [0, 1, 2], recommendedShards: 3 });
    expect(await resolveShardPlan({ shardCount: 'auto', shardIds: [2] }, rest())).toEqual({ shardCount: 3, shardIds: [2], recommendedShards: 3 });
    const refused = resolveShardPlan({ shardCount: 'auto', shardIds: [1, 4, 5] }, rest());
    await expect(refused).rejects.toBeInstanceOf(GatewayStartError);
    await expect(refused).rejects.toThrow(/DISCORD_SHARD_IDS names shard 4-5, but Discord recommends 3 shards .*set DISCORD_SHARD_COUNT/);
    // A fixed count asks Discord nothing.
    const calls = sim.restCalls.length;
    expect(await resolveShardPlan({ shardCount: 4, shardIds: [1, 3] }, rest())).toEqual({ shardCount: 4, shardIds: [1, 3] });
    expect(sim.restCalls.length).toBe(calls);
  });

  it('fails an unsharded login that Discord closes with 4011, naming DISCORD_SHARD_COUNT and the recommendation', async () => {
    sim = await startDiscordSim({ sharding: { guildsPerShard: 4, maxGuildsPerShard: 5 } });
    sim.addGuilds(9);
    const plan = { shardCount: 1, shardIds: [0] };
    const client = createDiscordClient({ apiUrl: sim.apiUrl, shards: plan });
    clients.push(client);
    const failure = await loginGateway(client, { token: sim.token, plan, rest: rest() }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(GatewayStartError);
    expect((failure as GatewayStartError).closeCode).toBe(4011);
    expect((failure as Error).message).toContain('Discord requires sharding for this many guilds (close code 4011)');
    expect((failure as Error).message).toContain('Set DISCORD_SHARD_COUNT=auto (or a number ≥ 3; Discord recommends 3)');
    expect(sim.gatewayStats().closes.map((c) => c.code)).toContain(4011);
  });

  it('fails a shard Discord calls invalid (4010), naming DISCORD_SHARD_IDS and DISCORD_SHARD_COUNT', async () => {
    sim = await startDiscordSim();
    sim.addGuilds(2);
    const plan = { shardCount: 2, shardIds: [2] };
    const client = createDiscordClient({ apiUrl: sim.apiUrl, shards: plan });
    clients.push(client);
    const failure = await loginGateway(client, { token: sim.token, plan, rest: rest() }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(GatewayStartError);
    expect((failure as GatewayStartError).closeCode).toBe(4010);
    expect((failure as Error).message).toMatch(/close code 4010 Invalid shard.*DISCORD_SHARD_IDS.*DISCORD_SHARD_COUNT/);
  });

  it('explains the other close codes that stop a gateway for good, and none that do not', () => {
    expect(explainGatewayClose(4004, { shardCount: 1, shardIds: [0] })).toContain('DISCORD_TOKEN');
    expect(explainGatewayClose(4011, { shardCount: 2, shardIds: [0, 1] })).toContain('identified as shard 0-1 of 2 (DISCORD_SHARD_IDS=0-1, DISCORD_SHARD_COUNT=2)');
    expect(explainGatewayClose(4011, { shardCount: 2, shardIds: [1] })).toContain('a number ≥ 3');
    expect(explainGatewayClose(4000, { shardCount: 1, shardIds: [0] })).toBeUndefined();
  });

  it('identifies two processes holding one shard each one window apart through the shared Redis slot', async () => {
    sim = await startDiscordSim({ sharding: { maxConcurrency: 1, identifyWindowMs: 400, enforceIdentifyRateLimit: true } });
    const guilds = sim.addGuilds(20);
    const windowMs = 450;
    const connect = (shard: number) => {
      const client = createDiscordClient({
        apiUrl: sim!.apiUrl,
        shards: { shardCount: 2, shardIds: [shard] },
        async buildIdentifyThrottler(manager) {
          const info = await manager.fetchGatewayInformation();
          return new RedisIdentifyThrottler({ redis, maxConcurrency: info.session_start_limit.max_concurrency, windowMs, key: (k) => `${prefix}:pair:identify:${k}` });
        },
      });
      clients.push(client);
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      return client.login(sim!.token).then(() => ready).then(() => client);
    };
    const [a, b] = await Promise.all([connect(0), connect(1)]);
    const stats = sim.gatewayStats();
    expect(stats.identifyLog.map((i) => i.outcome)).toEqual(['ready', 'ready']);
    expect(stats.identifyRateLimitViolations).toBe(0);
    const [first, second] = stats.identifyLog.map((i) => i.at.getTime());
    expect(second! - first!).toBeGreaterThanOrEqual(400);
    // Each process received exactly the guilds of its shard.
    expect([...a.guilds.cache.keys()].sort()).toEqual(guilds.filter((g) => shardOf(g.id, 2) === 0).map((g) => g.id).sort());
    expect([...b.guilds.cache.keys()].sort()).toEqual(guilds.filter((g) => shardOf(g.id, 2) === 1).map((g) => g.id).sort());
    expect(a.guilds.cache.size).toBeGreaterThan(0);
    expect(b.guilds.cache.size).toBeGreaterThan(0);
  });
});
