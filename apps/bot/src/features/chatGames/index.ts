import { randomInt as cryptoRandomInt } from 'node:crypto';
import type { BotFeature } from '../BotFeature.ts';
import type { RandomInt } from './bets.ts';
import { chatGamesActions } from './chatGamesActions.ts';
import { duelExpiryTask } from './duelExpiryTask.ts';
import { acceptChatCommand, duelChatCommand } from './duelChatCommands.ts';
import { gambleChatCommand } from './gambleChatCommand.ts';
import { gamesCommand } from './gamesCommand.ts';

/** Builds the chat games feature with its source of randomness (`crypto.randomInt` in production; tests inject their own). */
export function createChatGamesFeature(options: { randomInt?: RandomInt } = {}): BotFeature {
  const randomInt = options.randomInt ?? ((max: number) => cryptoRandomInt(max));
  return {
    name: 'chat-games',
    slashCommands: [gamesCommand],
    chatCommands: [gambleChatCommand(randomInt), duelChatCommand, acceptChatCommand(randomInt)],
    maintenanceTasks: [duelExpiryTask],
    guildActions: chatGamesActions,
    settings: {
      gambleEnabled: false,
      gambleWinChance: 45,
      gambleMinBet: 10,
      gambleMaxBet: 10_000,
      gambleCooldownSec: 30,
      duelEnabled: false,
      duelMinBet: 10,
      duelMaxBet: 10_000,
      duelCooldownSec: 30,
      duelExpirySec: 60,
    },
  };
}

/** Ways to spend points in Kick chat, each off until a moderator turns it on with `/games` (or the dashboard's Chat extras page): `!gamble` and `!duel`/`!accept`. */
export const chatGamesFeature: BotFeature = createChatGamesFeature();
