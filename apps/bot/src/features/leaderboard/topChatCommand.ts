import { formatDuration } from '@kickcord/core';
import { formatPoints } from '../../formatPoints.ts';
import { builtinChatCommand } from '../../kickChat/builtinChatCommand.ts';
import type { LeaderboardKind } from '../../viewers/viewerStats.ts';
import { rankedLeaderboardPage } from './leaderboardRanks.ts';

/** Rows shown by `!top`. */
export const CHAT_TOP_SIZE = 5;

/** `!top [points|watchtime]`: the guild's top viewers in one chat line (the exclude list left out, ties share a rank). */
export const topChatCommand = builtinChatCommand('top', async (chat, ctx) => {
  const arg = chat.command?.args[0]?.toLowerCase();
  const by: LeaderboardKind = arg === 'watchtime' || arg === 'time' || arg === 'wt' ? 'watchtime' : 'points';
  const { rows } = await rankedLeaderboardPage(ctx, chat.guildId, by, 1, CHAT_TOP_SIZE);
  if (rows.length === 0) return by === 'points' ? 'Nobody has points yet.' : 'Nobody has watchtime yet.';
  const list = rows.map((r) => `${r.rank}. ${r.username} ${by === 'points' ? formatPoints(r.points) : formatDuration(r.activeMinutes)}`).join(' · ');
  return `Top ${by === 'points' ? 'points' : 'watchtime'}: ${list}`;
});
