import type { BotFeature } from '../BotFeature.ts';
import { updateBuiltin } from './builtinActions.ts';
import { gameChatCommand, titleChatCommand } from './channelInfoCommands.ts';
import { commandsCommand } from './commandsCommand.ts';
import { customCounterChatCommand, deathsChatCommand } from './counterChatCommands.ts';
import { counterActions } from './counterActions.ts';
import { countersCommand } from './countersCommand.ts';
import { followageChatCommand } from './followageChatCommand.ts';
import { followRecorder } from './followRecorder.ts';
import { quoteActions } from './quoteActions.ts';
import { quoteChatCommand } from './quoteChatCommand.ts';
import { quotesCommand } from './quotesCommand.ts';
import { shoutoutChatCommand } from './shoutoutChatCommand.ts';

/**
 * The everyday chat commands: `!title`, `!game`, `!so`, `!followage`, `!quote` and `!deaths` (built-ins,
 * each toggled and renamed per guild with `/commands builtin`), custom counters (`/counters`) and the quotes
 * moderators manage with `/quotes`. Follows kickcord sees are remembered for `!followage`.
 */
export const everydayCommandsFeature: BotFeature = {
  name: 'everyday-commands',
  slashCommands: [commandsCommand, quotesCommand, countersCommand],
  chatCommands: [titleChatCommand, gameChatCommand, shoutoutChatCommand, followageChatCommand, quoteChatCommand, deathsChatCommand, customCounterChatCommand],
  kickEventHandlers: [followRecorder],
  guildActions: [updateBuiltin, ...quoteActions, ...counterActions],
  settings: { builtinCommands: {}, quoteAddLevel: 'moderator' },
};
