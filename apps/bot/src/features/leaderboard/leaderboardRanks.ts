/**
 * Ranks as every leaderboard shows them: the guild's exclude list left out, ties sharing a rank (standard competition
 * ranking, "1, 2, 2, 4"). `/leaderboard`, `!top`, `/points show`, `!points` and `/watchtime` all rank through here.
 */
import { competitionRanks, paginate, type Page } from '@kickcord/core';
import type { ViewerStats } from '@kickcord/db';
import type { BotContext } from '../../context.ts';
import { leaderboardPage, viewerRank, type LeaderboardKind } from '../../viewers/viewerStats.ts';
import { excludedKickUserIds } from './leaderboardExclusions.ts';

/** A leaderboard row with its rank. */
export type RankedViewer = ViewerStats & { rank: number };

/** The viewer's rank on the guild's leaderboard, or null when the viewer is on the exclude list (and so not ranked). */
export async function leaderboardRank(ctx: Pick<BotContext, 'prisma' | 'now'>, guildId: string, stats: Pick<ViewerStats, 'kickUserId' | 'points' | 'activeMinutes'>, by: LeaderboardKind): Promise<number | null> {
  const excluded = await excludedKickUserIds(ctx.prisma, guildId, ctx.now());
  if (excluded.includes(stats.kickUserId)) return null;
  return viewerRank(ctx.prisma, guildId, stats, by, excluded);
}

/** `(rank #3)`, or `(not ranked: on the leaderboard exclude list)` for an excluded viewer. */
export function describeRank(rank: number | null): string {
  return rank === null ? '(not ranked: on the leaderboard exclude list)' : `(rank #${rank})`;
}

/** One page (1-based, clamped) of the guild's leaderboard with each row's rank, and the number of ranked viewers (`total`); excluded viewers are left out. */
export async function rankedLeaderboardPage(ctx: Pick<BotContext, 'prisma' | 'now'>, guildId: string, by: LeaderboardKind, page: number, pageSize: number): Promise<{ page: Page; total: number; rows: RankedViewer[] }> {
  const excluded = await excludedKickUserIds(ctx.prisma, guildId, ctx.now());
  const { total } = await leaderboardPage(ctx.prisma, guildId, by, 0, 0, excluded);
  const p = paginate(total, page, pageSize);
  const { rows } = await leaderboardPage(ctx.prisma, guildId, by, p.offset, p.limit, excluded);
  const first = rows[0];
  if (!first) return { page: p, total, rows: [] };
  const firstRank = p.offset === 0 ? 1 : await viewerRank(ctx.prisma, guildId, first, by, excluded);
  const ranks = competitionRanks(rows.map((r) => (by === 'points' ? r.points : r.activeMinutes)), firstRank, p.offset);
  return { page: p, total, rows: rows.map((r, i) => ({ ...r, rank: ranks[i] ?? p.offset + i + 1 })) };
}
