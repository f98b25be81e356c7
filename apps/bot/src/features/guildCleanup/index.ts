import type { BotFeature } from '../BotFeature.ts';
import { purgeInactiveGuildsTask } from './purgeInactiveGuilds.ts';

/** Guild cleanup: a guild that removed the bot keeps its data for a re-invite, then a daily job deletes it. */
export const guildCleanupFeature: BotFeature = {
  name: 'guild-cleanup',
  maintenanceTasks: [purgeInactiveGuildsTask],
};
