import type { BotFeature } from '../BotFeature.ts';
import { redemptionHandler } from './redemptionHandler.ts';
import { rewardsCommand } from './rewardsCommand.ts';

/**
 * Kick Channel Rewards from Discord: moderators manage the channel's rewards (`/rewards`) and choose what kickcord
 * does when one is redeemed (points, a role for a linked viewer, a post, the reward queue, automatic accept or
 * reject); redemptions wait in a Discord channel with Accept and Reject buttons that decide them on Kick.
 */
export const channelRewardsFeature: BotFeature = {
  name: 'channel-rewards',
  slashCommands: [rewardsCommand],
  kickEventHandlers: [redemptionHandler],
  settings: { rewardsChannelId: null },
};
