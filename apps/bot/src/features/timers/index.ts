import type { BotFeature } from '../BotFeature.ts';
import { timerActions } from './timerActions.ts';
import { timerCommand } from './timerCommand.ts';
import { timerLineObserver } from './timerLineObserver.ts';
import { timersTickTask } from './timersTickTask.ts';

/** Timers: messages posted in Kick chat every N minutes while live (optionally after N chat lines); `/timer` and the dashboard manage them. */
export const timersFeature: BotFeature = {
  name: 'timers',
  slashCommands: [timerCommand],
  chatCommands: [timerLineObserver],
  maintenanceTasks: [timersTickTask],
  guildActions: timerActions,
};
