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

/**
 * A moderator excludes a viewer (by Kick username) until removed. Refused: an unknown viewer (nothing is stored) or a
 * reason longer than {@link MAX_EXCLUSION_REASON_LENGTH}.
 */
export async function excludeFromLeaderboard(ctx: Pick<BotContext, 'prisma' | 'redis' | 'keys'>, input: { guildId: string; username: string; reason?: string | null }): Promise<LeaderboardExclusionEntry> {
  const reason = (input.reason ?? '').trim();
  if (reason.length > MAX_EXCLUSION_REASON_LENGTH) throw new UserFacingError(`The reason is ${reason.length} characters long — the limit is ${MAX_EXCLUSION_REASON_LENGTH}.`);
  const viewer = await resolveViewerNow(ctx, input.guildId, input.username);
  if (!viewer) throw new UserFacingError(`No Kick viewer named "${input.username.trim()}" has been seen here. Check the spelling of their Kick username.`);
  const data = { username: viewer.username, source: 'moderator', reason, expiresAt: null };
  const row = await ctx.prisma.leaderboardExclusion.upsert({
    where: { guildId_kickUserId: { guildId: input.guildId, kickUserId: viewer.kickUserId } },
    create: { guildId: input.guildId, kickUserId: viewer.kickUserId, ...data },
    update: data,
  });
  return entryOf(row);
}

/** Takes a viewer (by Kick username, case-insensitive) off the exclude list, whatever put them there. */
export async function includeInLeaderboard(ctx: Pick<BotContext, 'prisma'>, input: { guildId: string; username: string }): Promise<LeaderboardExclusionEntry> {
  const name = input.username.trim().replace(/^@+/u, '');
  const rows = await ctx.prisma.leaderboardExclusion.findMany({ where: { guildId: input.guildId, username: { equals: name, mode: 'insensitive' } } });
  const row = rows[0];
  if (!row) throw new UserFacingError(`"${name}" is not on the leaderboard exclude list. See \`/leaderboard-exclude list\`.`);
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
