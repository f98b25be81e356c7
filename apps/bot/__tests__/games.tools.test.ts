/**
 * Timed messages and points import/export at the service level (real Postgres, Redis, kick-sim chat).
 */
import { appendLedgerEntries } from '@kickcord/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelImport, confirmImport, exportPointsCsv, prepareImport } from '../src/features/loyalty/pointsTransfer.ts';
import { addTimer, countChatLine, linesSinceLastPost, listTimers, removeTimer, runDueTimers } from '../src/features/timers/timerService.ts';
import { startGamesStack, type GamesStack } from './helpers/gamesContext.ts';

let stack: GamesStack;
beforeAll(async () => {
  stack = await startGamesStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

let seq = 0;
function botChat(streamerId: number): string[] {
  return stack.sim.chatLog(streamerId).filter((m) => m.type === 'bot').map((m) => m.content);
}
async function lines(streamerId: number, viewer: { userId: number }, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await stack.sim.sendChat(streamerId, viewer.userId, `hello ${i}`);
  expect(stack.failures).toEqual([]);
}
async function setLive(broadcasterUserId: number, isLive: boolean): Promise<void> {
  await stack.db.prisma.kickChannel.update({ where: { broadcasterUserId }, data: { isLive } });
}
async function ledgerState(guildId: string) {
  const [ledger, stats] = await Promise.all([
    stack.db.prisma.pointsLedger.count({ where: { guildId } }),
    stack.db.prisma.viewerStats.findMany({ where: { guildId }, orderBy: { kickUserId: 'asc' }, select: { kickUserId: true, points: true, activeMinutes: true } }),
  ]);
  return { ledger, stats };
}

describe('timed messages', () => {
  it('post only while live, after the interval and enough chat lines — once even with two workers ticking', async () => {
    const { guildId, streamer } = await stack.addOwnerGuild('timers');
    const viewer = stack.viewer(`chatter${++seq}`);
    await lines(streamer.userId, viewer, 1); // before the timer exists: does not count
    const timer = await addTimer(stack.ctx, { guildId, message: 'Follow the socials!', intervalMinutes: 10, minChatLines: 3 });
    expect(timer.name).toBe('timer-1');
    expect(await linesSinceLastPost(stack.ctx, guildId, timer.id)).toBe(0);
    const workers = [stack.ctx, await stack.newContext()];
    const tickBoth = async () => (await Promise.all(workers.map((w) => runDueTimers(w)))).flat().filter((id) => id === timer.id).length;

    await lines(streamer.userId, viewer, 3);
    expect(await tickBoth()).toBe(0); // offline
    await setLive(streamer.userId, true);
    expect(await tickBoth()).toBe(1);
    expect(botChat(streamer.userId).filter((m) => m === 'Follow the socials!')).toHaveLength(1);

    // Right after a post: neither the interval nor the lines are there.
    await lines(streamer.userId, viewer, 3);
    stack.clock.advance(5 * 60_000);
    expect(await tickBoth()).toBe(0);
    // Interval passed but too few lines since the post… then enough lines.
    stack.clock.advance(5 * 60_000);
    const quiet = await addTimer(stack.ctx, { guildId, name: 'quiet', message: 'Only when chat is busy', intervalMinutes: 10, minChatLines: 50 });
    expect(await tickBoth()).toBe(1);
    expect(botChat(streamer.userId).filter((m) => m === 'Follow the socials!')).toHaveLength(2);
    expect(botChat(streamer.userId)).not.toContain(quiet.message);
    stack.clock.advance(10 * 60_000);
    expect(await tickBoth()).toBe(0); // no chat since the last post
    await setLive(streamer.userId, false);
    await lines(streamer.userId, viewer, 3);
    expect(await tickBoth()).toBe(0); // offline again
    expect(stack.sim.chatLog(streamer.userId).filter((m) => m.content === 'Follow the socials!')).toHaveLength(2);
  });

  it('counts a chat line once per Kick message id (retried jobs)', async () => {
    const { guildId } = await stack.addOwnerGuild('lines');
    const timer = await addTimer(stack.ctx, { guildId, message: 'hi', intervalMinutes: 5 });
    await countChatLine(stack.ctx, guildId, 'm1');
    await countChatLine(stack.ctx, guildId, 'm1');
    await countChatLine(stack.ctx, guildId, 'm2');
    expect(await linesSinceLastPost(stack.ctx, guildId, timer.id)).toBe(2);
  });

  it('refuses viewer variables when a timer is saved and fills the stream variables when it posts', async () => {
    const { guildId, streamer } = await stack.addOwnerGuild('timervars');
    await expect(addTimer(stack.ctx, { guildId, message: 'Welcome {user}! You have {points} points.', intervalMinutes: 5 })).rejects.toThrow(
      /\{user\} at 8 makes no sense in a timer[\s\S]*timers can use: \{uptime\}, \{title\}, \{category\}, \{random:a\|b\}[\s\S]*\{points\} at 25/u,
    );
    expect(await listTimers(stack.ctx, guildId)).toEqual([]);
    await addTimer(stack.ctx, { guildId, message: 'Now: {title} ({category}), live for {uptime} — {random:hi|hi}!', intervalMinutes: 5 });
    await stack.db.prisma.streamSession.create({
      data: { broadcasterUserId: streamer.userId, openBroadcasterUserId: streamer.userId, startedAt: new Date(stack.clock.now().getTime() - 65 * 60_000), title: 'Slots night', categoryName: 'Slots & Casino' },
    });
    expect(await runDueTimers(stack.ctx)).toHaveLength(1);
    expect(botChat(streamer.userId)).toEqual(['Now: Slots night (Slots & Casino), live for 1h 05m — hi!']);
  });

  it('validates, names, lists and removes timers', async () => {
    const { guildId } = await stack.addOwnerGuild('timerlist');
    await expect(addTimer(stack.ctx, { guildId, message: '  ', intervalMinutes: 0 })).rejects.toThrow(/empty[\s\S]*Interval/);
    await addTimer(stack.ctx, { guildId, message: 'a', intervalMinutes: 5 });
    await addTimer(stack.ctx, { guildId, name: 'Promo', message: 'b', intervalMinutes: 15, minChatLines: 10 });
    await expect(addTimer(stack.ctx, { guildId, name: 'promo', message: 'c', intervalMinutes: 5 })).rejects.toThrow(/already exists/);
    expect((await listTimers(stack.ctx, guildId)).map((t) => t.name)).toEqual(['promo', 'timer-1']);
    await removeTimer(stack.ctx, { guildId, name: 'PROMO' });
    await expect(removeTimer(stack.ctx, { guildId, name: 'promo' })).rejects.toThrow(/no timer named/);
    expect((await listTimers(stack.ctx, guildId)).map((t) => t.name)).toEqual(['timer-1']);
  });
});

describe('points import/export', () => {
  it('exports kickcord CSV and imports it back into another guild; a re-import changes nothing', async () => {
    const source = await stack.addOwnerGuild('export');
    const target = await stack.addOwnerGuild('import');
    const [a, b] = [stack.viewer(`exp${++seq}`), stack.viewer(`exp${++seq}`)];
    await appendLedgerEntries(stack.db.prisma, [
      { guildId: source.guildId, kickUserId: a.userId, username: a.username, kind: 'admin', points: 120, minutes: 30, idempotencyKey: 'seed:a' },
      { guildId: source.guildId, kickUserId: b.userId, username: b.username, kind: 'admin', points: 7, minutes: 0, idempotencyKey: 'seed:b' },
    ]);
    const exported = await exportPointsCsv(stack.ctx, source.guildId);
    expect(exported.rows).toBe(2);
    expect(exported.csv).toBe(`kick_user_id,username,points,active_minutes\r\n${a.userId},${a.username},120,30\r\n${b.userId},${b.username},7,0\r\n`);

    const dry = await prepareImport(stack.ctx, { guildId: target.guildId, importId: 'i-1', csvText: exported.csv });
    expect(dry).toMatchObject({ ok: true, format: 'kickcord', rows: 2, toImport: 2, points: 127, minutes: 30, alreadyImported: 0, unmatched: [] });
    expect((await ledgerState(target.guildId)).ledger).toBe(0); // a dry run changes nothing
    expect(await confirmImport(stack.ctx, { guildId: target.guildId, importId: 'i-1', actorDiscordId: '1' })).toMatchObject({ inserted: 2, skipped: 0 });
    const after = await ledgerState(target.guildId);
    expect(after.stats).toEqual(
      [
        { kickUserId: a.userId, points: 120, activeMinutes: 30 },
        { kickUserId: b.userId, points: 7, activeMinutes: 0 },
      ].sort((x, y) => x.kickUserId - y.kickUserId),
    );
    await expect(confirmImport(stack.ctx, { guildId: target.guildId, importId: 'i-1', actorDiscordId: '1' })).rejects.toThrow(/expired or was already handled/);

    // The same file again (rows reordered, different line ends): nothing to import, nothing changes.
    const reordered = exported.csv.split('\r\n').filter(Boolean);
    const again = await prepareImport(stack.ctx, { guildId: target.guildId, importId: 'i-2', csvText: [reordered[0], reordered[2], reordered[1]].join('\n') });
    expect(again).toMatchObject({ ok: true, toImport: 0, alreadyImported: 2 });
    expect(await confirmImport(stack.ctx, { guildId: target.guildId, importId: 'i-2', actorDiscordId: '1' })).toMatchObject({ inserted: 0, skipped: 2 });
    expect(await ledgerState(target.guildId)).toEqual(after);
    // Another guild cannot apply this guild's prepared import.
    await prepareImport(stack.ctx, { guildId: target.guildId, importId: 'i-3', csvText: exported.csv });
    await expect(confirmImport(stack.ctx, { guildId: source.guildId, importId: 'i-3', actorDiscordId: '1' })).rejects.toThrow(/another server/);
    expect(await cancelImport(stack.ctx, { guildId: target.guildId, importId: 'i-3' })).toBe(true);
  });

  it('imports StreamElements, Streamlabs Chatbot and BotRix files by username; unknown usernames are listed and skipped', async () => {
    const { guildId } = await stack.addOwnerGuild('formats');
    const known = stack.viewer(`Known${++seq}`);
    const seen = stack.viewer(`Seen${++seq}`);
    await appendLedgerEntries(stack.db.prisma, [{ guildId, kickUserId: known.userId, username: known.username, kind: 'watch', points: 1, minutes: 1, idempotencyKey: 'seed:known' }]);
    await stack.db.prisma.kickViewer.create({ data: { userId: seen.userId, username: seen.username } });

    const files = [
      { csv: `username,points,alltime\n${known.username.toLowerCase()},100,500\nnobody_here,5,5\n`, format: 'streamelements', points: 100, minutes: 0 },
      { csv: `Name,Rank,Points,Hours\r\n${known.username.toUpperCase()},Regular,40,2.5\r\n${seen.username},Viewer,10,0\r\n`, format: 'streamlabs-chatbot', points: 50, minutes: 150 },
      { csv: `Username;Points;Watchtime\n@${seen.username};3;45\n`, format: 'botrix', points: 3, minutes: 45 },
    ] as const;
    let id = 0;
    for (const f of files) {
      const dry = await prepareImport(stack.ctx, { guildId, importId: `fmt-${++id}`, csvText: f.csv });
      expect(dry).toMatchObject({ ok: true, format: f.format, points: f.points, minutes: f.minutes });
      if (dry.ok && f.format === 'streamelements') expect(dry.unmatched).toEqual([{ line: 3, username: 'nobody_here' }]);
      await confirmImport(stack.ctx, { guildId, importId: `fmt-${id}`, actorDiscordId: '1' });
    }
    const stats = await stack.db.prisma.viewerStats.findMany({ where: { guildId }, orderBy: { kickUserId: 'asc' } });
    expect(stats.map((s) => [s.kickUserId, s.points, s.activeMinutes])).toEqual(
      [
        [known.userId, 1 + 100 + 40, 1 + 150],
        [seen.userId, 10 + 3, 45],
      ].sort((x, y) => (x[0] ?? 0) - (y[0] ?? 0)),
    );
    const kinds = await stack.db.prisma.pointsLedger.groupBy({ by: ['kind'], where: { guildId }, _count: { _all: true } });
    expect(kinds.find((k) => k.kind === 'import')?._count._all).toBe(4);
  });

  it('refuses a malformed file: every bad line listed, nothing stored or applied', async () => {
    const { guildId } = await stack.addOwnerGuild('malformed');
    const before = await ledgerState(guildId);
    const dry = await prepareImport(stack.ctx, { guildId, importId: 'bad-1', csvText: 'username,points\nalice,10\nbob,lots\n,4\nalice,1\n' });
    expect(dry.ok).toBe(false);
    if (!dry.ok) expect(dry.errors.map((e) => e.line)).toEqual([3, 4, 5]);
    await expect(confirmImport(stack.ctx, { guildId, importId: 'bad-1', actorDiscordId: '1' })).rejects.toThrow(/expired/);
    expect(await prepareImport(stack.ctx, { guildId, importId: 'bad-2', csvText: 'who,what\n1,2\n' })).toMatchObject({ ok: false, errors: [{ line: 1 }] });
    expect(await ledgerState(guildId)).toEqual(before);
  });
});
