/**
 * The leaderboard exclude list against real Postgres/Redis and kick-sim: Kick bans and timeouts (delivered as signed
 * `moderation.banned` webhooks) and moderators' entries keep viewers off `/leaderboard` and `!top`; points stay.
 */
import { appendLedgerEntries } from '@kickcord/db';
import { waitFor } from '@kickcord/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderLeaderboard } from '../src/features/leaderboard/leaderboardCommand.ts';
import { excludeFromLeaderboard, includeInLeaderboard, listLeaderboardExclusions } from '../src/features/leaderboard/leaderboardExclusions.ts';
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
});
