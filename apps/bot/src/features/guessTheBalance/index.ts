import type { BotFeature } from '../BotFeature.ts';
import { gtbChatCommand } from './gtbChatCommand.ts';
import { gtbActions } from './gtbActions.ts';
import { gtbCommand } from './gtbCommand.ts';

/** Guess the balance: `/gtb start|close|result|cancel` and the dashboard's Games page (the same actions); viewers guess with `!gtb <amount>`. */
export const guessTheBalanceFeature: BotFeature = {
  name: 'guess-the-balance',
  slashCommands: [gtbCommand],
  chatCommands: [gtbChatCommand],
  guildActions: gtbActions,
};
