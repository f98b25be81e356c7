import { startDiscordSim, type DiscordSim } from '@kickcord/discord-sim';
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announcementHandler } from '../src/features/announcements/announcementHandler.ts';
import { startServiceStack, type ServiceStack } from './helpers/serviceStack.ts';

let stack: ServiceStack;
let discord: DiscordSim;
let channelId: string;

beforeAll(async () => {
  [stack, discord] = await Promise.all([startServiceStack({ handlers: [announcementHandler] }), startDiscordSim()]);
  const guild = discord.addGuild({ id: stack.guildId, name: 'Announce Guild', channels: [{ name: 'live-alerts' }] });
  const channel = guild.channels[0];
  if (!channel) throw new Error('discord-sim created no channel');
  channelId = channel.id;
  Object.assign(stack.ctx, { discordRest: new REST({ api: discord.apiUrl, retries: 0 }).setToken(discord.token) });
  await stack.db.prisma.announcementSetting.create({ data: { guildId: stack.guildId, event: 'live', discordChannelId: channelId } });
});
afterAll(async () => {
  await stack?.close();
  await discord?.close();
});

describe('go-live announcements', () => {
  it('posts once when Kick re-sends the same go-live under new message ids, and again for a new stream start', async () => {
    const first = await stack.sim.emit(
      'livestream.status.updated',
      { is_live: true, title: 'Morning stream', started_at: '2030-01-01T08:00:00Z', ended_at: null },
      { broadcasterUserId: stack.streamer.userId, resend: 2 },
    );
    expect(new Set(first.map((d) => d.messageId)).size).toBe(3);
    // A late re-send written with milliseconds is the same stream start.
    await stack.sim.emit('livestream.status.updated', { is_live: true, title: 'Morning stream', started_at: '2030-01-01T08:00:00.000Z', ended_at: null }, { broadcasterUserId: stack.streamer.userId });
    expect(stack.failures).toEqual([]);
    expect(discord.messages(channelId).filter((m) => m.content.includes(stack.streamer.username))).toHaveLength(1);
    expect(await stack.db.prisma.postedAnnouncement.count({ where: { guildId: stack.guildId, event: 'live' } })).toBe(1);

    await stack.sim.emit('livestream.status.updated', { is_live: true, title: 'Evening stream', started_at: '2030-01-01T18:00:00Z', ended_at: null }, { broadcasterUserId: stack.streamer.userId });
    expect(stack.failures).toEqual([]);
    expect(discord.messages(channelId).filter((m) => m.content.includes(stack.streamer.username))).toHaveLength(2);
  });
});
