import type { BotFeature } from '../BotFeature.ts';
import { banExclusionHandler } from './banExclusionHandler.ts';
import { leaderboardCommand } from './leaderboardCommand.ts';
import { leaderboardExcludeActions } from './leaderboardExcludeActions.ts';
import { leaderboardExcludeCommand } from './leaderboardExcludeCommand.ts';
import { publicPageActions } from './publicPageActions.ts';
import { topChatCommand } from './topChatCommand.ts';

/**
 * Leaderboards by points or watchtime: `/leaderboard` (paged) and `!top` in Kick chat, without the viewers on the
 * guild's exclude list (`/leaderboard-exclude`; Kick bans and timeouts add to it). It also owns the privacy of the
 * public web pages (the leaderboard page and its columns, the command list page), changed on the dashboard's
 * "Public pages" tab (`public.settings`).
 */
export const leaderboardFeature: BotFeature = {
  name: 'leaderboard',
  slashCommands: [leaderboardCommand, leaderboardExcludeCommand],
  chatCommands: [topChatCommand],
  kickEventHandlers: [banExclusionHandler],
  guildActions: [...publicPageActions, ...leaderboardExcludeActions],
  settings: { publicLeaderboard: true, publicLeaderboardPoints: true, publicLeaderboardWatchtime: true, publicCommandList: true },
};
