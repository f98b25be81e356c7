import { accountLinkingFeature } from './accountLinking/index.ts';
import { announcementsFeature } from './announcements/index.ts';
import { chatFiltersFeature } from './chatFilters/index.ts';
import { channelRewardsFeature } from './channelRewards/index.ts';
import { chatGamesFeature } from './chatGames/index.ts';
import type { BotFeature } from './BotFeature.ts';
import { customCommandsFeature } from './customCommands/index.ts';
import { deliveryRecordsFeature } from './deliveryRecords/index.ts';
import { everydayCommandsFeature } from './everydayCommands/index.ts';
import { guessTheBalanceFeature } from './guessTheBalance/index.ts';
import { guildCleanupFeature } from './guildCleanup/index.ts';
import { kickConnectionFeature } from './kickConnection/index.ts';
import { leaderboardFeature } from './leaderboard/index.ts';
import { linkedRolesFeature } from './linkedRoles/index.ts';
import { loyaltyFeature } from './loyalty/index.ts';
import { moderationFeature } from './moderation/index.ts';
import { overlaysFeature } from './overlays/index.ts';
import { rafflesFeature } from './raffles/index.ts';
import { roleRewardsFeature } from './roleRewards/index.ts';
import { shopFeature } from './shop/index.ts';
import { slotCallsFeature } from './slotCalls/index.ts';
import { streamsFeature } from './streams/index.ts';
import { timersFeature } from './timers/index.ts';
import { watchtimeFeature } from './watchtime/index.ts';

/**
 * Every feature of the bot; adding a feature = adding its folder and one line here. The order is the
 * order of their Kick event handlers for one delivery and of their chat commands (built-ins before games;
 * `fallback` chat commands such as custom commands are asked last wherever they appear).
 */
export const features: readonly BotFeature[] = [
  // First: a message a chat filter catches reaches no other chat command.
  chatFiltersFeature,
  kickConnectionFeature,
  streamsFeature,
  loyaltyFeature,
  watchtimeFeature,
  leaderboardFeature,
  announcementsFeature,
  roleRewardsFeature,
  accountLinkingFeature,
  customCommandsFeature,
  everydayCommandsFeature,
  rafflesFeature,
  guessTheBalanceFeature,
  slotCallsFeature,
  shopFeature,
  channelRewardsFeature,
  chatGamesFeature,
  timersFeature,
  overlaysFeature,
  linkedRolesFeature,
  moderationFeature,
  guildCleanupFeature,
  deliveryRecordsFeature,
];
