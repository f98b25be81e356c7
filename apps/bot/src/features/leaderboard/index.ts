import type { BotFeature } from '../BotFeature.ts';
import { banExclusionHandler } from './banExclusionHandler.ts';
import { leaderboardCommand } from './leaderboardCommand.ts';
import { leaderboardExcludeCommand } from './leaderboardExcludeCommand.ts';
import { topChatCommand } from './topChatCommand.ts';

/**
 * Leaderboards by points or watchtime: `/leaderboard` (paged) and `!top` in Kick chat, without the viewers on the
 * guild's exclude list (`/leaderboard-exclude`; Kick bans and timeouts add to it).
 */
export const leaderboardFeature: BotFeature = {
  name: 'leaderboard',
  slashCommands: [leaderboardCommand, leaderboardExcludeCommand],
  chatCommands: [topChatCommand],
  kickEventHandlers: [banExclusionHandler],
};
