import type { BotFeature } from '../BotFeature.ts';
import { liveStatusCheckTask } from './liveStatusCheck.ts';
import { streamSessionHandler } from './streamSessionHandler.ts';
import { uptimeChatCommand } from './uptimeChatCommand.ts';

/**
 * Streams: when a connected or watched channel is live. Stream sessions follow Kick's live/offline and
 * metadata events and a live-status poll; `!uptime` answers in chat. Watchtime, custom commands and
 * timers read the sessions (`streamSessions.ts`).
 */
export const streamsFeature: BotFeature = {
  name: 'streams',
  chatCommands: [uptimeChatCommand],
  kickEventHandlers: [streamSessionHandler],
  maintenanceTasks: [liveStatusCheckTask],
};
