import type { BotFeature } from '../BotFeature.ts';
import { giftedSubTicketsHandler } from './giftedSubTicketsHandler.ts';
import { raffleActions } from './raffleActions.ts';
import { raffleAutoCloseTask } from './raffleAutoCloseTask.ts';
import { raffleCommand } from './raffleCommand.ts';
import { raffleEntryChatCommand } from './raffleEntryChatCommand.ts';

/**
 * Raffles: `/raffle start|close|draw|redraw|cancel|status` and the dashboard's Games page (the same actions); viewers
 * enter with the keyword in Kick chat; gifted subs add tickets.
 */
export const rafflesFeature: BotFeature = {
  name: 'raffles',
  slashCommands: [raffleCommand],
  chatCommands: [raffleEntryChatCommand],
  kickEventHandlers: [giftedSubTicketsHandler],
  maintenanceTasks: [raffleAutoCloseTask],
  guildActions: raffleActions,
};
