import type { BotFeature } from '../BotFeature.ts';
import { badgeRoleObserver } from './badgeObserver.ts';
import { roleRewardsActions } from './roleRewardsActions.ts';
import { roleRewardsCommand } from './roleRewardsCommand.ts';
import { roleRewardsReconcileTask, roleRewardsSyncTask } from './roleRewardsTasks.ts';
import { roleRewardSubscriptionHandler } from './subscriptionHandler.ts';

/**
 * Role rewards: Discord roles for linked Kick viewers of the connected channel — the subscriber role (from Kick's
 * subscription events, until `expires_at` passes without renewal), watchtime and points tiers (stacking or highest
 * only), and roles for Kick chat badges — configured with `/role-rewards` or the dashboard (the same actions,
 * `roleRewardsActions.ts`), logged to a mod-log channel.
 */
export const roleRewardsFeature: BotFeature = {
  name: 'role-rewards',
  slashCommands: [roleRewardsCommand],
  chatCommands: [badgeRoleObserver],
  kickEventHandlers: [roleRewardSubscriptionHandler],
  maintenanceTasks: [roleRewardsSyncTask, roleRewardsReconcileTask],
  guildActions: roleRewardsActions,
  settings: { roleRewardBadges: [] },
};
