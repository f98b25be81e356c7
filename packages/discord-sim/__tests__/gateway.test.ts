import { ChannelType, type Guild, type TextChannel } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
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
