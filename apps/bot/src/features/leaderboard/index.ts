import type { BotFeature } from '../BotFeature.ts';
import { leaderboardCommand } from './leaderboardCommand.ts';
import { topChatCommand } from './topChatCommand.ts';

/** Leaderboards by points or watchtime: `/leaderboard` (paged) and `!top` in Kick chat. */
export const leaderboardFeature: BotFeature = {
  name: 'leaderboard',
  slashCommands: [leaderboardCommand],
  chatCommands: [topChatCommand],
};
