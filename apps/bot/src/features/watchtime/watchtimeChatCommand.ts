import { formatDuration, targetUsername } from '@kickcord/core';
import { builtinChatCommand } from '../../kickChat/builtinChatCommand.ts';
import { findViewerStats, viewerStatsById } from '../../viewers/viewerStats.ts';

/** `!watchtime [user]`: the sender's (or another viewer's) active minutes in this guild. */
export const watchtimeChatCommand = builtinChatCommand('watchtime', async (chat, ctx) => {
  const target = targetUsername(chat.command?.args[0]);
  const self = !target || target.toLowerCase() === chat.sender.username.toLowerCase();
  const stats = self ? await viewerStatsById(ctx.prisma, chat.guildId, chat.sender.userId) : await findViewerStats(ctx.prisma, chat.guildId, target);
  if (!stats || stats.activeMinutes === 0) return self ? `@${chat.sender.username} you have no watchtime yet — it counts minutes you chat while live.` : `@${chat.sender.username} ${target} has no watchtime here yet.`;
  const who = self ? 'you have' : `${stats.username} has`;
  return `@${chat.sender.username} ${who} ${formatDuration(stats.activeMinutes)} of watchtime (active minutes in chat).`;
});
