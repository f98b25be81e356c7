import { processKickEvent, kickEventHandlers, purgeInactiveGuilds } from '@kickcord/bot';
import { waitFor } from '@kickcord/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGE_GUILD } from '@kickcord/testkit';
import { startTestStack, type TestStack } from './helpers/harness.ts';

let stack: TestStack;
let roleId: string;

beforeAll(async () => {
  stack = await startTestStack();
  roleId = stack.discord.addRole(stack.guild.id, { name: 'Live Alerts' }).id;
}, 90_000);
afterAll(async () => stack?.close());

const announcements = () => stack.discord.messages(stack.guild.announcementsChannelId).filter((m) => !m.interactionId);
const embedsOf = (m: { embeds: unknown[] }) => m.embeds as { title?: string; url?: string; author?: { name?: string }; fields?: { name: string; value: string }[] }[];

describe('announcements, end to end (kick-sim → web → BullMQ → bot → discord-sim)', () => {
  it('posts a go-live embed with a role ping restricted to that role', async () => {
    const reply = await stack.run(`/announce set live #announcements @"Live Alerts" "🔴 {streamer} is live: {title}"`);
    expect(reply).toContain('announcements will be posted in');
    await stack.kick.goLive(stack.streamer.userId, { title: 'Slots with chat', category: 'Slots & Casino' });
    const message = await stack.discord.waitForMessage(stack.guild.announcementsChannelId, (m) => m.content.includes('Slots with chat'), 15_000);
    expect(message.content).toBe(`<@&${roleId}> 🔴 ${stack.streamer.username} is live: Slots with chat`);
    expect(message.allowedMentions).toEqual({ roles: [roleId] });
    const [embed] = embedsOf(message);
    expect(embed?.title).toBe('Slots with chat');
    expect(embed?.url).toBe(`https://kick.com/${stack.streamer.username.toLowerCase()}`);
  });

  it('announces follows, subs, resubs, gifts (anonymous too), kicks, redemptions and bans with their templates', async () => {
    for (const event of ['follow', 'sub', 'renewal', 'gift', 'kicks', 'redemption']) await stack.run(`/announce set ${event} #announcements`);
    await stack.run('/announce set ban #mod-log');
    const fan = stack.createViewer('fan_one');
    const gifter = stack.createViewer('generous');
    const b = stack.streamer.userId;
    await stack.kick.follow(b, fan.userId);
    await stack.kick.subscribe(b, fan.userId, 1);
    await stack.kick.subscribe(b, fan.userId, 7);
    await stack.kick.giftSubs(b, gifter.userId, [fan.userId, stack.createViewer('lucky2').userId]);
    await stack.kick.giftSubs(b, null, [stack.createViewer('lucky3').userId]);
    await stack.kick.giftKicks(b, gifter.userId, 500, { message: 'gg' });
    await stack.kick.ban(b, stack.createViewer('troll').userId, { reason: 'spam', durationMinutes: 10 });
    const expected = [
      `💚 fan_one just followed ${stack.streamer.username}!`,
      `🎉 fan_one subscribed to ${stack.streamer.username}!`,
      `🎉 fan_one has been subscribed to ${stack.streamer.username} for 7 months!`,
      `🎁 generous gifted 2 subs`,
      `🎁 An anonymous gifter gifted 1 subs`,
      `💎 generous sent 500 Kicks to ${stack.streamer.username}! gg`,
    ];
    for (const text of expected) await stack.discord.waitForMessage(stack.guild.announcementsChannelId, (m) => m.content.includes(text), 15_000);
    const ban = await stack.discord.waitForMessage(stack.guild.modLogChannelId, (m) => m.content.includes('troll'), 15_000);
    expect(ban.content).toMatch(/banned troll \(timeout 10m\): spam/);
  });

  it('posts once for duplicate deliveries of the same Kick message', async () => {
    const before = announcements().length;
    const fan = stack.createViewer('dupe_fan');
    await stack.kick.follow(stack.streamer.userId, fan.userId, { duplicate: 3 });
    await stack.discord.waitForMessage(stack.guild.announcementsChannelId, (m) => m.content.includes('dupe_fan'), 15_000);
    await stack.drain();
    expect(announcements().length).toBe(before + 1);
    expect(announcements().filter((m) => m.content.includes('dupe_fan'))).toHaveLength(1);
  });

  it('a job retried after a crash between posting and recording posts once (Discord nonce)', async () => {
    const fan = stack.createViewer('crash_fan');
    const [delivery] = await stack.kick.follow(stack.streamer.userId, fan.userId);
    if (!delivery) throw new Error('kick-sim delivered no channel.followed event');
    await stack.discord.waitForMessage(stack.guild.announcementsChannelId, (m) => m.content.includes('crash_fan'), 15_000);
    await stack.drain();
    // Simulate the crash window: the message was sent but the worker died before recording it.
    await stack.bot.ctx.prisma.postedAnnouncement.updateMany({ where: { kickMessageId: delivery.messageId }, data: { postedAt: null, discordMessageId: null } });
    const data = {
      messageId: delivery.messageId,
      subscriptionId: delivery.subscriptionId,
      eventType: 'channel.followed',
      eventVersion: '1',
      messageTimestamp: delivery.timestamp,
      receivedAt: new Date().toISOString(),
      broadcasterUserId: stack.streamer.userId,
      payload: delivery.payload,
    };
    await processKickEvent(stack.bot.ctx, kickEventHandlers, data);
    expect(announcements().filter((m) => m.content.includes('crash_fan'))).toHaveLength(1);
    const row = await stack.bot.ctx.prisma.postedAnnouncement.findFirst({ where: { kickMessageId: delivery.messageId } });
    expect(row?.postedAt).not.toBeNull();
  });

  it('marks a setting broken when its channel is deleted, shows it in /kick status, and does not retry forever', async () => {
    const temp = stack.discord.addChannel(stack.guild.id, { name: 'temp-alerts' });
    await stack.run(`/announce set follow #temp-alerts`);
    stack.discord.deleteChannel(stack.guild.id, temp.id);
    await stack.kick.follow(stack.streamer.userId, stack.createViewer('lost_fan').userId);
    await waitFor(() => stack.bot.ctx.prisma.announcementSetting.findFirst({ where: { guildId: stack.guild.id, event: 'follow', brokenReason: { not: null } } }), {
      timeoutMs: 15_000,
      description: 'the follow setting to be marked broken',
    });
    await stack.drain();
    const status = await stack.run('/kick status');
    expect(status).toContain('Announcements that cannot post');
    expect(status).toContain('follow');
    await stack.run('/announce set follow #announcements');
  });

  it('/announce test posts a sample and /announce list shows settings', async () => {
    await stack.run('/announce test sub');
    await stack.discord.waitForMessage(stack.guild.announcementsChannelId, (m) => m.content.startsWith('🧪 Test'), 10_000);
    const list = await stack.run('/announce list');
    expect(list).toContain('Go live');
    expect(list).toContain(`<#${stack.guild.announcementsChannelId}>`);
    const off = await stack.run('/announce off kicks');
    expect(off).toContain('off');
  });

  it('/announce test never pings the real role and its go-live sample fills the category (no empty "()")', async () => {
    await stack.run('/announce set live #announcements @"Live Alerts"');
    await stack.run('/announce test live');
    const sample = await stack.discord.waitForMessage(stack.guild.announcementsChannelId, (m) => m.content.startsWith('🧪 Test') && m.content.includes('is live'), 10_000);
    expect(sample.allowedMentions).toEqual({ parse: [] });
    expect(sample.content).toContain(`(the real one pings <@&${roleId}>)`);
    expect(sample.content).toContain('(Just Chatting)');
    expect(sample.content).not.toContain('()');
    await stack.run(`/announce set live #announcements @"Live Alerts" "🔴 {streamer} is live: {title}"`);
  });

  it('rejects a template with an unknown variable at /announce set time', async () => {
    const reply = await stack.run('/announce set live #announcements template:"{streamer} is live {titel}"');
    expect(reply).toMatch(/Unknown variable \{titel\}/);
  });
});

describe('slash commands: permissions, isolation, /kick', () => {
  it('refuses moderator commands to members, server-side', async () => {
    const reply = await stack.run('/announce list', { as: 'member' });
    expect(reply).toContain('for moderators');
    const kick = await stack.run('/kick status', { as: 'member' });
    expect(kick).toContain('Manage Server');
  });

  it('keeps guilds apart: guild B sees and changes only its own settings', async () => {
    const other = stack.discord.addGuild({ name: 'Other Server', channels: [{ name: 'alerts' }], members: [{ id: '300000000000000001', username: 'modB' }] });
    await waitFor(() => stack.bot.ctx.prisma.guild.findUnique({ where: { id: other.id } }), { description: 'guild B tenant' });
    const asB = { guildId: other.id, userId: '300000000000000001' };
    const listB = await stack.run('/announce list', asB);
    expect(listB).not.toContain(stack.guild.announcementsChannelId);
    await stack.run('/announce off live', asB);
    const a = await stack.bot.ctx.prisma.announcementSetting.findUnique({ where: { guildId_event: { guildId: stack.guild.id, event: 'live' } } });
    expect(a?.enabled).toBe(true);
    const statusB = await stack.run('/kick status', asB);
    expect(statusB).toContain('No Kick channel connected');
    expect(statusB).not.toContain(stack.streamer.username.toLowerCase());
  });

  it('/kick status shows the connection and each subscription with its last delivery', async () => {
    const status = await stack.run('/kick status');
    expect(status).toContain(`${stack.streamer.username.toLowerCase()}** connected`);
    expect(status).toContain('`channel.followed` — last delivery');
    expect(status).not.toMatch(/channel\.followed` — last delivery never/);
  });

  it('/kick watch subscribes to another channel with the app token, /kick unwatch removes it', async () => {
    const other = stack.kick.createUser({ username: 'otherstreamer' });
    const watch = await stack.run('/kick watch otherstreamer');
    expect(watch).toContain('Watching **otherstreamer**');
    const subs = stack.kick.subscriptions({ broadcasterUserId: other.userId });
    expect(subs.map((s) => s.event).sort()).toEqual(
      ['channel.followed', 'channel.subscription.gifts', 'channel.subscription.new', 'channel.subscription.renewal', 'kicks.gifted', 'livestream.metadata.updated', 'livestream.status.updated'].sort(),
    );
    expect(await stack.run('/kick watch otherstreamer')).toContain('already watches');
    expect(await stack.run('/kick watch no_such_channel_zz')).toContain('No Kick channel named');
    expect(await stack.run('/kick unwatch otherstreamer')).toContain('Stopped watching');
    expect(stack.kick.subscriptions({ broadcasterUserId: other.userId })).toHaveLength(0);
  });

  it('/kick connect gives a one-time link to the web connect flow', async () => {
    const reply = await stack.run('/kick connect');
    expect(reply).toContain(`${stack.web.url}/connect/kick?t=`);
  });

  it('marks a guild inactive when the bot is removed, keeping its data', async () => {
    const g = stack.discord.addGuild({ name: 'Leaving Server', channels: [{ name: 'x' }] });
    await waitFor(() => stack.bot.ctx.prisma.guild.findUnique({ where: { id: g.id } }), { description: 'tenant created on join' });
    stack.discord.removeGuild(g.id);
    const row = await waitFor(async () => {
      const r = await stack.bot.ctx.prisma.guild.findUnique({ where: { id: g.id } });
      return r && !r.active ? r : null;
    }, { description: 'tenant marked inactive' });
    expect(row.leftAt).not.toBeNull();
    // Kept for a re-invite, then purged after the documented period.
    expect(await purgeInactiveGuilds(stack.bot.ctx, 30)).not.toContain(g.id);
    const later = { ...stack.bot.ctx, now: () => new Date(Date.now() + 31 * 86_400_000) };
    expect(await purgeInactiveGuilds(later, 30)).toContain(g.id);
    expect(await stack.bot.ctx.prisma.guild.findUnique({ where: { id: g.id } })).toBeNull();
    expect(await stack.bot.ctx.prisma.guild.findUnique({ where: { id: stack.guild.id } })).not.toBeNull();
  });
});
void MANAGE_GUILD;
