/**
 * Ranks and wording against real Postgres/Redis and kick-sim chat: ties share a rank (standard competition ranking)
 * in every place ranks are shown, viewers on the leaderboard exclude list are not counted, "1 point" is singular,
 * settings replies name settings in words, a ledger reason is human, a refused !gtb guess gives one hint, an offline
 * announcement never claims an absurd uptime, and a timer saved with {user} before variables were checked is skipped.
 */
import { appendLedgerEntries } from '@kickcord/db';
import { parseKickEvent, samplePayloads } from '@kickcord/kick';
import { waitFor } from '@kickcord/queue';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotContext } from '../src/context.ts';
import { describeEvent, UNKNOWN_STREAM_LENGTH } from '../src/features/announcements/describeEvent.ts';
import { startGtbRound } from '../src/features/guessTheBalance/gtbService.ts';
import { startRaffle } from '../src/features/raffles/raffleService.ts';
import { renderLeaderboard } from '../src/features/leaderboard/leaderboardCommand.ts';
import { excludeFromLeaderboard } from '../src/features/leaderboard/leaderboardExclusions.ts';
import { leaderboardRank, rankedLeaderboardPage } from '../src/features/leaderboard/leaderboardRanks.ts';
import { describeUpdatedSettings } from '../src/features/loyalty/loyaltyCommand.ts';
import { defaultChangeReason } from '../src/features/loyalty/pointsCommand.ts';
import { runDueTimers, timerMessageProblem } from '../src/features/timers/timerService.ts';
import { startServiceStack, type ServiceStack } from './helpers/serviceStack.ts';

let stack: ServiceStack;
beforeAll(async () => {
  stack = await startServiceStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

let seq = 0;
async function fund(guildId: string, viewer: { userId: number; username: string }, points: number, minutes = 0): Promise<void> {
  await appendLedgerEntries(stack.db.prisma, [{ guildId, kickUserId: viewer.userId, username: viewer.username, kind: 'admin', points, minutes, idempotencyKey: `rw-fund:${++seq}` }]);
}
function botChat(streamerId: number): string[] {
  return stack.sim.chatLog(streamerId).filter((m) => m.type === 'bot').map((m) => m.content);
}
async function ask(streamerId: number, viewer: { userId: number }, content: string): Promise<string> {
  const sent = await stack.sim.sendChat(streamerId, viewer.userId, content);
  expect(stack.failures).toEqual([]);
  const reply = await waitFor(() => stack.sim.chatLog(streamerId).find((m) => m.type === 'bot' && m.replyToMessageId === sent.messageId), { description: `a reply to ${content}` });
  return reply.content;
}
async function boardLines(guildId: string, page = 1): Promise<string[]> {
  const rendered = await renderLeaderboard(stack.ctx, guildId, 'points', page);
  return (rendered.embeds[0]?.data.description ?? '').split('\n');
}

describe('ranks', () => {
  it('ties share a rank ("1, 2, 2, 4") on /leaderboard, !top, !points and the rank lookups, and excluded viewers are not counted', async () => {
    const { guildId, streamer } = await stack.addOwnerGuild('ranks');
    const [top, tieA, tieB, fourth, banned] = ['rtop', 'rtiea', 'rtieb', 'rfourth', 'rbanned'].map((n) => stack.viewer(`${n}${++seq}`)) as [
      { userId: number; username: string },
      { userId: number; username: string },
      { userId: number; username: string },
      { userId: number; username: string },
      { userId: number; username: string },
    ];
    await fund(guildId, banned, 1000, 500);
    await fund(guildId, top, 500, 40);
    await fund(guildId, tieA, 300, 30);
    await fund(guildId, tieB, 300, 30);
    await fund(guildId, fourth, 1, 1);
    await excludeFromLeaderboard(stack.ctx, { guildId, username: banned.username, reason: 'alt account' });

    expect(await boardLines(guildId)).toEqual([
      `**1.** ${top.username} — 500 points`,
      `**2.** ${tieA.username} — 300 points`,
      `**2.** ${tieB.username} — 300 points`,
      `**4.** ${fourth.username} — 1 point`,
    ]);
    const stats = (kickUserId: number) => stack.db.prisma.viewerStats.findUniqueOrThrow({ where: { guildId_kickUserId: { guildId, kickUserId } } });
    expect(await leaderboardRank(stack.ctx, guildId, await stats(top.userId), 'points')).toBe(1); // the excluded 1000 is not ahead
    expect(await leaderboardRank(stack.ctx, guildId, await stats(tieB.userId), 'points')).toBe(2);
    expect(await leaderboardRank(stack.ctx, guildId, await stats(fourth.userId), 'watchtime')).toBe(4);
    expect(await leaderboardRank(stack.ctx, guildId, await stats(banned.userId), 'points')).toBeNull();

    expect(await ask(streamer.userId, tieB, '!points')).toBe(`@${tieB.username} you have 300 points (rank #2).`);
    expect(await ask(streamer.userId, fourth, '!points')).toBe(`@${fourth.username} you have 1 point (rank #4).`);
    expect(await ask(streamer.userId, tieA, `!points ${banned.username}`)).toBe(`@${tieA.username} ${banned.username} has 1,000 points (not ranked: on the leaderboard exclude list).`);
    expect(await ask(streamer.userId, top, '!top')).toBe(`Top points: 1. ${top.username} 500 · 2. ${tieA.username} 300 · 2. ${tieB.username} 300 · 4. ${fourth.username} 1`);
  });

  it('keeps a tie across a page boundary at the earlier rank on the next page', async () => {
    const { guildId } = await stack.addOwnerGuild('rankpages');
    // 9 viewers with 100..900 points, then three tied at 50: rows 10, 11 and 12 all rank 10, across pages 1 and 2.
    for (let i = 9; i >= 1; i--) await fund(guildId, stack.viewer(`rp${i}x${++seq}`), i * 100);
    for (let i = 0; i < 3; i++) await fund(guildId, stack.viewer(`rptie${i}x${++seq}`), 50);
    const first = await rankedLeaderboardPage(stack.ctx, guildId, 'points', 1, 10);
    const second = await rankedLeaderboardPage(stack.ctx, guildId, 'points', 2, 10);
    expect(first.rows.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(second.rows.map((r) => r.rank)).toEqual([10, 10]);
    expect(second.page).toMatchObject({ page: 2, pages: 2 });
    expect((await boardLines(guildId, 2)).map((l) => l.split(' ')[0])).toEqual(['**10.**', '**10.**']);
  });
});

describe('wording', () => {
  it('says "1 point" but "2 points" in chat replies', async () => {
    const { guildId, streamer } = await stack.addOwnerGuild('plural');
    const one = stack.viewer(`one${++seq}`);
    await fund(guildId, one, 1, 1);
    expect(await ask(streamer.userId, one, '!points')).toBe(`@${one.username} you have 1 point (rank #1).`);
    const other = stack.viewer(`other${++seq}`);
    await fund(guildId, one, 1);
    expect(await ask(streamer.userId, other, `!points ${one.username}`)).toBe(`@${other.username} ${one.username} has 2 points (rank #1).`);
  });

  it('announces a raffle that costs 1 point as "1 point"', async () => {
    const { guildId, streamer } = await stack.addOwnerGuild('rafflecost');
    await startRaffle(stack.ctx, { guildId, actorDiscordId: '300000000000000001', cost: 1 });
    await waitFor(() => botChat(streamer.userId).find((m) => m.startsWith('🎟️ Raffle started')), { description: 'the raffle announcement' });
    const announcement = botChat(streamer.userId).find((m) => m.startsWith('🎟️ Raffle started')) ?? '';
    expect(announcement).toContain('(costs 1 point)');
    expect(announcement).not.toContain('1 points');
  });

  it('names changed loyalty settings in words, never by column name', () => {
    const text = describeUpdatedSettings(['pointsPerMinute', 'giftBonusPerSub', 'kicksBonusPerUnit', 'commandPrefix', 'excludedUsernames']);
    expect(text).toBe('✅ Updated: points per minute, bonus per gifted sub, bonus per Kick, command prefix, excluded accounts.');
    expect(text).not.toMatch(/[a-z][A-Z]/u);
    expect(describeUpdatedSettings([])).toBe('');
  });

  it('records a change without a reason as made by the moderator, not as the command line', () => {
    expect(defaultChangeReason('give', 'mod_mia')).toBe('Given by @mod_mia');
    expect(defaultChangeReason('take', 'mod_mia')).toBe('Taken by @mod_mia');
    expect(defaultChangeReason('set', 'mod_mia')).toBe('Balance set by @mod_mia');
    expect(defaultChangeReason('give', 'mod_mia')).not.toContain('/points');
  });

  it('gives one hint when a !gtb guess cannot be read, and never quotes it', async () => {
    const { guildId, streamer } = await stack.addOwnerGuild('gtbhint');
    await startGtbRound(stack.ctx as BotContext, { guildId, actorDiscordId: '300000000000000001' });
    const guesser = stack.viewer(`guesser${++seq}`);
    for (const guess of ['banana', '12.3456', '1,23,456', '-5', '1,000.5.0', '99999999999999999']) {
      const reply = await ask(streamer.userId, guesser, `!gtb ${guess}`);
      expect(reply.match(/try /gu), reply).toHaveLength(1);
      expect(reply.match(/1,234\.50/gu), reply).toHaveLength(1);
      expect(reply, reply).not.toContain(guess);
      expect(reply).toMatch(new RegExp(`^@${guesser.username} that's not an amount I can read`, 'u'));
    }
  });

  it('never announces an absurd uptime for an offline event with a zero or epoch start', () => {
    const offline = (startedAt: string, endedAt: string) => {
      const parsed = parseKickEvent('livestream.status.updated', '1', { ...structuredClone(samplePayloads['livestream.status.updated']), is_live: false, started_at: startedAt, ended_at: endedAt });
      if (!parsed.ok) throw new Error('the sample did not parse');
      return describeEvent(parsed.event)?.values.uptime;
    };
    expect(offline('2026-12-06T10:00:00Z', '2026-12-06T12:15:00Z')).toBe('2h 15m');
    expect(offline('0001-01-01T00:00:00Z', '2026-12-06T12:15:00Z')).toBe(UNKNOWN_STREAM_LENGTH);
    expect(offline('1970-01-01T00:00:00Z', '2026-12-06T12:15:00Z')).toBe(UNKNOWN_STREAM_LENGTH);
    expect(offline('2025-01-01T11:00:00+11:00', '2026-12-06T12:15:00Z')).toBe(UNKNOWN_STREAM_LENGTH);
  });
});

describe('timers saved before variables were checked', () => {
  it('are skipped instead of posting {user} literally, logged once, and explained in /timer list', async () => {
    const { guildId, streamer } = await stack.addOwnerGuild('legacytimer');
    const logLines: string[] = [];
    const ctx: BotContext = { ...stack.ctx, logger: pino({ level: 'warn' }, { write: (line: string) => logLines.push(line) }) };
    // Written straight to the table, as a timer saved by an older version was.
    const legacy = await stack.db.prisma.timer.create({ data: { guildId, name: 'legacy', message: 'Welcome {user}! You have {points} points.', intervalMinutes: 1, minChatLines: 0, createdAt: stack.clock.now() } });
    const good = await stack.db.prisma.timer.create({ data: { guildId, name: 'good', message: 'Follow the socials!', intervalMinutes: 1, minChatLines: 0, createdAt: stack.clock.now() } });
    await stack.db.prisma.kickChannel.update({ where: { broadcasterUserId: streamer.userId }, data: { isLive: true } });

    expect(await runDueTimers(ctx)).toEqual([good.id]);
    stack.clock.advance(2 * 60_000);
    expect(await runDueTimers(ctx)).toEqual([good.id]);
    expect(botChat(streamer.userId)).toEqual(['Follow the socials!', 'Follow the socials!']);
    expect(botChat(streamer.userId).some((m) => m.includes('{'))).toBe(false);
    expect((await stack.db.prisma.timer.findUniqueOrThrow({ where: { id: legacy.id } })).lastPostedAt).toBeNull();

    const warnings = logLines.filter((l) => l.includes(legacy.id));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('{user}, {points}');

    const problem = timerMessageProblem(legacy.message);
    expect(problem).toMatch(/^not posted: it uses \{user\}, \{points\}, which a timer cannot fill/u);
    expect(problem).toContain('{uptime}, {title}, {category}, {random:a|b}');
    expect(timerMessageProblem(good.message)).toBeNull();
  });
});
