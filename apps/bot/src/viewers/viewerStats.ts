/**
 * Viewer lookups (stats, ranks, leaderboard pages) for chat built-ins and slash commands — always scoped to one guild.
 */
import type { PrismaClient, ViewerStats } from '@kickcord/db';
import type { BotContext } from '../context.ts';
import { flushNewViewers } from './newViewers.ts';

/** What a leaderboard is ordered by. */
export type LeaderboardKind = 'points' | 'watchtime';

/** A guild's stats row for a Kick username (case-insensitive, a leading `@` ignored), or null. */
export async function findViewerStats(prisma: PrismaClient, guildId: string, username: string): Promise<ViewerStats | null> {
  const name = username.trim().replace(/^@+/, '');
  if (!name) return null;
  return prisma.viewerStats.findFirst({ where: { guildId, username: { equals: name, mode: 'insensitive' } }, orderBy: { updatedAt: 'desc' } });
}

/** A guild's stats row by Kick user id, or null. */
export async function viewerStatsById(prisma: PrismaClient, guildId: string, kickUserId: number): Promise<ViewerStats | null> {
  return prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId, kickUserId } } });
}

/**
 * A Kick viewer by username for a moderator's change: the guild's own viewers first, then any Kick
 * account we have seen (so points can be given to someone who has not earned any here yet).
 */
export async function resolveViewer(prisma: PrismaClient, guildId: string, username: string): Promise<{ kickUserId: number; username: string; stats: ViewerStats | null } | null> {
  const stats = await findViewerStats(prisma, guildId, username);
  if (stats) return { kickUserId: stats.kickUserId, username: stats.username, stats };
  const name = username.trim().replace(/^@+/, '');
  if (!name) return null;
  const seen = await prisma.kickViewer.findFirst({ where: { username: { equals: name, mode: 'insensitive' } }, orderBy: { lastSeenAt: 'desc' } });
  return seen ? { kickUserId: seen.userId, username: seen.username, stats: null } : null;
}

/**
 * {@link resolveViewer} for a moderator's command: a viewer who chatted moments ago may still be queued
 * for the batched write (see newViewers.ts), so when nobody matches, the queue is written first and the
 * lookup repeated.
 */
export async function resolveViewerNow(ctx: Pick<BotContext, 'prisma' | 'redis' | 'keys'>, guildId: string, username: string): Promise<{ kickUserId: number; username: string; stats: ViewerStats | null } | null> {
  const found = await resolveViewer(ctx.prisma, guildId, username);
  if (found) return found;
  await flushNewViewers(ctx, { waitForLockMs: 5_000 });
  return resolveViewer(ctx.prisma, guildId, username);
}

/**
 * 1-based rank of a viewer in the guild by points or watchtime, counting only viewers not in `exclude` (the guild's
 * leaderboard exclude list), so it matches the leaderboard. Ties share the better rank (standard competition ranking,
 * "1, 2, 2, 4").
 */
export async function viewerRank(prisma: PrismaClient, guildId: string, stats: Pick<ViewerStats, 'points' | 'activeMinutes'>, by: LeaderboardKind, exclude: readonly number[] = []): Promise<number> {
  const notExcluded = exclude.length > 0 ? { kickUserId: { notIn: [...exclude] } } : {};
  const ahead =
    by === 'points'
      ? await prisma.viewerStats.count({ where: { guildId, points: { gt: stats.points }, ...notExcluded } })
      : await prisma.viewerStats.count({ where: { guildId, activeMinutes: { gt: stats.activeMinutes }, ...notExcluded } });
  return ahead + 1;
}

/**
 * One page of the guild's leaderboard and the number of ranked viewers (those with anything to show), leaving out
 * the Kick user ids in `exclude` (the guild's leaderboard exclude list).
 */
export async function leaderboardPage(prisma: PrismaClient, guildId: string, by: LeaderboardKind, offset: number, limit: number, exclude: readonly number[] = []): Promise<{ total: number; rows: ViewerStats[] }> {
  const notExcluded = exclude.length > 0 ? { kickUserId: { notIn: [...exclude] } } : {};
  const where = by === 'points' ? { guildId, points: { gt: 0 }, ...notExcluded } : { guildId, activeMinutes: { gt: 0 }, ...notExcluded };
  const orderBy = by === 'points' ? [{ points: 'desc' as const }, { kickUserId: 'asc' as const }] : [{ activeMinutes: 'desc' as const }, { kickUserId: 'asc' as const }];
  const [total, rows] = await Promise.all([prisma.viewerStats.count({ where }), limit > 0 ? prisma.viewerStats.findMany({ where, orderBy, skip: offset, take: limit }) : Promise.resolve([])]);
  return { total, rows };
}
