import { formatPointsAmount, targetUsername } from '@kickcord/core';
import { builtinChatCommand } from '../../kickChat/builtinChatCommand.ts';
import { findViewerStats, viewerStatsById } from '../../viewers/viewerStats.ts';
import { describeRank, leaderboardRank } from '../leaderboard/leaderboardRanks.ts';

/** `!points [user]`: the sender's (or another viewer's) points and rank in this guild. */
export const pointsChatCommand = builtinChatCommand('points', async (chat, ctx) => {
  const target = targetUsername(chat.command?.args[0]);
  const self = !target || target.toLowerCase() === chat.sender.username.toLowerCase();
  const stats = self ? await viewerStatsById(ctx.prisma, chat.guildId, chat.sender.userId) : await findViewerStats(ctx.prisma, chat.guildId, target);
  // A viewer seen in chat but never paid has a zero row: answer as if nothing were there yet.
  if (!stats || (stats.points === 0 && stats.activeMinutes === 0)) return self ? `@${chat.sender.username} you have 0 points — chat while the stream is live to earn some!` : `@${chat.sender.username} ${target} has no points here yet.`;
  const rank = describeRank(await leaderboardRank(ctx, chat.guildId, stats, 'points'));
  const amount = formatPointsAmount(stats.points);
  return self ? `@${chat.sender.username} you have ${amount} ${rank}.` : `@${chat.sender.username} ${stats.username} has ${amount} ${rank}.`;
});
