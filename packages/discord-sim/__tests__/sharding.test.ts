import { Client, Events, GatewayIntentBits, type Interaction } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { shardOf, startDiscordSim, type DiscordSim, type DiscordSimOptions } from '../src/index.ts';
import { closeAll, identifyRaw, type IdentifyOutcome } from './gatewaySocket.ts';

/** Sims and clients of the running test, torn down after it. */
let sims: DiscordSim[] = [];
let clients: Client[] = [];
let raws: IdentifyOutcome[] = [];
const uncaught: Error[] = [];
const onUncaught = (e: Error) => uncaught.push(e);

afterEach(async () => {
  closeAll(raws);
  await Promise.all(clients.map((c) => c.destroy()));
  await Promise.all(sims.map((s) => s.close()));
  process.off('uncaughtException', onUncaught);
  sims = [];
  clients = [];
  raws = [];
  expect(uncaught.splice(0)).toEqual([]);
});

async function sim(options: DiscordSimOptions = {}): Promise<DiscordSim> {
  process.on('uncaughtException', onUncaught);
  const s = await startDiscordSim(options);
  sims.push(s);
  return s;
}

function client(s: DiscordSim, shards?: { shards: number[]; shardCount: number }): Client {
  const c = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: s.apiUrl }, ...(shards ?? {}) });
  clients.push(c);
  return c;
}

async function login(c: Client, token: string): Promise<void> {
  const ready = new Promise<void>((resolve) => c.once(Events.ClientReady, () => resolve()));
  await c.login(token);
  await ready;
}

async function raw(s: DiscordSim, d: Record<string, unknown>, expectGuilds = 0): Promise<IdentifyOutcome> {
  const o = await identifyRaw(s, d, expectGuilds);
  raws.push(o);
  return o;
}

/** Dispatches a session has been sent so far (its last sequence number). */
const seqOf = (s: DiscordSim, sessionId: string) => s.gatewayStats().sessions.find((x) => x.id === sessionId)?.lastSequence;

describe('sharding with real discord.js clients', () => {
  it('two clients holding shards 0 and 1 of 2 each see exactly their guilds; an interaction reaches only its owner', async () => {
    const s = await sim({ sharding: { maxConcurrency: 2 } });
    const guilds = s.addGuilds(200);
    const want = [0, 1].map((shard) => guilds.filter((g) => shardOf(g.id, 2) === shard).map((g) => g.id).sort());
    expect(want[0]?.length).toBeGreaterThan(0);
    expect(want[1]?.length).toBeGreaterThan(0);

    const [a, b] = [client(s, { shards: [0], shardCount: 2 }), client(s, { shards: [1], shardCount: 2 })] as [Client, Client];
    await Promise.all([login(a, s.token), login(b, s.token)]);
    expect([...a.guilds.cache.keys()].sort()).toEqual(want[0]);
    expect([...b.guilds.cache.keys()].sort()).toEqual(want[1]);

    const stats = s.gatewayStats();
    expect(stats.identifyLog.map((r) => [r.shard, r.rateLimitKey, r.outcome]).sort()).toEqual([
      [[0, 2], 0, 'ready'],
      [[1, 2], 1, 'ready'],
    ]);
    expect(stats.identifyRateLimitViolations).toBe(0);

    await a.application?.commands.create({ name: 'ping', description: 'Ping' });
    const seen: Record<string, string[]> = { a: [], b: [] };
    for (const [name, c] of [['a', a], ['b', b]] as const) {
      c.on(Events.InteractionCreate, (i: Interaction) => {
        seen[name]?.push(i.guildId as string);
        if (i.isChatInputCommand()) void i.reply(`pong from ${name}`);
      });
    }
    const sessionOf = (shard: number) => stats.identifyLog.find((r) => r.shard?.[0] === shard)?.sessionId as string;
    const [sa, sb] = [sessionOf(0), sessionOf(1)];
    const g0 = want[0]?.[0] as string;
    const g1 = want[1]?.[0] as string;
    // The sim dispatches synchronously inside invoke, so sequence numbers show exactly who was sent it.
    let [qa, qb] = [seqOf(s, sa) ?? 0, seqOf(s, sb) ?? 0];
    const rec0 = await s.invoke(g0, '900000000000000001', '/ping');
    expect([seqOf(s, sa), seqOf(s, sb)]).toEqual([qa + 1, qb]);
    expect((await s.waitForInteractionResponse(rec0)).data).toMatchObject({ content: 'pong from a' });
    [qa, qb] = [seqOf(s, sa) ?? 0, seqOf(s, sb) ?? 0];
    const rec1 = await s.invoke(g1, '900000000000000001', '/ping');
    expect([seqOf(s, sa), seqOf(s, sb)]).toEqual([qa, qb + 1]);
    expect((await s.waitForInteractionResponse(rec1)).data).toMatchObject({ content: 'pong from b' });
    expect(seen).toEqual({ a: [g0], b: [g1] });
  });

  it('an unsharded login against 2,501 guilds fails with 4011 Sharding required; /gateway/bot recommends 3 shards', async () => {
    const s = await sim();
    s.addGuilds(2501);
    const gw = (await (await fetch(`${s.apiUrl}/v10/gateway/bot`, { headers: { authorization: `Bot ${s.token}` } })).json()) as { shards: number };
    expect(gw.shards).toBe(3);
    const c = client(s);
    const shardErrors: string[] = [];
    c.on(Events.ShardError, (e: Error) => shardErrors.push(e.message));
    await expect(c.login(s.token)).rejects.toThrow(/Sharding is required/);
    expect(shardErrors).toEqual(['Sharding is required']);
    expect(s.gatewayStats().closes.map((x) => x.code)).toEqual([4011]);
    expect(s.gatewayStats().identifyLog.map((r) => r.outcome)).toEqual(['sharding_required']);
    expect(s.gatewayStats().sessions).toEqual([]);
  });

  it('a shard id outside num_shards fails with 4010 Invalid shard', async () => {
    const s = await sim();
    s.addGuilds(3);
    const c = client(s, { shards: [2], shardCount: 2 });
    await expect(c.login(s.token)).rejects.toThrow(/Invalid shard/);
    expect(s.gatewayStats().closes.map((x) => [x.code, x.reason])).toEqual([[4010, 'Invalid shard.']]);
    expect(s.gatewayStats().identifyLog[0]).toMatchObject({ shard: [2, 2], outcome: 'invalid_shard', sessionId: null });
  });

  it('one client running both shards with max_concurrency 1 waits the 5 s identify window between them', async () => {
    const s = await sim();
    const guilds = s.addGuilds(10);
    const c = client(s, { shards: [0, 1], shardCount: 2 });
    await login(c, s.token);
    expect(c.guilds.cache.size).toBe(guilds.length);
    const log = s.gatewayStats().identifyLog;
    expect(log.map((r) => [r.shard, r.rateLimitKey, r.outcome, r.tooFast])).toEqual([
      [[0, 2], 0, 'ready', false],
      [[1, 2], 0, 'ready', false],
    ]);
    expect((log[1]?.at.getTime() ?? 0) - (log[0]?.at.getTime() ?? 0)).toBeGreaterThanOrEqual(4900);
    expect(s.gatewayStats().identifyRateLimitViolations).toBe(0);
  }, 20_000);
});

describe('sharding on the wire', () => {
  it('GET /gateway/bot: recommended shards from guildsPerShard, max_concurrency, and remaining falling with each IDENTIFY', async () => {
    const s = await sim({ sharding: { guildsPerShard: 50, maxConcurrency: 4, sessionStartLimit: 20 } });
    s.addGuilds(120);
    const gatewayBot = async () =>
      (await (await fetch(`${s.apiUrl}/v10/gateway/bot`, { headers: { authorization: `Bot ${s.token}` } })).json()) as {
        url: string;
        shards: number;
        session_start_limit: { total: number; remaining: number; reset_after: number; max_concurrency: number };
      };
    const before = await gatewayBot();
    expect(before.url).toBe(s.gatewayUrl);
    expect(before.shards).toBe(3);
    expect(before.session_start_limit).toMatchObject({ total: 20, remaining: 20, max_concurrency: 4 });
    expect(before.session_start_limit.reset_after).toBeGreaterThan(86_000_000);
    expect(before.session_start_limit.reset_after).toBeLessThanOrEqual(86_400_000);
    await raw(s, { shard: [0, 3] });
    expect((await gatewayBot()).session_start_limit.remaining).toBe(19);
    await raw(s, { shard: [1, 3] });
    expect((await gatewayBot()).session_start_limit.remaining).toBe(18);
    expect(s.gatewayStats().sessionStartLimit.remaining).toBe(18);
  });

  it('READY lists and GUILD_CREATE sends only the shard\'s guilds; DMs and malformed shards', async () => {
    const s = await sim({ sharding: { maxConcurrency: 3 } });
    const guilds = s.addGuilds(30);
    const mine = guilds.filter((g) => shardOf(g.id, 3) === 1).map((g) => g.id);
    const o = await raw(s, { shard: [1, 3] }, mine.length);
    expect((o.ready?.guilds as { id: string }[]).map((g) => g.id).sort()).toEqual([...mine].sort());
    expect(o.ready?.shard).toEqual([1, 3]);
    expect(o.guildCreates.sort()).toEqual([...mine].sort());
    for (const bad of [[3, 3], [0, 0], [-1, 2], [0], ['0', 2], [0.5, 2], 'x']) {
      const r = await raw(s, { shard: bad });
      expect(r.closeCode, JSON.stringify(bad)).toBe(4010);
    }
  });

  it('a shard holding more than maxGuildsPerShard guilds is closed with 4011; a finer split is accepted', async () => {
    const s = await sim({ sharding: { maxGuildsPerShard: 40, maxConcurrency: 2 } });
    s.addGuilds(60);
    expect((await raw(s, { shard: [0, 1] })).closeCode).toBe(4011);
    const half = await raw(s, { shard: [0, 2] }, 30);
    expect(half.closeCode).toBeNull();
    expect(half.guildCreates).toHaveLength(30);
  });

  it('an IDENTIFY too soon for its rate-limit key is recorded; enforced, it gets op 9 Invalid Session and no session', async () => {
    const lenient = await sim({ sharding: { maxConcurrency: 2 } });
    await raw(lenient, { shard: [0, 4] });
    await raw(lenient, { shard: [1, 4] });
    const late = await raw(lenient, { shard: [2, 4] });
    expect(late.ready).not.toBeNull();
    expect(lenient.gatewayStats().identifyLog.map((r) => [r.rateLimitKey, r.tooFast])).toEqual([
      [0, false],
      [1, false],
      [0, true],
    ]);
    expect(lenient.gatewayStats().identifyRateLimitViolations).toBe(1);

    const strict = await sim({ sharding: { enforceIdentifyRateLimit: true } });
    await raw(strict, { shard: [0, 2] });
    const refused = await raw(strict, { shard: [1, 2] });
    expect(refused.invalidSession).toBe(true);
    expect(refused.ready).toBeNull();
    expect(strict.gatewayStats().identifyLog.map((r) => r.outcome)).toEqual(['ready', 'invalid_session']);
    expect(strict.gatewayStats().sessions.map((x) => x.shard)).toEqual([[0, 2]]);
  });

  it('two sessions on the same shard: the newest IDENTIFY gets the guild\'s events and interactions, the older none', async () => {
    const s = await sim();
    const g = s.addGuild({ name: 'G', channels: [{ name: 'general' }] });
    const older = await raw(s, { shard: [0, 1] }, 1);
    const newer = await raw(s, { shard: [0, 1] }, 1);
    const [olderId, newerId] = [older.ready?.session_id as string, newer.ready?.session_id as string];
    const [o0, n0] = [seqOf(s, olderId), seqOf(s, newerId)];
    await s.clickButton({ id: '910000000000000001', channelId: g.channels[0]?.id as string }, 'btn', '910000000000000002');
    s.addChannel(g.id, { name: 'news' });
    expect(seqOf(s, olderId)).toBe(o0);
    // GUILD_MEMBER_ADD needs an intent these sessions lack; INTERACTION_CREATE and CHANNEL_CREATE do not.
    expect(seqOf(s, newerId)).toBe((n0 ?? 0) + 2);
  });

  it('invoking in a guild whose shard no session holds names the problem', async () => {
    const s = await sim({ sharding: { maxConcurrency: 2 } });
    const [g0, g1] = s.addGuilds(2);
    const onZero = [g0, g1].find((g) => shardOf(g?.id as string, 2) === 0);
    const onOne = [g0, g1].find((g) => shardOf(g?.id as string, 2) === 1);
    await raw(s, { shard: [0, 2] }, 1);
    expect(onZero && onOne).toBeTruthy();
    await expect(s.clickButton({ id: '920000000000000001', channelId: onOne?.channels[0]?.id as string }, 'b', '920000000000000002')).rejects.toThrow(/No gateway session holds the shard/);
    await expect(s.clickButton({ id: '920000000000000001', channelId: onZero?.channels[0]?.id as string }, 'b', '920000000000000002')).resolves.toMatchObject({ guildId: onZero?.id });
  });

  it('addGuilds spreads ids evenly over shards with real snowflake timestamps', async () => {
    const s = await sim();
    const ids = s.addGuilds(100).map((g) => g.id);
    expect(new Set(ids).size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^\d{17,19}$/);
    for (const count of [2, 3, 4]) {
      const perShard = Array.from({ length: count }, (_, shard) => ids.filter((id) => shardOf(id, count) === shard).length);
      expect(Math.max(...perShard) - Math.min(...perShard), `over ${count} shards: ${perShard.join('/')}`).toBeLessThanOrEqual(1);
    }
    expect(s.getGuild(ids[0] as string)?.channels.map((c) => c.name)).toEqual(['general']);
  });

  it('a used-up session-start budget closes IDENTIFY with 4004', async () => {
    const s = await sim({ sharding: { sessionStartLimit: 1 } });
    await raw(s, {});
    expect((await raw(s, {})).closeCode).toBe(4004);
    expect(s.gatewayStats().identifyLog.map((r) => r.outcome)).toEqual(['ready', 'session_limit']);
  });
});
