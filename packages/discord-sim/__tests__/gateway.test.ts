import { ChannelType, GatewayIntentBits, type Guild, type Message, type TextChannel } from 'discord.js';
import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startDiscordSim } from '../src/index.ts';
import { nextEvent, startHarness, type Harness } from './clientHarness.ts';

describe('gateway with a real discord.js client', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    expect(h?.uncaught ?? []).toEqual([]);
    await h?.stop();
    h = undefined;
  });

  it('READY lists existing guilds, which become available with channels, roles and members', async () => {
    const available: string[] = [];
    h = await startHarness(
      (sim) => {
      sim.addGuild({
        id: '111111111111111111',
        name: 'Streamers',
        channels: [{ id: '222222222222222222', name: 'general' }, { name: 'voice', type: ChannelType.GuildVoice }],
        roles: [{ id: '333333333333333333', name: 'Live' }],
        members: [{ id: '444444444444444444', username: 'alice', roles: ['333333333333333333'] }],
      });
      },
      {},
      undefined,
      (client) => client.on('guildAvailable', (g: Guild) => available.push(g.id)),
    );
    expect(available).toEqual(['111111111111111111']);
    const guild = h.client.guilds.cache.get('111111111111111111');
    expect(guild?.name).toBe('Streamers');
    expect(guild?.channels.cache.get('222222222222222222')?.name).toBe('general');
    expect(guild?.roles.cache.find((r) => r.name === 'Live')?.id).toBe('333333333333333333');
    expect(guild?.members.cache.get('444444444444444444')?.roles.cache.has('333333333333333333')).toBe(true);
    expect(guild?.members.me?.id).toBe(h.sim.botUserId);
    expect(guild?.memberCount).toBe(2);
    expect(h.client.user?.id).toBe(h.sim.botUserId);
    expect(h.client.application?.id).toBe(h.sim.applicationId);
    await h.sim.waitForReady();
  });

  it('emits guildCreate for a guild added after ready and guildDelete when removed', async () => {
    h = await startHarness();
    const created = nextEvent<Guild>(h.client, 'guildCreate');
    const g = h.sim.addGuild({ name: 'Later', channels: [{ name: 'news' }] });
    expect((await created).id).toBe(g.id);
    expect(h.client.guilds.cache.get(g.id)?.channels.cache.first()?.name).toBe('news');
    const deleted = nextEvent<Guild>(h.client, 'guildDelete');
    h.sim.removeGuild(g.id);
    expect((await deleted).id).toBe(g.id);
    expect(h.client.guilds.cache.has(g.id)).toBe(false);
  });

  it('channel.send lands in the sim with embeds and allowed mentions', async () => {
    h = await startHarness((sim) => sim.addGuild({ name: 'G', channels: [{ id: '555555555555555555', name: 'general' }] }));
    const channel = h.client.channels.cache.get('555555555555555555') as TextChannel;
    const sent = await channel.send({ content: 'hello <@&1>', embeds: [{ title: 'Live!', description: 'Now streaming', color: 0x53fc18 }], allowedMentions: { parse: [] } });
    const m = await h.sim.waitForMessage('555555555555555555');
    expect(m.id).toBe(sent.id);
    expect(m.content).toBe('hello <@&1>');
    expect(m.embeds).toEqual([{ type: 'rich', title: 'Live!', description: 'Now streaming', color: 0x53fc18 }]);
    expect(m.allowedMentions).toEqual({ parse: [] });
    expect(sent.author.id).toBe(h.sim.botUserId);
    expect(sent.embeds[0]?.title).toBe('Live!');
    expect(h.sim.restCalls.some((c) => c.method === 'POST' && c.path === '/channels/555555555555555555/messages')).toBe(true);
  });
});

describe('gateway session handling', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    expect(h?.uncaught ?? []).toEqual([]);
    await h?.stop();
    h = undefined;
  });

  it('after disconnectClient the client RESUMEs and missed events are replayed', async () => {
    h = await startHarness((sim) => sim.addGuild({ name: 'First', channels: [{ name: 'general' }] }));
    const resumed = nextEvent<number>(h.client, 'shardResume');
    h.sim.disconnectClient();
    // sent while the socket is down: must arrive through the RESUME replay
    const created = nextEvent<Guild>(h.client, 'guildCreate');
    const g = h.sim.addGuild({ name: 'Missed', channels: [{ name: 'news' }] });
    await resumed;
    expect((await created).id).toBe(g.id);
    expect(h.sim.gatewayStats()).toMatchObject({ identifies: 1, resumes: 1, connected: 1 });
  });

  it('sends MESSAGE_CREATE only to clients with the GuildMessages intent', async () => {
    h = await startHarness((sim) => sim.addGuild({ name: 'G', channels: [{ id: '560000000000000001', name: 'general' }] }), {}, [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
    ]);
    const created = nextEvent<Message>(h.client, 'messageCreate');
    const sent = await (h.client.channels.cache.get('560000000000000001') as TextChannel).send('echo');
    expect((await created).id).toBe(sent.id);
  });

  it('closes with 4004 on a bad IDENTIFY token and answers op 8 with a member chunk', async () => {
    const sim = await startDiscordSim({ heartbeatIntervalMs: 45_000 });
    try {
      const g = sim.addGuild({ name: 'G', members: [{ id: '570000000000000001', username: 'alice' }, { id: '570000000000000002', username: 'bob' }] });
      const bad = new WebSocket(`${sim.gatewayUrl}?v=10&encoding=json`);
      const code = await new Promise<number>((resolve) => {
        bad.on('message', (raw) => {
          const p = JSON.parse(raw.toString()) as { op: number; d: { heartbeat_interval?: number } };
          if (p.op === 10) {
            expect(p.d.heartbeat_interval).toBe(45_000);
            bad.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: {} } }));
          }
        });
        bad.on('close', (c) => resolve(c));
      });
      expect(code).toBe(4004);

      const good = new WebSocket(`${sim.gatewayUrl}?v=10&encoding=json`);
      const events: { op: number; t: string | null; s: number | null; d: Record<string, unknown> }[] = [];
      await new Promise<void>((resolve) => {
        good.on('message', (raw) => {
          const p = JSON.parse(raw.toString()) as (typeof events)[number];
          events.push(p);
          if (p.op === 10) good.send(JSON.stringify({ op: 2, d: { token: sim.token, intents: 3, properties: {} } }));
          if (p.t === 'GUILD_CREATE') {
            good.send(JSON.stringify({ op: 1, d: p.s }));
            good.send(JSON.stringify({ op: 8, d: { guild_id: g.id, query: 'al', limit: 0, nonce: 'n1' } }));
          }
          if (p.t === 'GUILD_MEMBERS_CHUNK') resolve();
        });
      });
      good.close(1000);
      expect(events.map((e) => e.t ?? `op${e.op}`)).toEqual(['op10', 'READY', 'GUILD_CREATE', 'op11', 'GUILD_MEMBERS_CHUNK']);
      expect(events.filter((e) => e.op === 0).map((e) => e.s)).toEqual([1, 2, 3]);
      const chunk = events[4]?.d as { members: { user: { username: string } }[]; nonce: string };
      expect(chunk.members.map((m) => m.user.username)).toEqual(['alice']);
      expect(chunk.nonce).toBe('n1');
    } finally {
      await sim.close();
    }
  });
});
