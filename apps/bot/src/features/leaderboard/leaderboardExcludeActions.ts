/**
 * The leaderboard exclude list's changes, shared by `/leaderboard-exclude add|remove` and the dashboard's Viewers page:
 * a moderator keeps a viewer off the leaderboards (with a reason), or puts them back.
 */
import { z } from 'zod';
import { auditAction, defineGuildAction } from '../../guildActions/GuildAction.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { excludeFromLeaderboard, includeInLeaderboard, type ExclusionViewerRef, type LeaderboardExclusionEntry } from './leaderboardExclusions.ts';

const viewerFields = {
  /** The viewer by Kick user id: only a viewer with points or watch time in this server (the dashboard). */
  kickUserId: z.number({ error: 'That is not a Kick viewer id.' }).int('That is not a Kick viewer id.').positive('That is not a Kick viewer id.').max(2_147_483_647, 'That is not a Kick viewer id.').optional(),
  /** The viewer by Kick username (the slash command). */
  username: z.string().max(100, 'A Kick username is at most 64 characters.').optional(),
};

/** The viewer the input names, by id or by username; refused when it names neither. */
function viewerRef(guildId: string, input: { kickUserId?: number | undefined; username?: string | undefined }): ExclusionViewerRef {
  if (input.kickUserId !== undefined) return { guildId, kickUserId: input.kickUserId };
  const username = (input.username ?? '').trim();
  if (!username) throw new UserFacingError('Name the viewer by their Kick username.');
  return { guildId, username };
}

/** How an entry came about, in words: a Kick ban, a Kick timeout, or a moderator. */
export function describeExclusionSource(entry: Pick<LeaderboardExclusionEntry, 'source' | 'expiresAt'>): string {
  return entry.source === 'ban' ? (entry.expiresAt ? 'Kick timeout' : 'Kick ban') : 'added by a moderator';
}

/** `/leaderboard-exclude add`, and "Exclude from the leaderboard" on a viewer's dashboard page. */
export const excludeViewer = defineGuildAction({
  name: 'leaderboard.exclude',
  input: z.object({ ...viewerFields, reason: z.string().max(2000, 'The reason is too long.').nullable().optional() }),
  async run(ctx, call, input) {
    const entry = await excludeFromLeaderboard(ctx, { ...viewerRef(call.guildId, input), reason: input.reason ?? null });
    const { before } = entry;
    const changed = !before || before.source !== 'moderator' || before.reason !== entry.reason || before.expiresAt !== null;
    if (changed) {
      await auditAction(ctx, call, 'leaderboard.exclude', {
        viewer: entry.username,
        kickUserId: entry.kickUserId,
        reason: entry.reason,
        ...(before ? { was: `${describeExclusionSource(before)}${before.reason ? `: ${before.reason}` : ''}` } : {}),
      });
    }
    return {
      message: `**${entry.username}** is off the leaderboards until you run \`/leaderboard-exclude remove\`. Their points and watchtime are kept.`,
      data: { kickUserId: entry.kickUserId, username: entry.username },
    };
  },
});

/** `/leaderboard-exclude remove`, and the Remove button of the dashboard's exclude list. */
export const includeViewer = defineGuildAction({
  name: 'leaderboard.include',
  input: z.object(viewerFields),
  async run(ctx, call, input) {
    const entry = await includeInLeaderboard(ctx, viewerRef(call.guildId, input));
    await auditAction(ctx, call, 'leaderboard.include', { viewer: entry.username, kickUserId: entry.kickUserId, was: `${describeExclusionSource(entry)}${entry.reason ? `: ${entry.reason}` : ''}` });
    return { message: `**${entry.username}** is back on the leaderboards.`, data: { kickUserId: entry.kickUserId, username: entry.username } };
  },
});

/** Every leaderboard exclude list action. */
export const leaderboardExcludeActions = [excludeViewer, includeViewer] as const;
