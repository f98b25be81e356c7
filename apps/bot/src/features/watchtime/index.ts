import type { BotFeature } from '../BotFeature.ts';
import { chatActivityObserver, firstSightObserver } from './activityObserver.ts';
import { watchtimeChatCommand } from './watchtimeChatCommand.ts';
import { watchtimeCommand } from './watchtimeCommand.ts';
import { flushNewViewersTask } from '../../viewers/newViewers.ts';
import { watchtimeTickTask } from './watchtimeTick.ts';

/**
 * Watchtime: "active minutes" — while the channel is live, a viewer who chatted within the activity window
 * earns a minute (and points) per minute, paid by the watchtime tick. `/watchtime` and `!watchtime` show it.
 */
export const watchtimeFeature: BotFeature = {
  name: 'watchtime',
  slashCommands: [watchtimeCommand],
  chatCommands: [chatActivityObserver, firstSightObserver, watchtimeChatCommand],
  maintenanceTasks: [watchtimeTickTask, flushNewViewersTask],
  settings: { activityWindowMinutes: 5, pointsPerMinute: 1, subscriberMultiplier: 1.5, maxMinutesPerStream: 0, maxPointsPerDay: 0, excludedUsernames: [] },
};
