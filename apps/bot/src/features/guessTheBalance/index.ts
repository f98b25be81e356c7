import type { BotFeature } from '../BotFeature.ts';
import { gtbChatCommand } from './gtbChatCommand.ts';
import { gtbCommand } from './gtbCommand.ts';

/** Guess the balance: `/gtb start|close|result|cancel`; viewers guess with `!gtb <amount>`. */
export const guessTheBalanceFeature: BotFeature = {
  name: 'guess-the-balance',
  slashCommands: [gtbCommand],
  chatCommands: [gtbChatCommand],
};
