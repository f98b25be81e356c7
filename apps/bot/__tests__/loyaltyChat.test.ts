import { appendLedgerEntries } from '@kickcord/db';
import type { ChatLogEntry } from '@kickcord/kick-sim';
import { forgetGuildSettings } from '../src/guildSettings.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_USER_COOLDOWN_SEC } from '../src/kickChat/builtinChatCommand.ts';
import { startServiceStack as startLoyaltyStack, type ServiceStack as LoyaltyStack } from './helpers/serviceStack.ts';

let stack: LoyaltyStack;
let alice: { userId: number; username: string };
let bob: { userId: number; username: string };
let carol: { userId: number; username: string };
const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 2 * 3600_000;
const SUB = [{ text: 'Subscriber', type: 'subscriber', count: 2 }];
const MOD = [{ text: 'Moderator', type: 'moderator' }];
const VIP = [{ text: 'VIP', type: 'vip' }];

/** Sends a chat message and returns the bot's replies to it (empty when it stays silent). */
async function say(user: { userId: number }, content: string, badges: { text: string; type: string }[] = [], advanceMs = (BUILTIN_USER_COOLDOWN_SEC + 1) * 1000): Promise<string[]> {
  stack.clock.advance(advanceMs);
  const sent = await stack.sim.sendChat(stack.streamer.userId, user.userId, content, { badges, at: stack.clock.now() });
  return stack.sim
    .chatLog(stack.streamer.userId)
    .filter((m: ChatLogEntry) => m.type === 'bot' && m.replyToMessageId === sent.messageId)
    .map((m) => m.content);
}

async function one(user: { userId: number }, content: string, badges: { text: string; type: string }[] = []): Promise<string> {
  const replies = await say(user, content, badges);
  expect(replies).toHaveLength(1);
  return replies[0] ?? '';
}

async function addCommand(name: string, response: string, extra: Record<string, unknown> = {}) {
  await stack.db.prisma.chatCommand.create({ data: { guildId: stack.guildId, name, response, createdByDiscordId: '1', ...extra } });
}

beforeAll(async () => {
  stack = await startLoyaltyStack({ start: new Date(t0) });
  alice = stack.viewer('Alice');
  bob = stack.viewer('bob_the_builder');
  carol = stack.viewer('carol');
  await appendLedgerEntries(stack.db.prisma, [
    { guildId: stack.guildId, kickUserId: alice.userId, username: 'Alice', kind: 'admin', points: 1500, minutes: 185, idempotencyKey: 'seed:a' },
    { guildId: stack.guildId, kickUserId: bob.userId, username: 'bob_the_builder', kind: 'admin', points: 40, minutes: 30, idempotencyKey: 'seed:b' },
  ]);
}, 60_000);
afterAll(async () => stack?.close());

describe('chat built-ins', () => {
  it('!points and !watchtime for yourself and for another viewer (case-insensitive, @ allowed)', async () => {
    expect(await one(alice, '!points')).toBe('@Alice you have 1,500 points (rank #1).');
    expect(await one(carol, '!points @BOB_the_builder')).toBe('@carol bob_the_builder has 40 points (rank #2).');
    expect(await one(carol, '!points nobody_here')).toBe('@carol nobody_here has no points here yet.');
    expect(await one(alice, '!watchtime')).toBe('@Alice you have 3h 05m of watchtime (active minutes in chat).');
    expect(await one(carol, '!watchtime @alice')).toBe('@carol Alice has 3h 05m of watchtime (active minutes in chat).');
    expect(await one(carol, '!watchtime')).toBe('@carol you have no watchtime yet — it counts minutes you chat while live.');
  });

  it('!top points|watchtime, !commands and !uptime (offline and live)', async () => {
    expect(await one(carol, '!top')).toBe('Top points: 1. Alice 1,500 · 2. bob_the_builder 40');
    expect(await one(carol, '!top watchtime')).toBe('Top watchtime: 1. Alice 3h 05m · 2. bob_the_builder 30m');
    expect(await one(carol, '!uptime')).toBe(`${stack.streamer.username} is offline.`);
    await stack.sim.goLive(stack.streamer.userId, { title: 'Bonus hunt', category: 'Slots & Casino' }, { at: stack.clock.now() });
    stack.clock.advance(65 * 60_000);
    expect(await one(bob, '!uptime')).toBe(`${stack.streamer.username} has been live for 1h 05m.`);
    await addCommand('discord', 'Join us: discord.gg/x');
    expect(await one(carol, '!commands')).toBe(`Commands, who may use them, cooldowns and costs: http://127.0.0.1:9/c/${stack.streamer.username.toLowerCase()}/commands`);
  });

  it('answers as the bot, replying to the triggering message, and ignores its own messages', async () => {
    const before = stack.sim.chatLog(stack.streamer.userId).filter((m) => m.type === 'bot').length;
    const sent = await stack.sim.sendChat(stack.streamer.userId, carol.userId, '!points', { at: stack.clock.now() });
    const reply = await stack.sim.waitForChat(stack.streamer.userId, (m) => m.replyToMessageId === sent.messageId, 5_000);
    expect(reply).toMatchObject({ type: 'bot', senderUsername: 'kickcord_bot' });
    // the echo of our own reply came back as a chat event and caused nothing
    expect(stack.sim.chatLog(stack.streamer.userId).filter((m) => m.type === 'bot').length).toBe(before + 1);
    const row = await stack.db.prisma.outgoingChatMessage.findFirst({ where: { guildId: stack.guildId, replyToMessageId: sent.messageId } });
    expect(row).toMatchObject({ status: 'sent', kickMessageId: reply.messageId });
  });

  it('limits one viewer to one built-in reply per cooldown, moderators excepted, and honours a changed prefix', async () => {
    expect(await say(bob, '!points')).toHaveLength(1);
    expect(await say(bob, '!points', [], 1000)).toHaveLength(0);
    expect(await say(bob, '!watchtime', [], 1000)).toHaveLength(1);
    expect(await say(bob, '!points', [], BUILTIN_USER_COOLDOWN_SEC * 1000)).toHaveLength(1);
    expect(await say(carol, '!top', MOD)).toHaveLength(1);
    expect(await say(carol, '!top', MOD, 1000)).toHaveLength(1);
    await stack.db.prisma.guildSettings.update({ where: { guildId: stack.guildId }, data: { commandPrefix: '?' } });
    await forgetGuildSettings(stack.ctx, stack.guildId); // as every settings write does
    expect(await say(alice, '!watchtime')).toHaveLength(0);
    expect(await one(alice, '?watchtime')).toContain('3h 05m');
    await stack.db.prisma.guildSettings.update({ where: { guildId: stack.guildId }, data: { commandPrefix: '!' } });
    await forgetGuildSettings(stack.ctx, stack.guildId);
  });
});

describe('custom commands', () => {
  it('renders every template variable', async () => {
    await addCommand('all', 'u={user} t={touser} a={args} p={points} w={watchtime} c={count} up={uptime} ti={title} ca={category} r={random:x|y}');
    const text = await one(alice, '!all @Bob hello  there');
    expect(text).toMatch(/^u=Alice t=Bob a=@Bob hello {2}there p=1500 w=3h 05m c=1 up=1h \d\dm ti=Bonus hunt ca=Slots & Casino r=[xy]$/);
    expect(await one(carol, '!all')).toMatch(/^u=carol t=carol a= p=0 w=0m c=2 /);
  });

  it('answers aliases, counts uses once per message, and {random} picks among the options', async () => {
    await addCommand('hug', '{user} hugs {touser} ({count}) {random:a|b|c}', { aliases: ['cuddle'] });
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const text = await one(bob, i % 2 ? '!cuddle @carol' : '!HUG @carol');
      expect(text).toMatch(new RegExp(`^bob_the_builder hugs carol \\(${i + 1}\\) [abc]$`));
      seen.add(text.slice(-1));
    }
    expect(seen.size).toBeGreaterThan(1);
    expect((await stack.db.prisma.chatCommand.findFirst({ where: { guildId: stack.guildId, name: 'hug' } }))?.useCount).toBe(12);
  });

  it('enforces global and per-user cooldowns across viewers; moderators bypass', async () => {
    await addCommand('gcd', 'global ok', { globalCooldownSec: 30 });
    await addCommand('ucd', 'user ok', { userCooldownSec: 60 });
    expect(await say(alice, '!gcd')).toEqual(['global ok']);
    expect(await say(bob, '!gcd', [], 1000)).toEqual([]);
    expect(await say(carol, '!gcd', MOD, 1000)).toEqual(['global ok']);
    expect(await say(bob, '!gcd', [], 28_000)).toEqual([]); // 30 s after carol's use, not alice's
    expect(await say(bob, '!gcd', [], 2000)).toEqual(['global ok']);

    expect(await say(alice, '!ucd')).toEqual(['user ok']);
    expect(await say(bob, '!ucd', [], 1000)).toEqual(['user ok']);
    expect(await say(alice, '!ucd', [], 1000)).toEqual([]);
    expect(await say(alice, '!ucd', [], 58_000)).toEqual(['user ok']);
  });

  it('requires the minimum user level from Kick badges', async () => {
    await addCommand('subonly', 'sub ok', { minLevel: 'subscriber' });
    await addCommand('vipcmd', 'vip ok', { minLevel: 'vip' });
    await addCommand('modcmd', 'mod ok', { minLevel: 'moderator' });
    await addCommand('bcast', 'broadcaster ok', { minLevel: 'broadcaster' });
    expect(await say(carol, '!subonly')).toEqual([]);
    expect(await say(carol, '!subonly', SUB)).toEqual(['sub ok']);
    expect(await say(carol, '!vipcmd', SUB)).toEqual([]);
    expect(await say(carol, '!vipcmd', VIP)).toEqual(['vip ok']);
    expect(await say(carol, '!modcmd', VIP)).toEqual([]);
    expect(await say(carol, '!modcmd', MOD)).toEqual(['mod ok']);
    expect(await say(carol, '!bcast', MOD)).toEqual([]);
    expect(await say({ userId: stack.streamer.userId }, '!bcast')).toEqual(['broadcaster ok']);
  });

  it('charges the point cost once and refuses when the balance is short; live-only commands are silent offline', async () => {
    await addCommand('shoutout', 'Shoutout by {user}! You have {points} left.', { cost: 25, liveOnly: true });
    expect(await one(bob, '!shoutout')).toBe('Shoutout by bob_the_builder! You have 15 left.');
    expect(await one(bob, '!shoutout')).toBe('@bob_the_builder !shoutout costs 25 points — you have 15.');
    const charges = await stack.db.prisma.pointsLedger.findMany({ where: { guildId: stack.guildId, kickUserId: bob.userId, kind: 'command' } });
    expect(charges.map((c) => c.points)).toEqual([-25]);
    stack.clock.advance(1000);
    await stack.sim.goOffline(stack.streamer.userId, { at: stack.clock.now() });
    expect(await say(alice, '!shoutout')).toEqual([]);
    expect(stack.failures).toEqual([]);
  });

  it('a redelivered chat message is answered, charged and counted once', async () => {
    await addCommand('once', 'once {count}', { cost: 1 });
    stack.clock.advance(1000);
    const sent = await stack.sim.sendChat(stack.streamer.userId, alice.userId, '!once', { at: stack.clock.now(), duplicate: 2 });
    expect(sent.deliveries).toHaveLength(3);
    const replies = stack.sim.chatLog(stack.streamer.userId).filter((m) => m.replyToMessageId === sent.messageId);
    expect(replies.map((r) => r.content)).toEqual(['once 1']);
    expect(await stack.db.prisma.pointsLedger.count({ where: { guildId: stack.guildId, kickUserId: alice.userId, kind: 'command' } })).toBe(1);
    expect((await stack.db.prisma.chatCommand.findFirst({ where: { guildId: stack.guildId, name: 'once' } }))?.useCount).toBe(1);
  });
});
