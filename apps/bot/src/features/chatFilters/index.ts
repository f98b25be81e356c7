import type { BotFeature } from '../BotFeature.ts';
import { chatFilterActions } from './filterActions.ts';
import { chatFilterCommand } from './filterChatCommand.ts';
import { filtersCommand } from './filtersCommand.ts';

/**
 * Chat filters for the connected Kick channel (links, caps, banned words, repeats, emote and symbol floods,
 * length, Unicode tricks), configured with `/filters` and the dashboard's Moderation page: compiled once per guild
 * and kept in every process, so an ordinary chat message costs no PostgreSQL statement. Caught messages climb a
 * per-filter ladder (delete, timeout, ban) and land in the mod log. Listed first, so a caught message never
 * reaches another chat command.
 */
export const chatFiltersFeature: BotFeature = {
  name: 'chat-filters',
  slashCommands: [filtersCommand],
  chatCommands: [chatFilterCommand],
  guildActions: chatFilterActions,
};
