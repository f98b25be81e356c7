/**
 * Chat filters at the service level: kick-sim chat → the bot's real chat dispatch, real PostgreSQL and Redis,
 * kick-sim's moderation endpoints (chat delete, bans) and discord-sim for the mod log.
 */
import { prepareBannedTerm } from '@kickcord/core';
import { startDiscordSim, type DiscordSim } from '@kickcord/discord-sim';
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kickEventHandlersOf } from '../src/features/assemble.ts';
import { chatFiltersFeature } from '../src/features/chatFilters/index.ts';
import { cachedChatFilters, updateFilterConfig, forgetFilterRules } from '../src/features/chatFilters/filterRules.ts';
import { markFalsePositive } from '../src/features/moderation/falsePositives.ts';
import { parseModLogButtonId } from '../src/features/moderation/modLog.ts';
import { takeModerationAction } from '../src/features/moderation/moderationActions.ts';
import { loyaltyFeature } from '../src/features/loyalty/index.ts';
import { watchtimeFeature } from '../src/features/watchtime/index.ts';
import { startServiceStack, type ServiceStack } from './helpers/serviceStack.ts';

const ALL_SCOPES = ['user:read', 'channel:read', 'chat:write', 'events:subscribe', 'moderation:ban', 'moderation:chat_message:manage', 'kicks:read'];
let stack: ServiceStack;
let discord: DiscordSim;

beforeAll(async () => {
  [stack, discord] = await Promise.all([startServiceStack({ handlers: kickEventHandlersOf([chatFiltersFeature, loyaltyFeature, watchtimeFeature]) }), startDiscordSim()]);
  Object.assign(stack.ctx, { discordRest: new REST({ api: discord.apiUrl, retries: 0 }).setToken(discord.token) });
}, 60_000);
afterAll(async () => {
  await stack?.close();
  await discord?.close();
});

interface Channel {
  guildId: string;
  streamer: { userId: number; username: string };
  modLogChannelId: string;
}

/** A guild owning a Kick channel (connected with `scopes`), its Discord server with a #mod-log, and filters on. */
async function newChannel(name: string, scopes: string[]): Promise<Channel> {
  const { guildId, streamer } = await stack.addOwnerGuild(name);
  const tokens = stack.sim.issueUserToken({ clientId: stack.ctx.env.KICK_CLIENT_ID, userId: streamer.userId, scopes });
  await stack.ctx.connections.save({
    guildId,
    broadcasterUserId: streamer.userId,
    kickUsername: streamer.username,
    connectedByDiscordId: '200000000000000001',
    tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, tokenType: 'Bearer', scopes, expiresAt: new Date(Date.now() + tokens.expiresIn * 1000) },
  });
  const server = discord.addGuild({ id: guildId, name, channels: [{ name: 'mod-log' }] });
  const modLogChannelId = server.channels[0]!.id;
  await stack.db.prisma.guildSettings.update({ where: { guildId }, data: { modLogChannelId } });
  await updateFilterConfig(stack.ctx, guildId, (c) => {
    for (const kind of ['links', 'caps', 'words', 'repeats'] as const) c.rules[kind].enabled = true;
    c.rules.links.ladder = [{ action: 'delete' }, { action: 'timeout', minutes: 10 }, { action: 'ban' }];
  });
  const term = prepareBannedTerm('scam', 'word');
  if (!term.ok) throw new Error(term.problem);
  await stack.db.prisma.chatFilterTerm.create({ data: { guildId, pattern: term.term.pattern, mode: 'word', createdByDiscordId: '200000000000000001' } });
  await forgetFilterRules(stack.ctx, guildId);
  return { guildId, streamer, modLogChannelId };
}

const chat = (channel: Channel, viewer: { userId: number }, text: string, badges?: { text: string; type: string }[]) =>
  stack.sim.sendChat(channel.streamer.userId, viewer.userId, text, { at: stack.clock.now(), ...(badges ? { badges } : {}) });
const deleted = (channel: Channel, messageId: string) => stack.sim.chatLog(channel.streamer.userId).find((m) => m.messageId === messageId)?.deletedAt instanceof Date;

describe('chat filters', () => {
  let channel: Channel;
  beforeAll(async () => {
    channel = await newChannel('filtered', ALL_SCOPES);
  });

  it('cost an ordinary message no PostgreSQL statement, and leave it alone', async () => {
    const viewer = stack.viewer('plainfilterviewer');
    await chat(channel, viewer, 'warming the caches');
    const before = stack.statements();
    const sent = [];
    for (let i = 0; i < 20; i++) sent.push(await chat(channel, viewer, `just chatting ${i}`));
    expect(stack.failures).toEqual([]);
    expect(stack.statements() - before).toBe(0);
    expect(sent.some((s) => deleted(channel, s.messageId))).toBe(false);
    expect(await stack.db.prisma.moderationAction.count({ where: { guildId: channel.guildId } })).toBe(0);
  });

  it('delete a link, then time the viewer out, with a mod-log entry each and a warning that never quotes the message', async () => {
    const viewer = stack.viewer('linkposter');
    const first = await chat(channel, viewer, 'free stuff at example[.]com');
    expect(deleted(channel, first.messageId)).toBe(true);
    const action = await stack.db.prisma.moderationAction.findFirstOrThrow({ where: { guildId: channel.guildId, kickMessageId: first.messageId } });
    expect(action).toMatchObject({ kind: 'delete', filter: 'links', source: 'filter', status: 'done', kickUserId: viewer.userId, excerpt: 'free stuff at example[.]com' });
    const log = await discord.waitForMessage(channel.modLogChannelId, (m) => JSON.stringify(m.embeds).includes(action.id.slice(0, 8)));
    const embedText = JSON.stringify(log.embeds);
    expect(embedText).toContain('linkposter');
    expect(embedText).not.toContain('example.com');
    const buttons = (log.components as { components: { custom_id: string; disabled?: boolean }[] }[])[0]!.components;
    expect(buttons.map((b) => parseModLogButtonId(b.custom_id)?.verb)).toEqual(['undo', 'timeout', 'ban', 'fp']);
    expect(buttons[0]!.disabled).toBe(true); // nothing to undo after a delete
    const warning = await stack.sim.waitForChat(channel.streamer.userId, (m) => m.type === 'bot' && m.content.includes('@linkposter'));
    expect(warning.content).toContain('links are not allowed');
    expect(warning.content).not.toContain('example');

    const second = await chat(channel, viewer, 'example dot com really');
    expect(deleted(channel, second.messageId)).toBe(true);
    const timeout = await stack.db.prisma.moderationAction.findFirstOrThrow({ where: { guildId: channel.guildId, kickMessageId: second.messageId } });
    expect(timeout).toMatchObject({ kind: 'timeout', durationMinutes: 10, status: 'done' });
    await expect(chat(channel, viewer, 'am I timed out?')).rejects.toThrow(/banned/);
    expect(stack.failures).toEqual([]);
  });

  it('exempt moderators by level, and let one link through after a !permit', async () => {
    const mod = stack.viewer('chatmod');
    const viewer = stack.viewer('permitted');
    const modBadge = [{ text: 'Moderator', type: 'moderator' }];
    const modLink = await chat(channel, mod, 'official merch at example.org', modBadge);
    expect(deleted(channel, modLink.messageId)).toBe(false);
    await chat(channel, mod, '!permit @permitted', modBadge);
    await stack.sim.waitForChat(channel.streamer.userId, (m) => m.type === 'bot' && m.content.includes('@permitted may post one link'));
    // Delivered twice (same message id): the permit covers both runs of that one message.
    const allowed = await stack.sim.sendChat(channel.streamer.userId, viewer.userId, 'my clip: clips.example.net/1', { at: stack.clock.now(), duplicate: 1 });
    expect(deleted(channel, allowed.messageId)).toBe(false);
    expect(await stack.db.prisma.moderationAction.count({ where: { kickUserId: viewer.userId } })).toBe(0);
    const next = await chat(channel, viewer, 'and another: clips.example.net/2');
    expect(deleted(channel, next.messageId)).toBe(true);
  });

  it('exempt viewers whose linked Discord account has an exempt role, looked up only when a filter fires and cached', async () => {
    const regular = stack.viewer('linkedregular');
    const role = discord.addRole(channel.guildId, { name: 'Regulars' });
    discord.addMember(channel.guildId, { id: '600000000000000001', username: 'regular', roles: [role.id] });
    await stack.db.prisma.accountLink.create({ data: { discordUserId: '600000000000000001', kickUserId: regular.userId, kickUsername: regular.username } });
    await updateFilterConfig(stack.ctx, channel.guildId, (c) => {
      c.rules.links.exemptRoleIds = [role.id];
    });
    const calls = () => discord.restCalls.filter((r) => r.path.includes('/members/600000000000000001')).length;
    await chat(channel, regular, 'warm up');
    expect(calls()).toBe(0);
    const first = await chat(channel, regular, 'my site: example.org');
    const second = await chat(channel, regular, 'again: example.org/2');
    expect([deleted(channel, first.messageId), deleted(channel, second.messageId)]).toEqual([false, false]);
    expect(calls()).toBe(1);
    // The role does not exempt from other filters.
    expect(deleted(channel, (await chat(channel, regular, 'this is a scam')).messageId)).toBe(true);
    await updateFilterConfig(stack.ctx, channel.guildId, (c) => {
      c.rules.links.exemptRoleIds = [];
    });
  });

  it('catch banned words, shouting and repeats; a new term applies at once', async () => {
    const viewer = stack.viewer('wordy');
    const word = await chat(channel, viewer, 'this is a $c4m');
    expect(deleted(channel, word.messageId)).toBe(true);
    const caps = await chat(channel, stack.viewer('shouter'), 'WHY IS NOBODY LISTENING TO ME');
    expect(deleted(channel, caps.messageId)).toBe(true);
    const repeater = stack.viewer('repeater');
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await chat(channel, repeater, 'follow my channel'));
    expect(runs.map((r) => deleted(channel, r.messageId))).toEqual([false, false, true]);
    expect((await stack.db.prisma.moderationAction.findFirstOrThrow({ where: { kickMessageId: runs[2]!.messageId } })).filter).toBe('repeats');

    const fresh = stack.viewer('freshword');
    expect(deleted(channel, (await chat(channel, fresh, 'bananas are great')).messageId)).toBe(false);
    await stack.db.prisma.chatFilterTerm.create({ data: { guildId: channel.guildId, pattern: 'bananas', mode: 'word', createdByDiscordId: '200000000000000001' } });
    await forgetFilterRules(stack.ctx, channel.guildId);
    expect(deleted(channel, (await chat(channel, fresh, 'bananas again')).messageId)).toBe(true);
  });

  it('act once per message, even when the job runs again', async () => {
    const viewer = stack.viewer('redelivered');
    // Kick delivers the same message twice (same message id): both run the whole chat path.
    const sent = await stack.sim.sendChat(channel.streamer.userId, viewer.userId, 'visit example.info', { at: stack.clock.now(), duplicate: 1 });
    expect(sent.deliveries.length).toBeGreaterThanOrEqual(2);
    expect(deleted(channel, sent.messageId)).toBe(true);
    const actions = await stack.db.prisma.moderationAction.findMany({ where: { guildId: channel.guildId, kickUserId: viewer.userId } });
    expect(actions).toHaveLength(1);
    expect(actions[0]?.kind).toBe('delete');
    const warnings = stack.sim.chatLog(channel.streamer.userId).filter((m) => m.type === 'bot' && m.content.includes('@redelivered'));
    expect(warnings).toHaveLength(1);
  });

  it('count a false positive once and take the offence back', async () => {
    const viewer = stack.viewer('innocent');
    const sent = await chat(channel, viewer, 'I LOVE THIS CHANNEL SO MUCH');
    const action = await stack.db.prisma.moderationAction.findFirstOrThrow({ where: { kickMessageId: sent.messageId } });
    const first = await markFalsePositive(stack.ctx, action, '300000000000000001');
    const again = await markFalsePositive(stack.ctx, first.action, '300000000000000002');
    expect([first.changed, again.changed]).toEqual([true, false]);
    expect(first.action).toMatchObject({ falsePositive: true, falsePositiveBy: '300000000000000001' });
    expect((await stack.db.prisma.chatFilterSettings.findUniqueOrThrow({ where: { guildId: channel.guildId } })).falsePositives).toBe(1);
    // The offence was taken back: the next one is a first offence again (delete, not the ladder's second step).
    const next = await chat(channel, viewer, 'SORRY I WILL STOP SHOUTING NOW');
    expect((await stack.db.prisma.moderationAction.findFirstOrThrow({ where: { kickMessageId: next.messageId } })).kind).toBe('delete');
  });

  it('compile once per process: the warm copy is the same object until the rules change', async () => {
    const a = await cachedChatFilters(stack.ctx, channel.guildId);
    expect(await cachedChatFilters(stack.ctx, channel.guildId)).toBe(a);
    await updateFilterConfig(stack.ctx, channel.guildId, (c) => {
      c.rules.symbols.enabled = true;
    });
    const b = await cachedChatFilters(stack.ctx, channel.guildId);
    expect(b).not.toBe(a);
    expect(b.rule('symbols').enabled).toBe(true);
  });
});

describe('moderation without the scopes', () => {
  it('records the action as failed and tells the mod log once', async () => {
    const channel = await newChannel('noscopes', ['user:read', 'channel:read', 'chat:write', 'events:subscribe', 'moderation:ban']);
    const viewer = stack.viewer('unmoderated');
    const first = await chat(channel, viewer, 'example.com');
    await chat(channel, viewer, 'example.net');
    expect(deleted(channel, first.messageId)).toBe(false);
    const actions = await stack.db.prisma.moderationAction.findMany({ where: { guildId: channel.guildId }, orderBy: { createdAt: 'asc' } });
    expect(actions.map((a) => [a.status, a.error])).toEqual([
      ['failed', 'the Kick connection lacks the `moderation:chat_message:manage` permission'],
      ['failed', 'the Kick connection lacks the `moderation:chat_message:manage` permission'],
    ]);
    const notices = discord.messages(channel.modLogChannelId).filter((m) => m.content.includes('moderation:chat_message:manage'));
    expect(notices).toHaveLength(1);
    expect(stack.failures).toEqual([]);

    // A ban needs only moderation:ban, which this connection has: /mod works.
    const { action, created } = await takeModerationAction(stack.ctx, {
      guildId: channel.guildId,
      broadcasterUserId: channel.streamer.userId,
      kickUserId: viewer.userId,
      kickUsername: viewer.username,
      kind: 'ban',
      reason: 'spam',
      source: 'command',
      discordUserId: '300000000000000001',
      idempotencyKey: 'cmd:test-ban',
    });
    expect([created, action.status]).toEqual([true, 'done']);
    await expect(chat(channel, viewer, 'still here?')).rejects.toThrow(/banned/);
    // The same cause (one interaction) never acts twice.
    const again = await takeModerationAction(stack.ctx, { guildId: channel.guildId, broadcasterUserId: channel.streamer.userId, kickUserId: viewer.userId, kickUsername: viewer.username, kind: 'unban', source: 'command', idempotencyKey: 'cmd:test-ban' });
    expect([again.created, again.action.kind]).toEqual([false, 'ban']);
  });
});
