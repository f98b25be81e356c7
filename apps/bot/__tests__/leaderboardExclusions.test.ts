/**
 * The leaderboard exclude list against real Postgres/Redis and kick-sim: Kick bans and timeouts (delivered as signed
 * `moderation.banned` webhooks) and moderators' entries keep viewers off `/leaderboard` and `!top`; points stay.
 */
import { appendLedgerEntries } from '@kickcord/db';
import { waitFor } from '@kickcord/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderLeaderboard } from '../src/features/leaderboard/leaderboardCommand.ts';
import { excludeViewer, includeViewer } from '../src/features/leaderboard/leaderboardExcludeActions.ts';
import { excludeFromLeaderboard, includeInLeaderboard, listLeaderboardExclusions } from '../src/features/leaderboard/leaderboardExclusions.ts';
import { runGuildAction } from '../src/guildActions/guildActionsProcessor.ts';
import { UserFacingError } from '../src/UserFacingError.ts';
import { startServiceStack, type ServiceStack } from './helpers/serviceStack.ts';

let stack: ServiceStack;
beforeAll(async () => {
  stack = await startServiceStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

let seq = 0;
async function fund(guildId: string, viewer: { userId: number; username: string }, points: number): Promise<void> {
  await appendLedgerEntries(stack.db.prisma, [{ guildId, kickUserId: viewer.userId, username: viewer.username, kind: 'admin', points, idempotencyKey: `lb-fund:${++seq}` }]);
}
async function ranked(guildId: string): Promise<string[]> {
  const page = await renderLeaderboard(stack.ctx, guildId, 'points', 1);
  const text = page.embeds[0]?.data.description ?? '';
  return [...text.matchAll(/\*\*\d+\.\*\* (\S+) —/gu)].map((m) => m[1] ?? '');
}
function botChat(streamerId: number): string[] {
  return stack.sim.chatLog(streamerId).filter((m) => m.type === 'bot').map((m) => m.content);
}

describe('leaderboard exclude list', () => {
  it('a Kick ban excludes for good, a timeout until it ends, a moderator adds and removes; points are kept', async () => {
    const { guildId, streamer } = await stack.addOwnerGuild('lbx');
    const [ann, ben, cat, dan] = [stack.viewer(`ann${++seq}`), stack.viewer(`ben${++seq}`), stack.viewer(`cat${++seq}`), stack.viewer(`dan${++seq}`)];
    await fund(guildId, ann, 400);
    await fund(guildId, ben, 300);
    await fund(guildId, cat, 200);
    await fund(guildId, dan, 100);
    expect(await ranked(guildId)).toEqual([ann.username, ben.username, cat.username, dan.username]);

    const at = stack.clock.now();
    await stack.sim.ban(streamer.userId, ann.userId, { reason: 'spam', at });
    await stack.sim.ban(streamer.userId, ben.userId, { durationMinutes: 10, at });
    expect(stack.failures).toEqual([]);
    await waitFor(async () => (await stack.db.prisma.leaderboardExclusion.count({ where: { guildId } })) === 2, { description: 'ban exclusions' });
    expect(await ranked(guildId)).toEqual([cat.username, dan.username]);
    expect((await stack.db.prisma.viewerStats.findUniqueOrThrow({ where: { guildId_kickUserId: { guildId, kickUserId: ann.userId } } })).points).toBe(400);

    // !top leaves them out too.
    await stack.sim.sendChat(streamer.userId, dan.userId, '!top');
    await waitFor(() => botChat(streamer.userId).some((m) => m.startsWith('Top points:')), { description: '!top reply' });
    const top = botChat(streamer.userId).find((m) => m.startsWith('Top points:')) ?? '';
    expect(top).toContain(`1. ${cat.username}`);
    expect(top).not.toContain(ann.username);
    expect(top).not.toContain(ben.username);

    // A moderator's entry; an unknown name is refused and stores nothing.
    await excludeFromLeaderboard(stack.ctx, { guildId, username: `@${cat.username.toUpperCase()}`, reason: 'alt account' });
    await expect(excludeFromLeaderboard(stack.ctx, { guildId, username: 'nobody_like_this' })).rejects.toThrow(UserFacingError);
    expect((await listLeaderboardExclusions(stack.ctx, guildId)).map((e) => [e.username, e.source, e.expiresAt === null])).toEqual([
      [ann.username, 'ban', true],
      [ben.username, 'ban', false],
      [cat.username, 'moderator', true],
    ]);
    expect(await ranked(guildId)).toEqual([dan.username]);

    // A later timeout never shortens a moderator's entry; the timeout ends on its own.
    await stack.sim.ban(streamer.userId, cat.userId, { durationMinutes: 1, at: new Date(at.getTime() + 1000) });
    stack.clock.advance(11 * 60_000);
    expect(await ranked(guildId)).toEqual([ben.username, dan.username]);

    // Removing puts the viewer back; removing again says so.
    expect((await includeInLeaderboard(stack.ctx, { guildId, username: ann.username })).source).toBe('ban');
    await expect(includeInLeaderboard(stack.ctx, { guildId, username: ann.username })).rejects.toThrow(/not on the leaderboard exclude list/);
    expect(await ranked(guildId)).toEqual([ann.username, ben.username, dan.username]);
    expect(stack.failures).toEqual([]);
  });

  it('the leaderboard.exclude / leaderboard.include actions: by Kick user id only among the server\'s viewers, audited once per change', async () => {
    const { guildId } = await stack.addOwnerGuild('lbxa');
    const { guildId: otherGuildId } = await stack.addOwnerGuild('lbxb');
    const [eve, fay] = [stack.viewer(`eve${++seq}`), stack.viewer(`fay${++seq}`)];
    await fund(guildId, eve, 50);
    await fund(otherGuildId, fay, 50);
    const call = (requestId: string) => ({ guildId, actor: { id: '300000000000000009', name: 'lb_mod' }, source: 'dashboard' as const, requestId });
    const audits = () => stack.db.prisma.auditLogEntry.findMany({ where: { guildId, action: { in: ['leaderboard.exclude', 'leaderboard.include'] } }, orderBy: { createdAt: 'asc' } });

    const outcome = await runGuildAction(stack.ctx, excludeViewer, call('lbxa-1'), { kickUserId: eve.userId, reason: ' alt ' });
    expect(outcome.message).toBe(`**${eve.username}** is off the leaderboards until you run \`/leaderboard-exclude remove\`. Their points and watchtime are kept.`);
    // The same exclusion again changes nothing and is not audited again.
    await runGuildAction(stack.ctx, excludeViewer, call('lbxa-2'), { kickUserId: eve.userId, reason: 'alt' });
    expect((await audits()).map((a) => [a.action, a.source, a.detail])).toEqual([['leaderboard.exclude', 'dashboard', { viewer: eve.username, kickUserId: eve.userId, reason: 'alt' }]]);

    // Another server's viewer, by id: refused, nothing stored here or there.
    await expect(runGuildAction(stack.ctx, excludeViewer, call('lbxa-3'), { kickUserId: fay.userId })).rejects.toThrow("I don't know that Kick viewer in this server");
    expect(await stack.db.prisma.leaderboardExclusion.count({ where: { kickUserId: fay.userId } })).toBe(0);
    await expect(runGuildAction(stack.ctx, excludeViewer, call('lbxa-4'), {})).rejects.toThrow('Name the viewer by their Kick username.');

    expect((await runGuildAction(stack.ctx, includeViewer, call('lbxa-5'), { kickUserId: eve.userId })).message).toBe(`**${eve.username}** is back on the leaderboards.`);
    await expect(runGuildAction(stack.ctx, includeViewer, call('lbxa-6'), { kickUserId: eve.userId })).rejects.toThrow('That viewer is not on the leaderboard exclude list.');
    expect((await audits()).map((a) => a.action)).toEqual(['leaderboard.exclude', 'leaderboard.include']);
    expect((await audits())[1]?.detail).toMatchObject({ was: 'added by a moderator: alt' });
  });
});
