import type { BotFeature } from '../BotFeature.ts';
import { commandActions } from './commandActions.ts';
import { commandCommand } from './commandCommand.ts';
import { commandsChatCommand } from './commandsChatCommand.ts';
import { customCommandHandler } from './customCommandHandler.ts';

/** Custom chat commands: `/command add|edit|remove|list` and the dashboard manage them, answered in Kick chat; `!commands` lists them. */
export const customCommandsFeature: BotFeature = {
  name: 'custom-commands',
  slashCommands: [commandCommand],
  chatCommands: [commandsChatCommand, customCommandHandler],
  guildActions: commandActions,
};
