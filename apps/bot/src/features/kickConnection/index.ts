import type { BotFeature } from '../BotFeature.ts';
import { reconcileSubscriptionsTask, refreshTokensTask } from './connectionTasks.ts';
import { expireStuckRepliesTask } from '../../kickChat/expireStuckRepliesTask.ts';
import { kickCommand } from './kickCommand.ts';
import { kickConnectionActions } from './kickConnectionActions.ts';

/**
 * Kick connection: `/kick connect|disconnect|watch|unwatch|status` links a guild to Kick channels (watch, unwatch and
 * disconnect are guild actions the dashboard's Overview shares);
 * scheduled jobs keep event subscriptions converged and streamers' tokens fresh, and expire chat replies a stopped
 * process left unconfirmed.
 */
export const kickConnectionFeature: BotFeature = {
  name: 'kick-connection',
  slashCommands: [kickCommand],
  maintenanceTasks: [reconcileSubscriptionsTask, refreshTokensTask, expireStuckRepliesTask],
  guildActions: kickConnectionActions,
};
