/**
 * The everyday chat commands against kick-sim, a migrated PostgreSQL database and Redis (service stack: each
 * chat message is handled before `sendChat` resolves): !so, !title, !game, !followage, !quote, !deaths and
 * custom counters, !commands, and the per-guild built-in toggles and names read from the cached settings.
 */
import type { ChatLogEntry } from '@kickcord/kick-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetGuildSettings } from '../src/guildSettings.ts';
import { BUILTIN_USER_COOLDOWN_SEC } from '../src/kickChat/builtinChatCommand.ts';
import { renameBuiltin, setBuiltinEnabled } from '../src/features/everydayCommands/builtinSettings.ts';
import { addCounter } from '../src/features/everydayCommands/counters.ts';
import { startServiceStack, type ServiceStack } from './helpers/serviceStack.ts';

let stack: ServiceStack;
let viewer: { userId: number; username: string };
let mod: { userId: number; username: string };
let other: { userId: number; username: string };
const MOD = [{ text: 'Moderator', type: 'moderator' }];
const VIP = [{ text: 'VIP', type: 'vip' }];
const t0 = Date.UTC(2026, 11, 3, 18, 0, 0);

/** Sends a chat message (after the built-ins' cooldown) and returns the bot's replies to it. */
async function say(user: { userId: number }, content: string, badges: { text: string; type: string }[] = [], opts: { duplicate?: number } = {}): Promise<string[]> {
  stack.clock.advance((BUILTIN_USER_COOLDOWN_SEC + 1) * 1000);
  const sent = await stack.sim.sendChat(stack.streamer.userId, user.userId, content, { badges, at: stack.clock.now(), ...opts });
  expect(stack.failures).toEqual([]);
  return stack.sim
    .chatLog(stack.streamer.userId)
    .filter((m: ChatLogEntry) => m.type === 'bot' && m.replyToMessageId === sent.messageId)
    .map((m) => m.content);
}

async function one(user: { userId: number }, content: string, badges: { text: string; type: string }[] = []): Promise<string> {
  const replies = await say(user, content, badges);
  expect(replies, content).toHaveLength(1);
  return replies[0] ?? '';
}

/** Gives the streamer's connection these extra scopes (Kick fixes scopes at consent: a reconnect). */
async function reconnectWith(extra: string[]): Promise<void> {
  const current = await stack.db.prisma.kickConnection.findUniqueOrThrow({ where: { guildId: stack.guildId } });
  const scopes = [...new Set([...current.scopes, ...extra])];
  const tokens = stack.sim.issueUserToken({ clientId: stack.ctx.env.KICK_CLIENT_ID, userId: stack.streamer.userId, scopes });
  await stack.ctx.connections.save({
    guildId: stack.guildId,
    broadcasterUserId: stack.streamer.userId,
    kickUsername: stack.streamer.username,
    connectedByDiscordId: '200000000000000001',
    tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, tokenType: 'Bearer', scopes, expiresAt: new Date(Date.now() + tokens.expiresIn * 1000) },
  });
}

beforeAll(async () => {
  stack = await startServiceStack({ start: new Date(t0) });
  viewer = stack.viewer('plain_viewer');
  mod = stack.viewer('the_mod');
  other = stack.viewer('Other_Streamer');
}, 60_000);
afterAll(async () => stack?.close());

describe('!so', () => {
  it("gives moderators a shout-out with the channel's link, title and category from Kick", async () => {
    await stack.sim.goLive(other.userId, { title: 'Speedrun any%', category: 'Minecraft' }, { at: stack.clock.now() });
    expect(await one(mod, '!so @other_streamer', MOD)).toBe('Go check out other_streamer at https://kick.com/other_streamer! They are live now: "Speedrun any%" in Minecraft.');
    await stack.sim.goOffline(other.userId, { at: stack.clock.now() });
    expect(await one(mod, '!so Other_Streamer', MOD)).toBe('Go check out other_streamer at https://kick.com/other_streamer! They were last streaming "Speedrun any%" in Minecraft.');
  });

  it('stays silent for viewers and never repeats a name Kick does not know', async () => {
    expect(await say(viewer, '!so other_streamer')).toEqual([]);
    expect(await one(mod, '!so', MOD)).toBe('@the_mod usage: !so <Kick username>');
    expect(await one(mod, '!so buy-followers.example', MOD)).toBe('@the_mod that is not a Kick username.');
    const unknown = await one(mod, '!so nobody_by_this_name', MOD);
    expect(unknown).toBe('@the_mod Kick has no channel by that name.');
    expect(unknown).not.toContain('nobody_by_this_name');
  });
});

describe('!title and !game', () => {
  it('everyone reads them; viewers cannot change them', async () => {
    await stack.sim.goLive(stack.streamer.userId, { title: 'Bonus hunt', category: 'Slots & Casino' }, { at: stack.clock.now() });
    expect(await one(viewer, '!title')).toBe('Title: Bonus hunt');
    expect(await one(viewer, '!game')).toBe('Category: Slots & Casino');
    expect(await one(viewer, '!title free followers at spam.example')).toBe('@plain_viewer only moderators can change the title.');
    expect(await one(viewer, '!game Minecraft')).toBe('@plain_viewer only moderators can change the category.');
    expect(stack.sim.findUserBySlug(stack.streamer.username)?.channel.streamTitle).toBe('Bonus hunt');
  });

  it('a moderator is told which permission is missing until the streamer reconnects with channel:write', async () => {
    const refused = await one(mod, '!title Late night bonus hunt', MOD);
    expect(refused).toBe('@the_mod !title <text> needs the Kick permission channel:write, which this server\'s Kick connection was not granted. Run /kick connect and send the streamer the link to reconnect; everything else keeps working meanwhile.');
    expect(refused).toContain('/kick connect');
    expect(stack.sim.findUserBySlug(stack.streamer.username)?.channel.streamTitle).toBe('Bonus hunt');
  });

  it('with channel:write, !title <text> and !game <name> change the channel through PATCH /public/v1/channels', async () => {
    await reconnectWith(['channel:write']);
    expect(await one(mod, '!title Late night bonus hunt', MOD)).toBe('@the_mod the title is now: Late night bonus hunt');
    const channel = () => stack.sim.findUserBySlug(stack.streamer.username)?.channel;
    expect(channel()?.streamTitle).toBe('Late night bonus hunt');
    expect(await one(viewer, '!title')).toBe('Title: Late night bonus hunt');
    // Kick's own refusal is passed on (a title over Kick's length limit), and nothing changes.
    expect(await one(mod, `!title ${'x'.repeat(141)}`, MOD)).toMatch(/^@the_mod Kick refused the change: \S/);
    expect(channel()?.streamTitle).toBe('Late night bonus hunt');

    expect(await one(mod, '!game minecraft', MOD)).toBe('@the_mod the category is now Minecraft.');
    expect(channel()?.category.name).toBe('Minecraft');
    expect(await one(mod, '!game grand theft', MOD)).toBe('@the_mod the category is now Grand Theft Auto V.');
    expect(channel()?.category.id).toBe(2);
    expect(await one(mod, '!game no such game at all', MOD)).toBe('@the_mod Kick has no category matching that name.');
    expect(channel()?.category.id).toBe(2);
    expect(await one(viewer, '!game')).toBe('Category: Grand Theft Auto V');
    const session = await stack.db.prisma.streamSession.findUnique({ where: { openBroadcasterUserId: stack.streamer.userId } });
    expect(session).toMatchObject({ title: 'Late night bonus hunt', categoryName: 'Grand Theft Auto V' });
  });
});

describe('!followage', () => {
  it('answers from follows kickcord saw (the earliest delivery wins) and says when it saw none', async () => {
    expect(await one(viewer, '!followage')).toBe(`@plain_viewer kickcord has not seen you follow ${stack.streamer.username} (Kick shares no follow dates; kickcord only knows follows it saw).`);
    await stack.sim.follow(stack.streamer.userId, viewer.userId, { at: new Date(Date.UTC(2026, 11, 3, 12, 0, 0)) });
    // A late, older delivery of a follow moves the date back; a newer one does not move it forward.
    await stack.sim.follow(stack.streamer.userId, viewer.userId, { at: new Date(Date.UTC(2026, 10, 20, 9, 0, 0)) });
    await stack.sim.follow(stack.streamer.userId, viewer.userId, { at: new Date(Date.UTC(2026, 11, 4, 9, 0, 0)) });
    expect(stack.failures).toEqual([]);
    expect(await one(viewer, '!followage')).toBe(`@plain_viewer you have been following ${stack.streamer.username} since at least 20 Nov 2026 (kickcord saw it).`);
    expect(await one(mod, '!followage @PLAIN_viewer', MOD)).toBe(`@the_mod plain_viewer has been following ${stack.streamer.username} since at least 20 Nov 2026 (kickcord saw it).`);
    const unseen = await one(viewer, '!followage someone_else');
    expect(unseen).toContain('kickcord has not seen that viewer follow');
    expect(unseen).not.toContain('someone_else');
    expect(await one(viewer, '!followage <b>spam</b>')).toBe('@plain_viewer that is not a Kick username.');
  });
});

describe('!quote', () => {
  it('adds quotes (moderators by default) with the category and date, once per Kick message, and reads them', async () => {
    expect(await one(viewer, '!quote')).toBe('No quotes yet — add one with !quote add <text>.');
    expect(await one(viewer, '!quote add I never lose')).toBe('@plain_viewer adding quotes is for moderators and up.');
    expect(await stack.db.prisma.quote.count({ where: { guildId: stack.guildId } })).toBe(0);
    // Kick delivers the same message twice: one quote.
    expect(await say(mod, '!quote add   I   never lose  ', MOD, { duplicate: 1 })).toEqual(['@the_mod added quote #1.']);
    expect(await stack.db.prisma.quote.count({ where: { guildId: stack.guildId } })).toBe(1);
    const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(stack.clock.now());
    expect(await one(viewer, '!quote 1')).toBe(`#1: "I never lose" (Grand Theft Auto V, ${day})`);
    expect(await one(viewer, '!quote #1')).toBe(`#1: "I never lose" (Grand Theft Auto V, ${day})`);
    expect(await one(viewer, '!quote')).toBe(`#1: "I never lose" (Grand Theft Auto V, ${day})`);
    expect(await one(viewer, '!quote 7')).toBe('@plain_viewer there is no quote #7.');
    expect(await one(viewer, '!quote seven')).toBe('@plain_viewer usage: !quote [number] or !quote add <text>');
    expect(await one(mod, '!quote add', MOD)).toBe('@the_mod The quote is empty — write the words after "add".');
    expect(await one(mod, `!quote add ${'x'.repeat(301)}`, MOD)).toBe('@the_mod The quote is 301 characters long — the limit is 300.');
  });

  it('the guild can let VIPs add quotes; the quote is numbered after the last', async () => {
    expect(await one(viewer, '!quote add vip words', VIP)).toBe('@plain_viewer adding quotes is for moderators and up.');
    await stack.db.prisma.guildSettings.update({ where: { guildId: stack.guildId }, data: { quoteAddLevel: 'vip' } });
    await forgetGuildSettings(stack.ctx, stack.guildId);
    expect(await one(viewer, '!quote add vip words', VIP)).toBe('@plain_viewer added quote #2.');
    expect(await one(viewer, '!quote add plain words')).toBe('@plain_viewer adding quotes is for VIPs and up.');
    const quote = await stack.db.prisma.quote.findFirstOrThrow({ where: { guildId: stack.guildId, number: 2 } });
    expect(quote).toMatchObject({ text: 'vip words', addedByName: 'plain_viewer', addedByKickUserId: viewer.userId, category: 'Grand Theft Auto V' });
  });
});

describe('counters', () => {
  it('!deaths counts once per Kick message, moderators only, never below 0', async () => {
    expect(await one(viewer, '!deaths')).toBe('Deaths: 0');
    expect(await one(viewer, '!deaths +')).toBe('@plain_viewer only moderators can change Deaths.');
    // Kick delivers the message three times (same message id): one change, one reply.
    stack.clock.advance((BUILTIN_USER_COOLDOWN_SEC + 1) * 1000);
    const sent = await stack.sim.sendChat(stack.streamer.userId, mod.userId, '!deaths +', { badges: MOD, at: stack.clock.now(), duplicate: 2 });
    expect(sent.deliveries.filter((d) => d.type === 'chat.message.sent')).toHaveLength(3);
    expect(new Set(sent.deliveries.map((d) => d.messageId)).size).toBe(1);
    expect(stack.sim.chatLog(stack.streamer.userId).filter((m) => m.type === 'bot' && m.replyToMessageId === sent.messageId).map((m) => m.content)).toEqual(['Deaths: 1']);
    expect(await stack.db.prisma.chatCounterChange.count()).toBe(1);
    expect(await one(mod, '!deaths ++', MOD)).toBe('Deaths: 2');
    expect(await one(viewer, '!deaths')).toBe('Deaths: 2');
    expect(await one(mod, '!deaths -', MOD)).toBe('Deaths: 1');
    expect(await one(mod, '!deaths -', MOD)).toBe('Deaths: 0');
    expect(await one(mod, '!deaths -', MOD)).toBe('Deaths: 0');
    expect(await one(viewer, '!deaths 5')).toBe('Deaths: 0');
  });

  it('a counter added in Discord is its own chat command', async () => {
    await addCounter(stack.ctx, { guildId: stack.guildId, name: '!Wins', value: 4, createdByDiscordId: '1' });
    expect(await one(viewer, '!wins')).toBe('Wins: 4');
    expect(await say(mod, '!wins +', MOD, { duplicate: 1 })).toEqual(['Wins: 5']);
    expect(await one(viewer, '!wins -')).toBe('@plain_viewer only moderators can change Wins.');
    expect(await one(viewer, '!wins')).toBe('Wins: 5');
    await expect(addCounter(stack.ctx, { guildId: stack.guildId, name: 'quote', value: 0, createdByDiscordId: '1' })).rejects.toThrow('built-in');
    await expect(addCounter(stack.ctx, { guildId: stack.guildId, name: 'wins', value: 0, createdByDiscordId: '1' })).rejects.toThrow('already exists');
  });
});

describe('!commands and the built-in switches', () => {
  it('!commands links to the public command list page', async () => {
    expect(await one(viewer, '!commands')).toBe(`Commands, who may use them, cooldowns and costs: http://127.0.0.1:9/c/${stack.streamer.username.toLowerCase()}/commands`);
  });

  it('a renamed built-in answers to its new name only; a disabled one not at all; both at once, from the cached settings', async () => {
    // Warm the cached settings, then change them: the writer drops every copy.
    expect(await one(viewer, '!uptime')).toContain('has been live for');
    await renameBuiltin(stack.ctx, stack.guildId, 'so', 'shoutout');
    await setBuiltinEnabled(stack.ctx, stack.guildId, 'uptime', false);
    expect(await say(mod, '!so other_streamer', MOD)).toEqual([]);
    expect(await one(mod, '!shoutout other_streamer', MOD)).toContain('Go check out other_streamer');
    expect(await one(mod, '!shoutout', MOD)).toBe('@the_mod usage: !shoutout <Kick username>');
    expect(await say(viewer, '!uptime')).toEqual([]);

    await expect(renameBuiltin(stack.ctx, stack.guildId, 'quote', 'shoutout')).rejects.toThrow('already the name of the built-in !so');
    await expect(renameBuiltin(stack.ctx, stack.guildId, 'quote', 'wins')).rejects.toThrow('counter');
    await expect(renameBuiltin(stack.ctx, stack.guildId, 'quote', 'gtb')).rejects.toThrow('built-in command');
    await expect(renameBuiltin(stack.ctx, stack.guildId, 'quote', 'bad name')).rejects.toThrow('contains a space');

    // Renaming two built-ins keeps both changes (one statement per built-in, no lost update).
    await renameBuiltin(stack.ctx, stack.guildId, 'deaths', 'd');
    expect(await one(viewer, '!d')).toBe('Deaths: 0');
    const row = await stack.db.prisma.guildSettings.findUniqueOrThrow({ where: { guildId: stack.guildId } });
    expect(row.builtinCommands).toEqual({ so: { name: 'shoutout' }, uptime: { enabled: false }, deaths: { name: 'd' } });

    // Back to the defaults.
    await renameBuiltin(stack.ctx, stack.guildId, 'so', '!so');
    await setBuiltinEnabled(stack.ctx, stack.guildId, 'uptime', true);
    await renameBuiltin(stack.ctx, stack.guildId, 'deaths', 'deaths');
    expect(await one(mod, '!so other_streamer', MOD)).toContain('Go check out other_streamer');
    expect(await say(mod, '!shoutout other_streamer', MOD)).toEqual([]);
    expect(await one(viewer, '!uptime')).toContain('has been live for');
    expect((await stack.db.prisma.guildSettings.findUniqueOrThrow({ where: { guildId: stack.guildId } })).builtinCommands).toEqual({ so: {}, uptime: {}, deaths: {} });
  });

  it('plain chat still costs no PostgreSQL statement with built-ins renamed and turned off', async () => {
    await renameBuiltin(stack.ctx, stack.guildId, 'quote', 'q');
    await setBuiltinEnabled(stack.ctx, stack.guildId, 'title', false);
    await say(viewer, 'warm the cache');
    const before = stack.statements();
    for (let i = 0; i < 10; i++) await say(viewer, `just chatting ${i}`);
    expect(stack.statements() - before).toBe(0);
    expect(await one(viewer, '!q 1')).toContain('#1: "I never lose"');
    expect(await say(viewer, '!title')).toEqual([]);
  });
});
