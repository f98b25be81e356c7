/**
 * The guild's leaderboard exclude list: viewers kept off `/leaderboard`, `!top` and ranks shown with them. A
 * moderator adds or removes a viewer by hand; Kick's `moderation.banned` event adds banned viewers (permanently) and
 * timed-out viewers (until the timeout ends). Points and watchtime are never touched.
 */
import type { PrismaClient } from '@kickcord/db';
import type { BotContext } from '../../context.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { resolveViewerNow } from '../../viewers/viewerStats.ts';

/** Longest reason kept with an exclusion, in characters. */
export const MAX_EXCLUSION_REASON_LENGTH = 200;

/** One entry of the exclude list. */
export interface LeaderboardExclusionEntry {
  kickUserId: number;
  username: string;
  /** `moderator` (by hand) or `ban` (Kick ban or timeout). */
  source: 'moderator' | 'ban';
  reason: string;
  /** End of a timeout; null until a moderator removes the entry. */
  expiresAt: Date | null;
}

function entryOf(row: { kickUserId: number; username: string; source: string; reason: string; expiresAt: Date | null }): LeaderboardExclusionEntry {
  return { kickUserId: row.kickUserId, username: row.username, source: row.source === 'ban' ? 'ban' : 'moderator', reason: row.reason, expiresAt: row.expiresAt };
}

/** Kick user ids excluded from the guild's leaderboards at `now` (entries whose timeout has ended are ignored). */
export async function excludedKickUserIds(prisma: PrismaClient, guildId: string, now: Date): Promise<number[]> {
  const rows = await prisma.leaderboardExclusion.findMany({
    where: { guildId, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    select: { kickUserId: true },
  });
  return rows.map((r) => r.kickUserId);
}

/** The guild's current exclude list, by username. */
export async function listLeaderboardExclusions(ctx: Pick<BotContext, 'prisma' | 'now'>, guildId: string): Promise<LeaderboardExclusionEntry[]> {
  const rows = await ctx.prisma.leaderboardExclusion.findMany({
    where: { guildId, OR: [{ expiresAt: null }, { expiresAt: { gt: ctx.now() } }] },
    orderBy: { username: 'asc' },
  });
  return rows.map(entryOf);
}

/** The viewer a moderator means: by Kick user id (this server's viewers only, as the dashboard names them) or by Kick username. */
export type ExclusionViewerRef = { guildId: string; kickUserId: number; username?: undefined } | { guildId: string; username: string; kickUserId?: undefined };

/** The refusal for a Kick user id that has no points or watch time in the guild. */
export const UNKNOWN_VIEWER_ID = "I don't know that Kick viewer in this server — they appear once they earn points or watchtime here.";

async function viewerToExclude(ctx: Pick<BotContext, 'prisma' | 'redis' | 'keys'>, input: ExclusionViewerRef): Promise<{ kickUserId: number; username: string }> {
  if (input.kickUserId !== undefined) {
    const stats = await ctx.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId: input.guildId, kickUserId: input.kickUserId } }, select: { kickUserId: true, username: true } });
    if (!stats) throw new UserFacingError(UNKNOWN_VIEWER_ID);
    return stats;
  }
  const viewer = await resolveViewerNow(ctx, input.guildId, input.username);
  if (!viewer) throw new UserFacingError(`No Kick viewer named "${input.username.trim()}" has been seen here. Check the spelling of their Kick username.`);
  return viewer;
}

/**
 * A moderator excludes a viewer (by Kick username, or by Kick user id among the guild's viewers) until removed.
 * Refused: an unknown viewer (nothing is stored) or a reason longer than {@link MAX_EXCLUSION_REASON_LENGTH}.
 * `before` is the entry the viewer had (null when they were on the leaderboards).
 */
export async function excludeFromLeaderboard(
  ctx: Pick<BotContext, 'prisma' | 'redis' | 'keys'>,
  input: ExclusionViewerRef & { reason?: string | null },
): Promise<LeaderboardExclusionEntry & { before: LeaderboardExclusionEntry | null }> {
  const reason = (input.reason ?? '').trim();
  if (reason.length > MAX_EXCLUSION_REASON_LENGTH) throw new UserFacingError(`The reason is ${reason.length} characters long — the limit is ${MAX_EXCLUSION_REASON_LENGTH}.`);
  const viewer = await viewerToExclude(ctx, input);
  const key = { guildId_kickUserId: { guildId: input.guildId, kickUserId: viewer.kickUserId } };
  const data = { username: viewer.username, source: 'moderator', reason, expiresAt: null };
  const [before, row] = await ctx.prisma.$transaction([
    ctx.prisma.leaderboardExclusion.findUnique({ where: key }),
    ctx.prisma.leaderboardExclusion.upsert({ where: key, create: { guildId: input.guildId, kickUserId: viewer.kickUserId, ...data }, update: data }),
  ]);
  return { ...entryOf(row), before: before ? entryOf(before) : null };
}

/**
 * Takes a viewer (by Kick username, case-insensitive, or by Kick user id) off the exclude list, whatever put them
 * there. Refused when they are not on it.
 */
export async function includeInLeaderboard(ctx: Pick<BotContext, 'prisma'>, input: ExclusionViewerRef): Promise<LeaderboardExclusionEntry> {
  const name = input.kickUserId === undefined ? input.username.trim().replace(/^@+/u, '') : null;
  const rows = await ctx.prisma.leaderboardExclusion.findMany({
    where: { guildId: input.guildId, ...(input.kickUserId !== undefined ? { kickUserId: input.kickUserId } : { username: { equals: name ?? '', mode: 'insensitive' as const } }) },
  });
  const row = rows[0];
  if (!row) throw new UserFacingError(`${name === null ? 'That viewer is' : `"${name}" is`} not on the leaderboard exclude list. See \`/leaderboard-exclude list\`.`);
  await ctx.prisma.leaderboardExclusion.deleteMany({ where: { guildId: input.guildId, kickUserId: { in: rows.map((r) => r.kickUserId) } } });
  return entryOf(row);
}

/**
 * Records a Kick ban (`expiresAt` null) or timeout in the exclude list. An entry a moderator made stays as it is; for a
 * ban entry the newest Kick event wins (compared by the event's own time), so a retried or late delivery changes
 * nothing.
 */
export async function excludeBannedViewer(
  prisma: PrismaClient,
  input: { guildId: string; kickUserId: number; username: string; reason: string; bannedAt: Date; expiresAt: Date | null },
): Promise<void> {
  const reason = input.reason.slice(0, MAX_EXCLUSION_REASON_LENGTH);
  await prisma.$executeRaw`
    INSERT INTO "LeaderboardExclusion" ("guildId", "kickUserId", username, source, reason, "expiresAt", "createdAt")
    VALUES (${input.guildId}, ${input.kickUserId}, ${input.username}, 'ban', ${reason}, ${input.expiresAt}, ${input.bannedAt})
    ON CONFLICT ("guildId", "kickUserId") DO UPDATE
      SET username = EXCLUDED.username, reason = EXCLUDED.reason, "expiresAt" = EXCLUDED."expiresAt", "createdAt" = EXCLUDED."createdAt"
      WHERE "LeaderboardExclusion".source = 'ban' AND "LeaderboardExclusion"."createdAt" <= EXCLUDED."createdAt"`;
}
