import type { BotFeature } from '../BotFeature.ts';
import { commandCommand } from './commandCommand.ts';
import { commandsChatCommand } from './commandsChatCommand.ts';
import { customCommandHandler } from './customCommandHandler.ts';

/** Custom chat commands: `/command add|edit|remove|list`, answered in Kick chat; `!commands` lists them. */
export const customCommandsFeature: BotFeature = {
  name: 'custom-commands',
  slashCommands: [commandCommand],
  chatCommands: [commandsChatCommand, customCommandHandler],
};
