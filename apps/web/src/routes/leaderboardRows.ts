import type { PrismaClient } from '@kickcord/db';

/** One ranked viewer of a guild's public leaderboard. */
export interface LeaderboardRow {
  username: string;
  points: number;
  activeMinutes: number;
  rank: number;
}

/**
 * A guild's top viewers by points, as the public leaderboard and the leaderboard overlay show them: the guild's
 * leaderboard exclude list (moderators' entries, Kick bans, unexpired timeouts) is left out before ranking, and ranks
 * are standard competition ranks ("1, 2, 2, 4"), as /leaderboard, !top and /points give them.
 */
export function leaderboardRows(prisma: Pick<PrismaClient, '$queryRaw'>, guildId: string, limit: number, now = new Date()): Promise<LeaderboardRow[]> {
  return prisma.$queryRaw<LeaderboardRow[]>`
    SELECT s.username, s.points, s."activeMinutes", (RANK() OVER (ORDER BY s.points DESC))::int AS rank
      FROM "ViewerStats" s
     WHERE s."guildId" = ${guildId}
       AND (s.points > 0 OR s."activeMinutes" > 0)
       AND NOT EXISTS (
         SELECT 1 FROM "LeaderboardExclusion" e
          WHERE e."guildId" = s."guildId" AND e."kickUserId" = s."kickUserId" AND (e."expiresAt" IS NULL OR e."expiresAt" > ${now}))
     ORDER BY s.points DESC, s."activeMinutes" DESC, s."kickUserId" ASC
     LIMIT ${limit}`;
}
