import type { BotFeature } from '../BotFeature.ts';
import { redeemChatCommand } from './redeemChatCommand.ts';
import { shopRoleExpiryTask } from './roleExpiryTask.ts';
import { shopActions } from './shopActions.ts';
import { shopChatCommand } from './shopChatCommand.ts';
import { shopCommand } from './shopCommand.ts';

/**
 * The points shop: moderators sell Discord roles (permanent or timed), custom rewards (a redemption queue with
 * Fulfil and Refund buttons) and Kick chat messages; viewers buy with `!redeem` in Kick chat or `/shop` in Discord.
 * `/shop` and the dashboard's shop page make their changes through the same actions (`shopActions.ts`).
 */
export const shopFeature: BotFeature = {
  name: 'shop',
  slashCommands: [shopCommand],
  chatCommands: [shopChatCommand, redeemChatCommand],
  maintenanceTasks: [shopRoleExpiryTask],
  guildActions: shopActions,
  settings: { shopQueueChannelId: null },
};
