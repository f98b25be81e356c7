import type { BotFeature } from '../BotFeature.ts';
import { redemptionHandler } from './redemptionHandler.ts';
import { channelRewardActions } from './rewardGuildActions.ts';
import { rewardsCommand } from './rewardsCommand.ts';

/**
 * Kick Channel Rewards from Discord and the dashboard: moderators manage the channel's rewards (`/rewards`, or the
 * Channel rewards page) and choose what kickcord does when one is redeemed (points, a role for a linked viewer, a
 * post, the reward queue, automatic accept or reject); redemptions wait in a Discord channel (and on the page) with
 * Accept and Reject, which decide them on Kick.
 */
export const channelRewardsFeature: BotFeature = {
  name: 'channel-rewards',
  slashCommands: [rewardsCommand],
  kickEventHandlers: [redemptionHandler],
  settings: { rewardsChannelId: null },
  guildActions: channelRewardActions,
};
