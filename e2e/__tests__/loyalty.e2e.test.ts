/**
 * Loyalty end to end: Kick chat through the production path (kick-sim → web → BullMQ → bot worker),
 * the watchtime tick task, chat replies in kick-sim, and every loyalty slash command through discord-sim —
 * including tenant isolation between two guilds.
 */
import { maintenanceTasks } from '@kickcord/bot';
import { appendLedgerEntries } from '@kickcord/db';
import type { Job } from 'bullmq';
import { waitFor } from '@kickcord/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGE_GUILD } from '@kickcord/testkit';
import { responseText, startTestStack, type TestStack } from './helpers/harness.ts';

let stack: TestStack;
let guildB: string;
const modB = '300000000000000001';
const viewers: { userId: number; username: string }[] = [];

async function runIn(guildId: string, userId: string, line: string, permissions: bigint): Promise<string> {
  const record = await stack.discord.invoke(guildId, userId, line, { permissions, bypassCommandPermissions: true });
  const response = await stack.discord.waitForInteractionResponse(record, (r) => r.kind !== 'callback' || (r.type !== 5 && r.type !== 6), 10_000);
  return responseText(response.data);
}

async function balance(guildId: string, userId: number) {
  return (await stack.db.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId, kickUserId: userId } } }))?.points ?? 0;
}

beforeAll(async () => {
  stack = await startTestStack();
  guildB = String(100000000000000000n + BigInt(Math.floor(Math.random() * 1e12)));
  stack.discord.addGuild({ id: guildB, name: 'Other Community', channels: [{ name: 'general' }], members: [{ id: modB, username: 'modb' }] });
  await waitFor(() => stack.db.prisma.guild.findUnique({ where: { id: guildB } }), { description: 'guild B to be created', timeoutMs: 15_000 });
  for (let i = 0; i < 12; i++) viewers.push(stack.createViewer(`lb_viewer${String(i).padStart(2, '0')}`));
  // Guild A: 12 viewers with 100..1200 points; guild B: the same Kick account lb_viewer00 with 7 points.
  await appendLedgerEntries(
    stack.db.prisma,
    viewers.map((v, i) => ({ guildId: stack.guild.id, kickUserId: v.userId, username: v.username, kind: 'admin' as const, points: (i + 1) * 100, minutes: i + 1, idempotencyKey: `seed:${v.userId}` })),
  );
  await appendLedgerEntries(stack.db.prisma, [{ guildId: guildB, kickUserId: viewers[0]!.userId, username: viewers[0]!.username, kind: 'admin', points: 7, minutes: 3, idempotencyKey: 'seed:b' }]);
}, 120_000);
afterAll(async () => stack?.close());

describe('loyalty, end to end', () => {

  it('pays active minutes through the real pipeline and answers !points / !watchtime in Kick chat', async () => {
    const fan = stack.createViewer('e2e_fan');
    // Chat and tick must fall in the same wall-clock minute: a tick in the next minute also pays that
    // minute (the fan is still inside the activity window) — two rows, not one. Start with ≥ 15 s left.
    await waitFor(() => Date.now() % 60_000 < 45_000, { description: 'a minute with ≥ 15 s left', timeoutMs: 20_000, intervalMs: 250 });
    await stack.kick.goLive(stack.streamer.userId, { title: 'e2e stream' });
    await stack.kick.sendChat(stack.streamer.userId, fan.userId, 'hi chat', { badges: [{ text: 'Subscriber', type: 'subscriber' }] });
    await stack.drain();
    await waitFor(() => stack.db.prisma.streamSession.findUnique({ where: { openBroadcasterUserId: stack.streamer.userId } }), { description: 'the stream session to open' });
    const tick = maintenanceTasks.find((t) => t.name === 'watchtime-tick');
    expect(tick).toBeDefined();
    const summary = (await tick!.run(stack.bot.ctx, {} as Job)) as { inserted: number };
    expect(summary.inserted).toBe(1);
    expect(await balance(stack.guild.id, fan.userId)).toBe(1); // 1 point × 1.5, floored

    const sent = await stack.kick.sendChat(stack.streamer.userId, fan.userId, '!points');
    const reply = await stack.kick.waitForChat(stack.streamer.userId, (m) => m.replyToMessageId === sent.messageId, 15_000);
    expect(reply).toMatchObject({ type: 'bot', content: '@e2e_fan you have 1 point (rank #13).' });
    const wt = await stack.kick.sendChat(stack.streamer.userId, fan.userId, '!watchtime');
    expect((await stack.kick.waitForChat(stack.streamer.userId, (m) => m.replyToMessageId === wt.messageId, 15_000)).content).toContain('1m of watchtime');
  });

  it('/points show|give|take|set: everyone may look, only moderators change, each change keyed by the interaction', async () => {
    const v = viewers[1]!;
    expect(await stack.run(`/points show user:${v.username.toUpperCase()}`, { as: 'member' })).toMatch(/Points: 200 \(rank #11\)/);
    expect(await stack.run(`/points give user:${v.username} amount:50`, { as: 'member' })).toContain('for moderators');
    expect(await balance(stack.guild.id, v.userId)).toBe(200);
    expect(await stack.run(`/points give user:@${v.username} amount:50 reason:"great clip"`)).toContain('balance now 250');
    expect(await stack.run(`/points take user:${v.username} amount:1000`)).toContain('has only 250 points');
    expect(await stack.run(`/points take user:${v.username} amount:30`)).toContain('balance now 220');
    expect(await stack.run(`/points set user:${v.username} amount:5`)).toContain('balance now 5');
    expect(await balance(stack.guild.id, v.userId)).toBe(5);
    expect(await stack.run('/points show user:never_seen_anyone')).toContain("I don't know a Kick viewer named");
    const admin = await stack.db.prisma.pointsLedger.findMany({ where: { guildId: stack.guild.id, kickUserId: v.userId, kind: 'admin', idempotencyKey: { startsWith: 'admin:' } } });
    expect(admin.map((r) => r.points)).toEqual([50, -30, -215]);
    expect(admin.every((r) => r.actorDiscordId === stack.moderatorId)).toBe(true);
  });

  it('/leaderboard pages with previous/next buttons; /watchtime for everyone', async () => {
    const record = await stack.invoke('/leaderboard', { as: 'member' });
    const first = await stack.discord.waitForInteractionResponse(record, undefined, 10_000);
    const text = responseText(first.data);
    expect(text).toContain('1.** lb_viewer11 — 1,200 points');
    expect(text).toContain('**10.**');
    expect(text).not.toContain('**11.**');
    const click = await stack.discord.clickButton({ id: first.messageId!, channelId: record.channelId }, 'lb:points:2', stack.memberId);
    const second = await stack.discord.waitForInteractionResponse(click, undefined, 10_000);
    expect(responseText(second.data)).toMatch(/\*\*11\.\*\* .*\n\*\*12\.\*\*/);
    expect(responseText(second.data)).not.toContain('**10.**');
    expect(await stack.run('/leaderboard by:watchtime', { as: 'member' })).toContain('1.** lb_viewer11 — 12m');
    expect(await stack.run(`/watchtime user:${viewers[11]!.username}`, { as: 'member' })).toMatch(/12m[\s\S]*Rank #1 by watchtime/);
  });

  it('answers settings, custom commands and points changes only to the moderator who ran them (ephemeral)', async () => {
    const v = stack.createViewer('ephemeral_viewer');
    await stack.kick.sendChat(stack.streamer.userId, v.userId, 'hi');
    await stack.drain();
    for (const line of ['/loyalty settings', '/command add name:ephemeraltest response:"hello"', '/command list', '/command remove name:ephemeraltest', `/points give user:${v.username} amount:5`]) {
      const record = await stack.invoke(line);
      const response = await stack.discord.waitForInteractionResponse(record, (r) => r.kind !== 'callback' || (r.type !== 5 && r.type !== 6), 10_000);
      expect(response.ephemeral, line).toBe(true);
    }
  });

  it('/loyalty settings shows, validates with clear errors, and changes settings', async () => {
    expect(await stack.run('/loyalty settings')).toContain('Activity window: 5 min');
    const bad = await stack.run('/loyalty settings sub_multiplier:1.333 prefix:ab');
    expect(bad).toContain('Nothing was changed');
    expect(bad).toContain('at most 2 decimals');
    expect(bad).toContain('Prefix "ab" may not contain letters');
    const ok = await stack.run('/loyalty settings window:10 rate:5 follow_bonus:50 exclude:"@SomeBot, other_alt" prefix:?');
    expect(ok).toContain('Updated');
    expect(ok).toContain('somebot, other_alt');
    const s = await stack.db.prisma.guildSettings.findUnique({ where: { guildId: stack.guild.id } });
    expect(s).toMatchObject({ activityWindowMinutes: 10, pointsPerMinute: 5, followBonus: 50, commandPrefix: '?', excludedUsernames: ['somebot', 'other_alt'] });
    expect(await stack.run('/loyalty settings include:somebot prefix:!')).toContain('other_alt');
    // Each change is in the guild's audit log: who, from Discord, what from and to; a refused change is not.
    const audit = await stack.db.prisma.auditLogEntry.findMany({ where: { guildId: stack.guild.id, action: 'loyalty.settings' }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((e) => [e.actorId, e.actorName, e.source])).toEqual([
      [stack.moderatorId, 'mod', 'discord'],
      [stack.moderatorId, 'mod', 'discord'],
    ]);
    expect(audit[0]?.detail).toMatchObject({ activityWindowMinutes: { from: 5, to: 10 }, pointsPerMinute: { from: 1, to: 5 }, commandPrefix: { from: '!', to: '?' } });
    expect(audit[1]?.detail).toEqual({ excludedUsernames: { from: ['somebot', 'other_alt'], to: ['other_alt'] }, commandPrefix: { from: '?', to: '!' } });
  });

  it('/command add|edit|remove|list with template errors at add time, alias conflicts, and the command answered in Kick chat', async () => {
    const err = await stack.run('/command add name:socials response:"follow {usr} on {random}"');
    expect(err).toContain('Unknown variable {usr} at 7 — did you mean {user}?');
    expect(err).toContain('{random} at 16 needs options');
    expect(await stack.run('/command add name:points response:hi')).toContain('built-in command');
    expect(await stack.run('/command add name:socials response:"{user}: discord.gg/x ({count})" aliases:links,dc cooldown:0')).toContain('Added **!socials**');
    expect(await stack.run('/command add name:other response:x aliases:DC')).toContain('"dc" is already used by the command "socials"');
    expect(await stack.run('/command edit name:socials level:subscriber')).toContain('subscriber+');
    expect(await stack.run('/command list')).toContain('!socials');
    const fan = stack.createViewer('cmd_fan');
    const denied = await stack.kick.sendChat(stack.streamer.userId, fan.userId, '!links');
    const allowed = await stack.kick.sendChat(stack.streamer.userId, fan.userId, '!dc', { badges: [{ text: 'Subscriber', type: 'subscriber' }] });
    const reply = await stack.kick.waitForChat(stack.streamer.userId, (m) => m.replyToMessageId === allowed.messageId, 15_000);
    expect(reply.content).toBe('cmd_fan: discord.gg/x (1)');
    await stack.drain();
    expect(stack.kick.chatLog(stack.streamer.userId).some((m) => m.replyToMessageId === denied.messageId)).toBe(false);
    expect(await stack.run('/command remove name:socials')).toContain('Removed');
    expect(await stack.run('/command remove name:socials')).toContain('no command named "socials"');
  });

  it('isolates tenants: a moderator of guild B sees and changes only guild B', async () => {
    const v = viewers[0]!;
    expect(await runIn(guildB, modB, `/points show user:${v.username}`, MANAGE_GUILD)).toContain('Points: 7 (rank #1)');
    expect(await stack.run(`/points show user:${v.username}`)).toContain('Points: 100');
    expect(await runIn(guildB, modB, `/points give user:${v.username} amount:3`, MANAGE_GUILD)).toContain('balance now 10');
    expect(await balance(stack.guild.id, v.userId)).toBe(100);
    // a viewer only known in guild A is not rankable in B's leaderboard; B's moderator cannot reach A's data
    const lb = await runIn(guildB, modB, '/leaderboard', 0n);
    expect(lb).toContain(v.username);
    expect(lb).not.toContain('lb_viewer11');
    expect(await runIn(guildB, modB, `/watchtime user:${viewers[11]!.username}`, 0n)).toContain('has no watchtime in this server');
    expect(await runIn(guildB, modB, '/command list', MANAGE_GUILD)).toContain('No custom commands');
    expect(await runIn(guildB, modB, '/loyalty settings', MANAGE_GUILD)).toContain('Points per minute: 1');
    await runIn(guildB, modB, '/loyalty settings rate:99', MANAGE_GUILD);
    expect((await stack.db.prisma.guildSettings.findUnique({ where: { guildId: stack.guild.id } }))?.pointsPerMinute).toBe(5);
    // server-side permission checks hold even when Discord's default permissions are bypassed
    expect(await runIn(guildB, '300000000000000009', '/loyalty settings rate:1', 0n)).toContain('for moderators');
    expect(await runIn(guildB, '300000000000000009', `/points set user:${v.username} amount:0`, 0n)).toContain('for moderators');
    expect(await runIn(guildB, '300000000000000009', '/command add name:x response:y', 0n)).toContain('for moderators');
    expect(await balance(guildB, v.userId)).toBe(10);
  });
  it('lets moderators give points to a viewer who has chatted but not yet earned a minute', async () => {
    const newcomer = stack.createViewer('fresh_chatter');
    await stack.kick.sendChat(stack.streamer.userId, newcomer.userId, 'first time here!');
    await stack.drain();
    // Chat queued the newcomer for the batched write (no statement per message); the moderator's command
    // writes the queue before it looks the name up, so it works at once, before any tick or flush ran.
    expect(await runIn(stack.guild.id, stack.moderatorId, '/points give user:fresh_chatter amount:25 reason:welcome', MANAGE_GUILD)).toContain('fresh_chatter');
    expect(await balance(stack.guild.id, newcomer.userId)).toBe(25);
    // Known to kickcord as a whole too (the directory imports fall back to).
    expect(await stack.db.prisma.kickViewer.findUnique({ where: { userId: newcomer.userId } })).toMatchObject({ username: 'fresh_chatter' });
  });

  it('autocompletes a viewer by the prefix typed, with `_` and `%` taken literally', async () => {
    await stack.db.prisma.viewerStats.createMany({
      data: [
        { guildId: stack.guild.id, kickUserId: 7_700_001, username: 'ac_under' },
        { guildId: stack.guild.id, kickUserId: 7_700_002, username: 'acxunder' },
        { guildId: stack.guild.id, kickUserId: 7_700_003, username: 'ac%pct' },
      ],
    });
    const suggest = async (typed: string) => {
      const asked = await stack.discord.invoke(stack.guild.id, stack.moderatorId, `/points show user:${typed}`, { type: 'autocomplete', permissions: MANAGE_GUILD, bypassCommandPermissions: true });
      const answer = await stack.discord.waitForInteractionResponse(asked, (r) => r.type === 8, 10_000);
      return ((answer.data as { choices?: { name: string }[] }).choices ?? []).map((c) => c.name).sort();
    };
    expect(await suggest('ac_')).toEqual(['ac_under']);
    expect(await suggest('ac%')).toEqual(['ac%pct']);
    expect(await suggest('AC')).toEqual(['ac%pct', 'ac_under', 'acxunder']);
  });
});
